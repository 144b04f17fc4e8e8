// Issue 13: a runner keeps the rows its batches read and wrote, so a row is loaded once, not again
// in every batch that touches it after one that did not; the result is still the fold's. The kept
// rows are what is stored only while nobody else writes the tables: the privacy route's scrub does,
// and moves the key generation in its transaction, so rows kept before an erasure are never
// written back over scrubbed ones (an erased name would come back until the rebuild swapped in).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import { EventStore, PersonalDataVault } from '@convene/eventstore';
import { createTestDatabase, interceptQueries, statementText, type TestDatabase } from '@convene/testkit';
import { progressProjection } from '../models';
import { compareWithFold, runScenario } from '../testing/harness';
import { startProjectorRuntime } from './daemon';
import { applyTogether } from './group-apply';
import { createInstance } from './instances';
import { ProjectionRunner, readFeed } from './runner';
import { scrubErasedValues } from './scrub';

let t: TestDatabase;
let store: EventStore;
const HOLDER = 'kept-rows-test';
const meta = { actorId: 'tester', actorRole: 'admin', correlationId: 'c' };

beforeAll(async () => {
  t = await createTestDatabase();
  store = new EventStore({ pool: t.pool, notify: false });
  await runScenario(store, { collaborative: 1, agencies: 6, months: 6, seed: 5 });
});
afterAll(async () => {
  await store.close();
  await t.drop();
});

async function progressRunner(options: { maxKeptRows?: number } = {}) {
  const inst = await createInstance(t.db, progressProjection, 'shadow');
  await sql`UPDATE projection_instances SET position = 0, claimed_by = ${HOLDER}, claimed_until = now() + interval '1 hour' WHERE schema_name = ${inst.schema_name}`.execute(t.db);
  return new ProjectionRunner({ db: t.db, store, projection: progressProjection, schema: inst.schema_name, leaseHolder: HOLDER, ...options });
}

/** Applies the feed from the runner's checkpoint in batches of `limit`, together (group-apply.ts). */
async function applyAll(runner: ProjectionRunner, limit: number) {
  let from = await runner.position();
  for (;;) {
    const batch = await readFeed(store, { from, limit, types: runner.readTypes });
    if (batch.to <= batch.from) return;
    expect(await applyTogether(t.db, [runner], batch, HOLDER)).toBe(true);
    from = batch.to;
  }
}

/** Every row id the load statements asked for (their text[] parameters), in order. */
function loadedIds() {
  const ids: string[] = [];
  const { stop } = interceptQueries(t.pool, (query, args) => {
    if (/to_jsonb\(loaded/.test(statementText(args))) {
      const config = args[0] as { values?: unknown[] };
      const values = (config.values ?? (args[1] as unknown[]) ?? []) as unknown[];
      for (const v of values) if (Array.isArray(v)) ids.push(...(v as string[]));
    }
    return query(...args);
  });
  return { ids, stop };
}

const agencyRow = async (schema: string, agencyId: string) =>
  (await sql<{ contact: { name: string }; coaching_notes: number }>`SELECT contact, coaching_notes FROM ${sql.raw(schema)}.agencies WHERE agency_id = ${agencyId}`.execute(t.db)).rows[0]!;

const coachingNote = (collaborativeId: string, agencyId: string) =>
  store.appendToStream(`notes-${randomUUID()}`, [{ type: 'CoachingNoteRecorded', data: { collaborativeId, agencyId, coachId: randomUUID(), coachedOn: '2026-02-01', assistance: 'Run chart' } }], { expectedVersion: 'no_stream', metadata: meta });

describe('issue 13: rows kept from batch to batch', () => {
  it('issue 13: each row is loaded once over the whole feed (batches of 5), and the rows are the fold\'s', async () => {
    const runner = await progressRunner();
    const loads = loadedIds();
    try {
      await applyAll(runner, 5);
    } finally {
      loads.stop();
    }
    expect(loads.ids.length).toBeGreaterThan(10);
    // Before, only the previous batch's rows were kept: a row touched again after a batch without it was loaded again.
    expect(loads.ids.length).toBe(new Set(loads.ids).size);
    const { actual, expected } = await compareWithFold(t.db, store, runner.projection, runner.schema);
    expect(actual).toEqual(expected);
  });

  it('issue 13: at most maxKeptRows are kept (the least recently used dropped), and the rows are still the fold\'s', async () => {
    const runner = await progressRunner({ maxKeptRows: 3 });
    const loads = loadedIds();
    try {
      await applyAll(runner, 5);
    } finally {
      loads.stop();
    }
    expect(loads.ids.length).toBeGreaterThan(new Set(loads.ids).size); // dropped rows are loaded again
    const { actual, expected } = await compareWithFold(t.db, store, runner.projection, runner.schema);
    expect(actual).toEqual(expected);
  });

  it('issue 13: an erasure committed while a batch applies: nothing of it commits, and it runs again', async () => {
    const inst = await createInstance(t.db, progressProjection, 'shadow');
    await sql`UPDATE projection_instances SET position = 0 WHERE schema_name = ${inst.schema_name}`.execute(t.db);
    let attempts = 0;
    const runner = new ProjectionRunner({
      db: t.db, store, projection: progressProjection, schema: inst.schema_name,
      // After its rows are written, before its checkpoint moves: an erasure commits (another connection).
      beforeCommit: async () => {
        if (attempts++ === 0) await new PersonalDataVault(t.pool).erase([]);
      },
    });
    const first = await runner.step();
    expect(first.kind).toBe('applied');
    expect(attempts).toBe(2); // the first attempt rolled back
    await runner.catchUp();
    const { actual, expected } = await compareWithFold(t.db, store, runner.projection, runner.schema);
    expect(actual).toEqual(expected);
  });

  it('a PROJECTOR_ROW_CACHE that is not a whole number of rows stops the projector at its start', async () => {
    const before = process.env.PROJECTOR_ROW_CACHE;
    try {
      for (const bad of ['lots', '-1', '2.5']) {
        process.env.PROJECTOR_ROW_CACHE = bad;
        await expect(startProjectorRuntime({ pool: t.pool, db: t.db, store, projections: [progressProjection], pollIntervalMs: 50 })).rejects.toThrow(/PROJECTOR_ROW_CACHE/);
      }
    } finally {
      if (before === undefined) delete process.env.PROJECTOR_ROW_CACHE;
      else process.env.PROJECTOR_ROW_CACHE = before;
    }
  });

  for (const path of ['together', 'alone'] as const) {
    it(`issue 13: an erasure between two batches: the row scrubbed in between is read anew, not written back from the kept rows (${path})`, async () => {
      const runner = await progressRunner();
      await applyAll(runner, 50);
      const { rows } = await sql<{ collaborative_id: string; agency_id: string; contact: { name: string } }>`SELECT collaborative_id, agency_id, contact FROM ${sql.raw(runner.schema)}.agencies ORDER BY id LIMIT 1`.execute(t.db);
      const { collaborative_id: collaborativeId, agency_id: agencyId, contact } = rows[0]!;
      // The last batch touches the agency: its row is among the kept ones.
      await coachingNote(collaborativeId, agencyId);
      if (path === 'together') await applyAll(runner, 50);
      else await runner.catchUp();
      const notes = (await agencyRow(runner.schema, agencyId)).coaching_notes;

      // As the privacy route does: scrub the live rows and delete keys (moving the generation) in one transaction.
      const client = await t.pool.connect();
      try {
        await client.query('BEGIN');
        await scrubErasedValues(client, [{ schema: runner.schema, tables: progressProjection.tables }], [{ value: contact.name, placeholder: '[erased]' }]);
        await new PersonalDataVault(t.pool).erase([], client);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      expect((await agencyRow(runner.schema, agencyId)).contact.name).toBe('[erased]');

      await coachingNote(collaborativeId, agencyId);
      if (path === 'together') await applyAll(runner, 50);
      else await runner.catchUp();
      const after = await agencyRow(runner.schema, agencyId);
      expect(after.coaching_notes).toBe(notes + 1);
      expect(after.contact.name).toBe('[erased]');
    });
  }
});
