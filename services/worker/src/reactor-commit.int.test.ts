// Issue 13: the delivery planner commits without waiting for the WAL flush, as the projector does.
// That is safe only because a lost commit (an OS crash within the flush delay) leaves neither the
// planned rows nor the moved checkpoint, and planning the batch again writes the same rows. Both
// halves are asserted here; and the session setting must not leak to the pool's other users (the
// sender's claims and the event store's appends stay synchronous).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { createReactor, REACTOR_NAME } from './reactor';
import { scenario, TestClock } from './testing/scenario';
import { silentLogger } from './types';

let tdb: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  tdb = await createTestDatabase({ poolSize: 4 });
  store = new EventStore({ pool: tdb.pool, notify: false });
});
afterAll(async () => {
  await store.close();
  await tdb.drop();
});

/** Asks each COMMIT's own session, just before it, what synchronous_commit it will commit with. */
function commitModes(pool: pg.Pool): string[] {
  const modes: string[] = [];
  const wrapped = new WeakSet<object>();
  pool.on('acquire', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = async (...args: unknown[]) => {
      if (args[0] === 'COMMIT') {
        const shown = (await query('SHOW synchronous_commit')) as pg.QueryResult<{ synchronous_commit: string }>;
        modes.push(shown.rows[0]!.synchronous_commit);
      }
      return query(...args);
    };
  });
  return modes;
}

const plannedRows = async () =>
  (
    await tdb.pool.query<{ key: string; kind: string; subject_id: string; due_at: Date; payload: unknown; status: string }>(
      'SELECT key, kind, subject_id, due_at, payload, status FROM scheduled_deliveries ORDER BY key',
    )
  ).rows;

describe('issue 13: the delivery planner commits asynchronously, and a lost commit is planned again', () => {
  it('issue 13: planning transactions commit with synchronous_commit off; the pool keeps on; a lost commit re-plans the same rows', async () => {
    const clock = new TestClock(new Date('2030-03-01T09:00:00Z'));
    const s = scenario(store, clock);
    const agencies = await s.launch(3);
    await s.scheduleMeeting(new Date('2030-03-20T15:00:00Z'), agencies.map((a) => a.agencyId), { agenda: 'Walk-through results' });

    const modes = commitModes(tdb.pool);
    const reactor = createReactor({ pool: tdb.pool, store, logger: silentLogger });
    expect(await reactor.catchUp()).toBeGreaterThan(0);
    const planned = await plannedRows();
    expect(planned.length).toBeGreaterThan(0);
    expect(modes.length).toBeGreaterThan(0);
    expect(new Set(modes)).toEqual(new Set(['off']));
    // SET LOCAL ended with the transaction: the next user of the same connections commits synchronously.
    const sessions = await Promise.all([1, 2, 3, 4].map(() => tdb.pool.connect()));
    try {
      for (const c of sessions) expect((await c.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]!.synchronous_commit).toBe('on');
    } finally {
      for (const c of sessions) c.release();
    }

    // What the database holds after an OS crash lost the planning commit: neither its rows nor its checkpoint.
    const head = await reactor.position();
    await tdb.pool.query('BEGIN; DELETE FROM scheduled_deliveries; UPDATE worker_checkpoints SET position = 0 WHERE name = $$' + REACTOR_NAME + '$$; COMMIT');
    expect(await reactor.position()).toBe(0);
    expect(await reactor.catchUp()).toBeGreaterThan(0);
    expect(await reactor.position()).toBe(head);
    expect(await plannedRows()).toEqual(planned);
  });
});
