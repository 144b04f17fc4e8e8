import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, recordStatements, type TestDatabase } from '@convene/testkit';
import { EventStore } from '@convene/eventstore';
import { progressProjection, scheduleProjection } from '../models';
import { compareWithFold, runScenario } from '../testing/harness';
import { createInstance, projectionStatus, resumeInstance } from './instances';
import { readAllRows } from './pg-store';
import { ProjectionRunner } from './runner';
import type { Projection } from './types';

let t: TestDatabase;
let store: EventStore;

beforeAll(async () => {
  t = await createTestDatabase();
  store = new EventStore({ pool: t.pool });
  await runScenario(store, { collaborative: 1, agencies: 5, months: 6, seed: 7 });
});
afterAll(async () => {
  await t.drop();
});

describe('projection runner', () => {
  it('survives a crash mid-batch (rows written, checkpoint not): after a restart the rows equal a full rebuild, row for row', async () => {
    const live = await createInstance(t.db, progressProjection, 'live');
    let batches = 0;
    const crashing = new ProjectionRunner({
      db: t.db, store, projection: progressProjection, schema: live.schema_name, batchSize: 20,
      beforeCommit: async (trx) => {
        // The batch's rows are in the transaction; the crash comes before the checkpoint and commit.
        if (++batches === 3) {
          const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(`${live.schema_name}.agencies`)}`.execute(trx);
          expect(rows[0]!.n).toBeGreaterThan(0);
          throw new Error('simulated crash');
        }
      },
    });
    await expect(crashing.catchUp()).rejects.toThrow('simulated crash');
    const atCrash = await crashing.position();
    expect(atCrash).toBeGreaterThan(0); // two batches committed, the third did not

    const restarted = new ProjectionRunner({ db: t.db, store, projection: progressProjection, schema: live.schema_name, batchSize: 20 });
    const r = await restarted.catchUp();
    expect(r.kind).toBe('idle');

    const rebuilt = await createInstance(t.db, progressProjection, 'shadow');
    await new ProjectionRunner({ db: t.db, store, projection: progressProjection, schema: rebuilt.schema_name, batchSize: 500 }).catchUp();
    const liveRows = await readAllRows(t.db, live.schema_name, progressProjection.tables);
    expect(liveRows).toEqual(await readAllRows(t.db, rebuilt.schema_name, progressProjection.tables));
    expect(liveRows.agency_months!.length).toBeGreaterThan(20);
    const { actual, expected } = await compareWithFold(t.db, store, progressProjection, live.schema_name);
    expect(actual).toEqual(expected);
  });

  it('issue 11.11: a poison event parks only its stream, is recorded and reported; a resume after the fix rebuilds with its events', async () => {
    let broken = true;
    const flaky: Projection = {
      ...scheduleProjection,
      name: 'flaky_schedule',
      evolve(rows, event) {
        if (broken && event.type === 'SiteVisitCompleted') throw new Error('handler bug');
        scheduleProjection.evolve(rows, event);
      },
    };
    const inst = await createInstance(t.db, flaky, 'live');
    const runner = new ProjectionRunner({ db: t.db, store, projection: flaky, schema: inst.schema_name, batchSize: 1000 });
    const r = await runner.catchUp();
    // Not stopped: every other stream's events are applied, up to the end of the feed.
    expect(r.kind).toBe('idle');
    const status = await projectionStatus(t.db);
    expect(status.healthy).toBe(false);
    const mine = status.projections.find((p) => p.schema === inst.schema_name)!;
    expect(mine.status).toBe('running');
    expect(mine.behind).toBe(false);
    expect(mine.parked.length).toBeGreaterThan(0);
    expect(mine.parked[0]).toMatchObject({ eventType: 'SiteVisitCompleted', error: 'handler bug', streamId: expect.stringMatching(/^sitevisit-/) });
    const failures = await t.db.selectFrom('projection_failures' as never).selectAll().execute();
    expect(failures).toHaveLength(mine.parked.length);
    // Other projections are not affected.
    expect(status.projections.filter((p) => p.name === 'progress').every((p) => p.status === 'running' && p.parked.length === 0)).toBe(true);
    // The parked streams' site visits are missing; the other streams' rows are there.
    const live = await readAllRows(t.db, inst.schema_name, flaky.tables);
    expect(live.site_visits!.some((v) => v.status === 'completed')).toBe(false);
    expect(live.meetings!.length).toBeGreaterThan(0);

    broken = false;
    const resumed = await resumeInstance(t.db, inst.schema_name, flaky);
    expect(resumed.rebuild).toBeDefined();
    const rebuild = new ProjectionRunner({ db: t.db, store, projection: flaky, schema: resumed.rebuild!, batchSize: 1000 });
    expect((await rebuild.catchUp()).kind).toBe('idle');
    const { actual, expected } = await compareWithFold(t.db, store, flaky, resumed.rebuild!);
    expect(actual).toEqual(expected);
    expect(actual.site_visits!.some((v) => v.status === 'completed')).toBe(true);
    expect((await projectionStatus(t.db)).projections.every((p) => p.parked.length === 0)).toBe(true);
  });
});

describe('a batch of only other projections\' events (issue 13)', () => {
  it('moves the checkpoint in one statement, and not for a runner whose lease another holder has, nor past a moved checkpoint', async () => {
    const live = await createInstance(t.db, scheduleProjection, 'live');
    await new ProjectionRunner({ db: t.db, store, projection: scheduleProjection, schema: live.schema_name }).catchUp();
    const from = await new ProjectionRunner({ db: t.db, store, projection: scheduleProjection, schema: live.schema_name }).position();
    // Events the schedule projection does not handle: months of an agency.
    const appended = await store.appendToStream(`participation-fast-${from}`, [{ type: 'MonthlyMeasuresRecorded', data: { collaborativeId: 'c', agencyId: 'a', month: '2030-01', counts: {} } }], { expectedVersion: 0, metadata: { actorId: 'test', actorRole: 'admin', correlationId: 'test' } });
    const batch = { from, to: appended.lastPosition, events: (await store.readAll({ after: from })).events, full: false };
    expect(batch.events.length).toBeGreaterThan(0);

    // Held by another holder: refused, with the reason the full path gives.
    await sql`UPDATE projection_instances SET claimed_by = 'other', claimed_until = now() + interval '1 minute' WHERE schema_name = ${live.schema_name}`.execute(t.db);
    const notOurs = new ProjectionRunner({ db: t.db, store, projection: scheduleProjection, schema: live.schema_name, leaseHolder: 'me' });
    expect(await notOurs.applyBatch(batch)).toEqual({ kind: 'stopped', reason: 'lease lost' });
    expect(await notOurs.position()).toBe(from);

    // Ours: one UPDATE, no transaction (counted on the pool's clients).
    await sql`UPDATE projection_instances SET claimed_by = 'me' WHERE schema_name = ${live.schema_name}`.execute(t.db);
    const recorder = recordStatements(t.pool);
    try {
      expect(await notOurs.applyBatch(batch)).toEqual({ kind: 'applied', events: 0, position: batch.to });
    } finally {
      recorder.stop();
      recorder.on = false;
    }
    const statements = recorder.statements;
    expect(statements.filter((s) => !/^(BEGIN|COMMIT)$/i.test(s.trim()))).toHaveLength(1);
    expect(statements.some((s) => /^begin/i.test(s.trim()))).toBe(false);
    expect(await notOurs.position()).toBe(batch.to);

    // The same batch again: the checkpoint has moved on, so it is not applied twice.
    expect(await notOurs.applyBatch(batch)).toEqual({ kind: 'stopped', reason: 'checkpoint moved: another runner applied this batch' });
  });
});
