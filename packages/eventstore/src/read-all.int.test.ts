import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { EventStore } from './event-store';
import { subscribe } from './subscription';
import { events, meta, openTransaction } from './test-helpers';
import type { RecordedEvent } from './types';

let tdb: TestDatabase;
let store: EventStore;

beforeAll(async () => {
  tdb = await createTestDatabase({ poolSize: 40 });
  store = new EventStore({ pool: tdb.pool });
  await tdb.pool.query('CREATE TABLE scratch (x int)');
});
afterAll(async () => tdb.drop());

async function positionsAfter(after: number): Promise<number[]> {
  return (await store.readAll({ after, limit: 10_000 })).events.map((e) => e.globalPosition);
}

describe('readAll is gap-safe', () => {
  it('does not pass an append that commits after a later one, then returns it; passes a rolled-back hole', async () => {
    const start = (await store.readAll({ after: 0, limit: 10_000 })).next;

    // A takes its xid (and so its position) first and stays open.
    const slow = await openTransaction(tdb.pool);
    await store.appendToStream('slow-1', events(2), { expectedVersion: 'no_stream', metadata: meta, client: slow.client });
    // B commits while A is open: its positions are higher than A's.
    const fast = await store.appendToStream('fast-1', events(1), { expectedVersion: 'no_stream', metadata: meta });
    // C rolls back: its positions are a hole.
    const rolledBack = await openTransaction(tdb.pool);
    await store.appendToStream('gone-1', events(1), { expectedVersion: 'no_stream', metadata: meta, client: rolledBack.client });
    await rolledBack.rollback();

    const slowPositions = (await tdb.pool.query<{ p: number }>(
      "SELECT global_position AS p FROM events WHERE stream_id = 'fast-1'",
    )).rows;
    expect(slowPositions).toHaveLength(1);
    expect(await positionsAfter(start)).toEqual([]); // B is committed but not passed while A runs

    await slow.commit();
    const slowRead = (await store.readStream('slow-1')).events.map((e) => e.globalPosition);
    expect(slowRead[1]!).toBeLessThan(fast.lastPosition);
    expect(await positionsAfter(start)).toEqual([...slowRead, fast.lastPosition]);
  });

  it('an open transaction that wrote something but appended no event does not hold readAll back', async () => {
    const start = (await store.readAll({ after: 0, limit: 10_000 })).next;
    const idle = await openTransaction(tdb.pool);
    await idle.client.query('INSERT INTO scratch VALUES (1)');
    const { rows } = await idle.client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');

    const appended = await store.appendToStream('busy-1', events(3), { expectedVersion: 'no_stream', metadata: meta });
    // The plain xmin rule would stall here: the idle writer is the oldest running transaction.
    const xmin = await tdb.pool.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
    expect(BigInt(xmin.rows[0]!.xmin)).toBeLessThanOrEqual(BigInt(rows[0]!.xid));

    const read = await positionsAfter(start);
    expect(read).toHaveLength(3);
    expect(read.at(-1)).toBe(appended.lastPosition);
    await idle.rollback();
  });

  it('many writers, some held open and some rolled back: a follower sees every committed event once, in order', async () => {
    const start = (await store.readAll({ after: 0, limit: 10_000 })).next;
    const writers = 16;
    const perWriter = 320; // 5,120 events attempted
    const committed = new Set<string>();
    const seen: RecordedEvent[] = [];
    let writing = true;

    const follower = (async () => {
      let after = start;
      for (;;) {
        const { events: batch, next } = await store.readAll({ after, limit: 250 });
        seen.push(...batch);
        after = next;
        if (batch.length === 0) {
          if (!writing) {
            const tail = await store.readAll({ after, limit: 10_000 });
            seen.push(...tail.events);
            if (tail.events.length === 0) return;
            after = tail.next;
          }
          await new Promise((r) => setTimeout(r, 2));
        }
      }
    })();

    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        let i = 0;
        while (i < perWriter) {
          const size = 1 + ((w + i) % 4);
          const tx = await openTransaction(tdb.pool);
          const batch = Array.from({ length: size }, (_, k) => ({
            id: undefined,
            type: 'Written',
            data: { w, i: i + k },
          }));
          await store.appendToStream(`writer-${w}`, batch, { expectedVersion: 'any', metadata: meta, client: tx.client });
          const { rows } = await tx.client.query<{ id: string }>(
            'SELECT event_id AS id FROM events WHERE transaction_id = pg_current_xact_id()',
          );
          const roll = (w * 7 + i) % 23 === 0;
          if ((w + i) % 9 === 0) await new Promise((r) => setTimeout(r, 5 + (i % 20))); // held open, commits late
          if (roll) await tx.rollback();
          else {
            await tx.commit();
            for (const r of rows) committed.add(r.id);
          }
          i += size;
        }
      }),
    );
    writing = false;
    await follower;

    const ids = seen.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length); // exactly once
    expect(new Set(ids)).toEqual(committed); // every committed event, nothing else
    expect(committed.size).toBeGreaterThan(4000);
    for (let k = 1; k < seen.length; k++) {
      expect(seen[k]!.globalPosition).toBeGreaterThan(seen[k - 1]!.globalPosition);
    }
  }, 180_000); // ~1,600 transactions: seconds alone, far longer on a machine shared with heavy load
});

describe('issue 11.12: filtered reads', () => {
  it('issue 11.12: a type-filtered read moves its cursor past other types\' events up to the newest settled one, never past an open appender', async () => {
    const start = (await store.readAll({ after: 0, limit: 100_000 })).next;
    let lastOther = 0;
    for (let i = 0; i < 4; i++) lastOther = (await store.appendToStream(`other-t-${i}`, events(3, 'OtherType'), { expectedVersion: 'no_stream', metadata: meta })).lastPosition;
    const first = await store.readAll({ after: start, limit: 10, types: ['WantedType'] });
    expect(first.events).toEqual([]);
    expect(first.next).toBe(lastOther); // before: `start`, and each poll scanned the 12 again

    // An appender holds a wanted event open; a later append of another type commits.
    const slow = await openTransaction(tdb.pool);
    await store.appendToStream('wanted-t-1', events(1, 'WantedType'), { expectedVersion: 'no_stream', metadata: meta, client: slow.client });
    const later = await store.appendToStream('other-t-9', events(1, 'OtherType'), { expectedVersion: 'no_stream', metadata: meta });
    const held = await store.readAll({ after: first.next, limit: 10, types: ['WantedType'] });
    expect(held.events).toEqual([]);
    expect(held.next).toBe(first.next); // not past the open appender's position
    await slow.commit();
    const got = await store.readAll({ after: held.next, limit: 10, types: ['WantedType'] });
    expect(got.events.map((e) => e.streamId)).toEqual(['wanted-t-1']);
    expect(got.next).toBe(later.lastPosition);
    // A full batch ends at its last event.
    const full = await store.readAll({ after: start, limit: 2, types: ['OtherType'] });
    expect(full.next).toBe(full.events[1]!.globalPosition);
  });

  it('issue 11.12: readAll({ collaborativeId }) returns only the events naming that collaborative, in order, through the index', async () => {
    const start = (await store.readAll({ after: 0, limit: 100_000 })).next;
    const mine = '00000000-0000-4000-8000-000000000001';
    for (let i = 0; i < 6; i++) {
      await store.appendToStream(`collab-${i}`, [{ type: 'Noted', data: { collaborativeId: i % 3 === 0 ? mine : `00000000-0000-4000-8000-0000000000b${i}`, i } }], { expectedVersion: 'no_stream', metadata: meta });
    }
    const read = await store.readAll({ after: start, collaborativeId: mine });
    expect(read.events.map((e) => (e.data as { i: number }).i)).toEqual([0, 3]);
    const { rows } = await tdb.pool.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE indexname = 'events_collaborative'`);
    expect(rows[0]?.indexdef).toMatch(/collaborativeId/);
  });
});

describe('subscribe', () => {
  it('wakes on NOTIFY and delivers appended events in order', async () => {
    const start = (await store.readAll({ after: 0, limit: 100_000 })).next;
    const got: number[] = [];
    const sub = subscribe(store, {
      after: start,
      pollIntervalMs: 60_000, // only a notification can wake it in time
      handle: async (batch) => void got.push(...batch.map((e) => e.globalPosition)),
    });
    await new Promise((r) => setTimeout(r, 200)); // let it LISTEN
    const a = await store.appendToStream('sub-1', events(2), { expectedVersion: 'no_stream', metadata: meta });
    const deadline = Date.now() + 5000;
    while (got.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await sub.stop();
    expect(got).toHaveLength(2);
    expect(got[1]).toBe(a.lastPosition);
    expect(sub.position).toBe(a.lastPosition);
  });
});
