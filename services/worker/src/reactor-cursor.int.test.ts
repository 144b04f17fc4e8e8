// The reactor's checkpoint and commits.
// Issue 11.12: the checkpoint moves past events of types it does not plan from, so each pass does
// not rescan the backlog of other types.
// Issue 13: the planner commits without waiting for the WAL flush, as the projector does. That is
// safe only because a lost commit (an OS crash within the flush delay) leaves neither the planned
// rows nor the moved checkpoint, and planning the batch again writes the same rows. Both halves are
// asserted; and the session setting must not leak to the pool's other users (the sender's claims
// and the event store's appends stay synchronous).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { EventStore } from '@convene/eventstore';
import { createTestDatabase, interceptQueries, statementText, type TestDatabase } from '@convene/testkit';
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

describe('reactor checkpoint', () => {
  it('issue 11.12: a pass over only other types\' events moves the reactor checkpoint to the newest settled event', async () => {
    const meta = { actorId: 'tester', actorRole: 'admin', correlationId: 'c' };
    let last = 0;
    for (let i = 0; i < 5; i++) {
      last = (await store.appendToStream(`other-${i}`, [{ type: 'NotPlannedFrom', data: { i } }, { type: 'NotPlannedFrom', data: { i } }], { expectedVersion: 'no_stream', metadata: meta })).lastPosition;
    }
    const reactor = createReactor({ pool: tdb.pool, store, logger: silentLogger, batchSize: 3 });
    expect(await reactor.catchUp()).toBe(0);
    // Before the fix it stayed at 0 and every pass read the whole backlog again.
    expect(await reactor.position()).toBe(last);
    expect(await store.headPosition()).toBe(last);
  });
});

/** Asks each COMMIT's own session, just before it, what synchronous_commit it will commit with. */
function commitModes(pool: pg.Pool): { modes: string[]; stop(): void } {
  const modes: string[] = [];
  const { stop } = interceptQueries(pool, async (query, args) => {
    if (statementText(args) === 'COMMIT') {
      const shown = (await query('SHOW synchronous_commit')) as pg.QueryResult<{ synchronous_commit: string }>;
      modes.push(shown.rows[0]!.synchronous_commit);
    }
    return query(...args);
  });
  return { modes, stop };
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

    const { modes, stop } = commitModes(tdb.pool);
    const reactor = createReactor({ pool: tdb.pool, store, logger: silentLogger });
    expect(await reactor.catchUp()).toBeGreaterThan(0);
    const planned = await plannedRows();
    expect(planned.length).toBeGreaterThan(0);
    expect(modes.length).toBeGreaterThan(0);
    expect(new Set(modes)).toEqual(new Set(['off']));
    stop();
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
