// Issue 13: the projections busy in a feed batch apply it in one transaction together; the result
// is the fold's, row for row, and a group that cannot commit changes nothing.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, recordStatements, type TestDatabase } from '@convene/testkit';
import { EventStore } from '@convene/eventstore';
import { measuresProjection, progressProjection, scheduleProjection } from '../models';
import { compareWithFold, runScenario } from '../testing/harness';
import { createInstance } from './instances';
import { readAllRows } from './pg-store';
import { ProjectionRunner, readFeed } from './runner';
import { applyTogether } from './group-apply';
import type { Projection } from './types';

let t: TestDatabase;
let store: EventStore;
const HOLDER = 'group-test';

beforeAll(async () => {
  t = await createTestDatabase();
  store = new EventStore({ pool: t.pool });
  await runScenario(store, { collaborative: 1, agencies: 4, months: 4, seed: 11 });
});
afterAll(async () => {
  await t.drop();
});

async function runners(projections: Projection[]): Promise<ProjectionRunner[]> {
  const out: ProjectionRunner[] = [];
  for (const projection of projections) {
    const inst = await createInstance(t.db, projection, 'shadow');
    await sql`UPDATE projection_instances SET position = 0, claimed_by = ${HOLDER}, claimed_until = now() + interval '1 hour' WHERE schema_name = ${inst.schema_name}`.execute(t.db);
    out.push(new ProjectionRunner({ db: t.db, store, projection, schema: inst.schema_name, leaseHolder: HOLDER }));
  }
  return out;
}
const types = (rs: ProjectionRunner[]) => [...new Set(rs.flatMap((r) => r.readTypes))];
const positions = async (rs: ProjectionRunner[]) => Promise.all(rs.map((r) => r.position()));

describe('projections applying a batch together (issue 13)', () => {
  it('applies every batch in one transaction per batch, and each projection ends as its fold', async () => {
    const rs = await runners([progressProjection, scheduleProjection, measuresProjection]);
    let from = 0;
    let batches = 0;
    const recorder = recordStatements(t.pool);
    try {
      for (;;) {
        const batch = await readFeed(store, { from, limit: 10, types: types(rs) });
        if (batch.to <= batch.from) break;
        expect(await applyTogether(t.db, rs, batch, HOLDER)).toBe(true);
        batches++;
        from = batch.to;
      }
    } finally {
      recorder.stop();
    }
    expect(batches).toBeGreaterThan(3);
    // One transaction per batch for the three projections (each on its own took one per projection).
    expect(recorder.statements.filter((s) => /^begin/i.test(s.trim()))).toHaveLength(batches);
    // Begun in one round trip with its SET LOCAL, and every projection's rows written by one statement.
    expect(recorder.statements.filter((s) => /^begin; set local synchronous_commit = off$/i.test(s.trim()))).toHaveLength(batches);
    expect(recorder.statements.filter((s) => /^set local/i.test(s.trim()))).toHaveLength(0);
    // Their rows read by one statement too (loadTogether), none table by table.
    expect(recorder.statements.filter((s) => /^select 0 as q, to_jsonb/i.test(s.trim())).length).toBeLessThanOrEqual(batches);
    expect(recorder.statements.filter((s) => /^select \* from "/i.test(s.trim()))).toHaveLength(0);
    const writes = recorder.statements.filter((s) => /^(insert into|with w0)/i.test(s.trim()));
    expect(writes.length).toBeLessThanOrEqual(batches);
    expect(writes.filter((s) => /^with w0 as \(insert into .* w1 as \(insert into/is.test(s.trim())).length).toBeGreaterThan(0);
    expect(await positions(rs)).toEqual(rs.map(() => from));
    for (const r of rs) {
      const { actual, expected } = await compareWithFold(t.db, store, r.projection, r.schema);
      expect(actual).toEqual(expected);
    }
  });

  it('changes nothing when one checkpoint is not at the batch or moves while it applies, nor when one projection fails on an event', async () => {
    const rs = await runners([progressProjection, scheduleProjection]);
    const batch = await readFeed(store, { from: 0, limit: 60, types: types(rs) });
    const empty = async () => Promise.all(rs.map(async (r) => Object.values(await readAllRows(t.db, r.schema, r.projection.tables)).flat().length));

    // Another runner moved one checkpoint: refused, the other projection untouched.
    await sql`UPDATE projection_instances SET position = 1 WHERE schema_name = ${rs[1]!.schema}`.execute(t.db);
    expect(await applyTogether(t.db, rs, batch, HOLDER)).toBe(false);
    expect(await positions(rs)).toEqual([0, 1]);
    expect(await empty()).toEqual([0, 0]);

    // Held by another holder: refused.
    await sql`UPDATE projection_instances SET position = 0, claimed_by = 'other' WHERE schema_name = ${rs[1]!.schema}`.execute(t.db);
    expect(await applyTogether(t.db, rs, batch, HOLDER)).toBe(false);
    await sql`UPDATE projection_instances SET claimed_by = ${HOLDER} WHERE schema_name = ${rs[1]!.schema}`.execute(t.db);

    // A projection that throws on an event: the whole group rolls back (each runner then parks it on its own).
    const poisoned: Projection = { ...scheduleProjection, evolve: () => { throw new Error('bad event'); } };
    const bad = new ProjectionRunner({ db: t.db, store, projection: poisoned, schema: rs[1]!.schema, leaseHolder: HOLDER });
    expect(await applyTogether(t.db, [rs[0]!, bad], batch, HOLDER)).toBe(false);
    expect(await positions(rs)).toEqual([0, 0]);
    expect(await empty()).toEqual([0, 0]);

    // While a group applies, its checkpoint rows are not locked: a lease heartbeat (here another
    // runner moving a checkpoint) goes through at once, and the group, finding that checkpoint
    // moved when it moves them, rolls back. The group is held at its row load by a table lock.
    const blocker = await t.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`LOCK TABLE ${rs[0]!.schema}.agencies IN ACCESS EXCLUSIVE MODE`);
      const applying = applyTogether(t.db, rs, batch, HOLDER);
      await new Promise((r) => setTimeout(r, 300));
      const moved = await t.pool.query(`UPDATE projection_instances SET position = 1 WHERE schema_name = $1`, [rs[1]!.schema]);
      expect(moved.rowCount).toBe(1);
      await blocker.query('COMMIT');
      expect(await applying).toBe(false);
    } finally {
      blocker.release();
    }
    expect(await positions(rs)).toEqual([0, 1]);
    expect(await empty()).toEqual([0, 0]);
    await sql`UPDATE projection_instances SET position = 0 WHERE schema_name = ${rs[1]!.schema}`.execute(t.db);

    // And then it goes through, the rows carried from a failed attempt not reused.
    expect(await applyTogether(t.db, rs, batch, HOLDER)).toBe(true);
    expect(await positions(rs)).toEqual([batch.to, batch.to]);
  });
});
