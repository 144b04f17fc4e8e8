import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { ConcurrencyError } from './errors';
import { EventStore } from './event-store';
import { events, meta } from './test-helpers';

let tdb: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  tdb = await createTestDatabase({ poolSize: 10 });
  store = new EventStore({ pool: tdb.pool, groupCommit: { maxInFlight: 1, maxBatch: 32 } });
});
afterAll(async () => {
  await store.close();
  await tdb.drop();
});

describe('group commit', () => {
  it('commits concurrent appends together, yet each succeeds or fails alone', async () => {
    await store.appendToStream('gc-contested', events(1), { expectedVersion: 'no_stream', metadata: meta });
    const independent = Array.from({ length: 40 }, (_, i) =>
      store.appendToStream(`gc-own-${i}`, events(2), { expectedVersion: 'no_stream', metadata: meta }),
    );
    const contested = Array.from({ length: 10 }, () =>
      store.appendToStream('gc-contested', events(1), { expectedVersion: 1, metadata: meta }),
    );
    const badId = store.appendToStream('gc-bad', [{ type: 'X', data: {}, id: 'not-a-uuid' }], { expectedVersion: 'no_stream', metadata: meta });
    const [own, fought, bad] = await Promise.all([
      Promise.allSettled(independent),
      Promise.allSettled(contested),
      badId.then(() => null, (e: unknown) => e),
    ]);

    expect(own.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(fought.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of fought.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
    }
    expect(bad).toMatchObject({ code: '22P02' }); // invalid uuid: refused alone
    expect((await store.readStream('gc-bad')).version).toBe(0);
    expect((await store.readStream('gc-contested')).events).toHaveLength(2);

    // Fewer transactions than appends: the appends were grouped.
    const { rows } = await tdb.pool.query<{ appends: number; transactions: number }>(
      `SELECT count(DISTINCT stream_id)::int AS appends, count(DISTINCT transaction_id::text)::int AS transactions
         FROM events WHERE stream_id LIKE 'gc-own-%'`,
    );
    expect(rows[0]!.appends).toBe(40);
    expect(rows[0]!.transactions).toBeLessThan(40);

    // Every stream got its own contiguous versions and the feed holds each event once, in order.
    const feed = (await store.readAll({ after: 0, limit: 10_000 })).events.filter((e) => e.streamId.startsWith('gc-own-'));
    expect(feed).toHaveLength(80);
    for (let i = 1; i < feed.length; i++) expect(feed[i]!.globalPosition).toBeGreaterThan(feed[i - 1]!.globalPosition);
    for (let i = 0; i < 40; i++) {
      expect((await store.readStream(`gc-own-${i}`)).events.map((e) => e.streamVersion)).toEqual([1, 2]);
    }
  });

  it('two requests with the same idempotency key in one batch append once', async () => {
    const same = () =>
      store.appendToStream('gc-idem', events(1), {
        expectedVersion: 'any',
        metadata: meta,
        idempotency: { key: 'gc-key', fingerprint: 'f' },
      });
    const results = await Promise.all([same(), same(), same()]);
    expect((await store.readStream('gc-idem')).events).toHaveLength(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => r.lastPosition)).size).toBe(1);
  });
});

describe('group commit answers', () => {
  it('re-runs a batch chosen as a deadlock victim one append at a time, and both appends land', async () => {
    await store.appendToStream('gc-dl-a', events(1), { expectedVersion: 'no_stream', metadata: meta });
    await store.appendToStream('gc-dl-b', events(1), { expectedVersion: 'no_stream', metadata: meta });
    const other = await tdb.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT version FROM streams WHERE stream_id = 'gc-dl-b' FOR UPDATE`);
      // One batch: it updates gc-dl-a's row, then waits for gc-dl-b's.
      const appends = Promise.all(['gc-dl-a', 'gc-dl-b'].map((id) => store.appendToStream(id, events(1), { expectedVersion: 1, metadata: meta })));
      const waiting = async () => {
        const { rows } = await tdb.pool.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%convene_append_batch%'`,
        );
        return rows.length > 0;
      };
      for (let i = 0; i < 200 && !(await waiting()); i++) await new Promise((r) => setTimeout(r, 10));
      expect(await waiting()).toBe(true);
      // Now this transaction waits for gc-dl-a: a cycle. The batch waited first, so its deadlock
      // check runs first and it is the one rolled back.
      await other.query(`SELECT version FROM streams WHERE stream_id = 'gc-dl-a' FOR UPDATE`);
      await other.query('COMMIT');
      const results = await appends;
      expect(results.map((r) => r.nextExpectedVersion)).toEqual([2, 2]);
      const { rows } = await tdb.pool.query<{ n: number }>(
        `SELECT count(DISTINCT transaction_id::text)::int AS n FROM events WHERE stream_id IN ('gc-dl-a', 'gc-dl-b') AND stream_version = 2`,
      );
      expect(rows[0]!.n).toBe(2); // re-run alone: two transactions
    } finally {
      other.release();
    }
  }, 30_000);

  it('issue 11.5: a deadlock victim caught inside the batch (a subtransaction) is run again alone, not answered with the error', async () => {
    await store.appendToStream('gc-sub-x', events(1), { expectedVersion: 'no_stream', metadata: meta });
    await store.appendToStream('gc-sub-y', events(1), { expectedVersion: 'no_stream', metadata: meta });
    const other = await tdb.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SET LOCAL deadlock_timeout = '30s'`); // the batch's backend detects the cycle
      await other.query(`SELECT version FROM streams WHERE stream_id = 'gc-sub-x' FOR UPDATE`);
      // One batch of two: a request to two streams (y, then x) runs in a subtransaction of
      // convene_append_batch; it updates gc-sub-y's row, then waits for gc-sub-x's.
      const twoStreams = store.appendMany(
        [
          { streamId: 'gc-sub-y', events: events(1), expectedVersion: 1 },
          { streamId: 'gc-sub-x', events: events(1), expectedVersion: 1 },
        ],
        { metadata: meta },
      );
      const beside = store.appendToStream('gc-sub-a', events(1), { expectedVersion: 'no_stream', metadata: meta });
      const waiting = async () => {
        const { rows } = await tdb.pool.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%convene_append_batch%'`,
        );
        return rows.length > 0;
      };
      for (let i = 0; i < 200 && !(await waiting()); i++) await new Promise((r) => setTimeout(r, 10));
      expect(await waiting()).toBe(true);
      // A cycle: the subtransaction is rolled back with 40P01, caught in the batch function, and
      // the batch commits gc-sub-a. Before the fix the caller got the deadlock error (a 500).
      await other.query(`SELECT version FROM streams WHERE stream_id = 'gc-sub-y' FOR UPDATE`);
      await other.query('COMMIT');
      const [a, two] = await Promise.all([beside, twoStreams]);
      expect(a.nextExpectedVersion).toBe(1);
      expect(two.streams.map((s) => s.nextVersion)).toEqual([2, 2]);
      const { rows } = await tdb.pool.query<{ deadlocks: number }>('SELECT deadlocks::int FROM pg_stat_database WHERE datname = current_database()');
      expect(rows[0]!.deadlocks).toBeGreaterThan(0); // it was a deadlock, and the victim was the batch's request
    } finally {
      other.release();
    }
  }, 30_000);

  it('stores JSON null data in a batch as it does alone, without re-running the batch', async () => {
    // Plain appends (with an expected version) are the ones written without convene_append.
    for (let i = 0; i < 3; i++) await store.appendToStream(`gc-null-${i}`, events(1), { expectedVersion: 'no_stream', metadata: meta });
    const results = await Promise.all(
      Array.from({ length: 3 }, (_, i) => store.appendToStream(`gc-null-${i}`, [{ type: 'Nothing', data: null }], { expectedVersion: 1, metadata: meta })),
    );
    const { rows } = await tdb.pool.query<{ data: unknown; kind: string; tx: string }>(
      `SELECT data, jsonb_typeof(data) AS kind, transaction_id::text AS tx FROM events WHERE stream_id LIKE 'gc-null-%' AND stream_version = 2`,
    );
    expect(rows.map((r) => r.kind)).toEqual(['null', 'null', 'null']);
    expect(new Set(rows.map((r) => r.tx)).size).toBe(1); // one batch, not three lone appends
    expect(results.map((r) => r.nextExpectedVersion)).toEqual([2, 2, 2]);
  });

  it('runs appends of many events in transactions of their own, small ones together', async () => {
    const txOf = async (prefix: string) => {
      const { rows } = await tdb.pool.query<{ n: number }>(
        `SELECT count(DISTINCT transaction_id::text)::int AS n FROM events WHERE stream_id LIKE $1`,
        [`${prefix}%`],
      );
      return rows[0]!.n;
    };
    await Promise.all(Array.from({ length: 6 }, (_, i) => store.appendToStream(`gc-big-${i}`, events(20), { expectedVersion: 'no_stream', metadata: meta })));
    await Promise.all(Array.from({ length: 6 }, (_, i) => store.appendToStream(`gc-small-${i}`, events(2), { expectedVersion: 'no_stream', metadata: meta })));
    expect(await txOf('gc-big-')).toBe(6);
    expect(await txOf('gc-small-')).toBe(1);
  });

  it('answers a plain append with a wrong expected version with the actual version, and commits the rest', async () => {
    for (let i = 0; i < 4; i++) await store.appendToStream(`gc-wrong-${i}`, events(i + 1), { expectedVersion: 'no_stream', metadata: meta });
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 4 }, (_, i) => store.appendToStream(`gc-wrong-${i}`, events(1), { expectedVersion: i + 7, metadata: meta })),
      ...Array.from({ length: 4 }, (_, i) => store.appendToStream(`gc-wrong-${i}`, events(1), { expectedVersion: i + 1, metadata: meta })),
      store.appendToStream('gc-wrong-new', events(3), { expectedVersion: 'no_stream', metadata: meta }),
      store.appendToStream('gc-wrong-0', events(1), { expectedVersion: 'no_stream', metadata: meta }),
    ]);
    for (let i = 0; i < 4; i++) {
      const refused = outcomes[i] as PromiseRejectedResult;
      expect(refused.status).toBe('rejected');
      expect(refused.reason).toBeInstanceOf(ConcurrencyError);
      expect(refused.reason).toMatchObject({ streamId: `gc-wrong-${i}`, expected: i + 7, actual: i + 1 });
      expect(outcomes[4 + i]).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: i + 2 } });
      expect((await store.readStream(`gc-wrong-${i}`)).version).toBe(i + 2);
    }
    expect(outcomes[8]).toMatchObject({ status: 'fulfilled', value: { nextExpectedVersion: 3 } });
    expect((outcomes[9] as PromiseRejectedResult).reason).toMatchObject({ streamId: 'gc-wrong-0', actual: 2 });
  });

  it('gives every writer the result of its own append (versions and positions match what is stored)', async () => {
    // As shipped: two batches in flight.
    const shipped = new EventStore({ pool: tdb.pool });
    const writers = 12;
    const rounds = 40;
    const seen: { streamId: string; version: number; position: number }[] = [];
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const streamId = `gc-answer-${w}`;
        let version = 0;
        for (let i = 0; i < rounds; i++) {
          // Every third writer carries an idempotency key: those go the subtransaction way.
          const idempotency = w % 3 === 0 ? { key: `gc-answer-${w}-${i}`, fingerprint: 'f' } : undefined;
          const r = await shipped.appendToStream(streamId, events(1 + (i % 2)), {
            expectedVersion: i === 0 ? 'no_stream' : version,
            metadata: meta,
            ...(idempotency ? { idempotency } : {}),
          });
          version = r.nextExpectedVersion;
          seen.push({ streamId, version, position: r.lastPosition });
        }
      }),
    );
    for (const s of seen) {
      const { rows } = await tdb.pool.query<{ stream_id: string; stream_version: number }>(
        'SELECT stream_id, stream_version FROM events WHERE global_position = $1',
        [s.position],
      );
      expect(rows[0]).toEqual({ stream_id: s.streamId, stream_version: s.version });
    }
    expect(seen).toHaveLength(writers * rounds);
    await shipped.close();
  });
});
