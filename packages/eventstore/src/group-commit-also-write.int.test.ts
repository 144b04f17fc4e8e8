// Issue 13: an append with a write riding along (the API's stored answer to a keyed command) is
// group-committed: the write runs in the batch's transaction with its own request's answer, and
// not for a request that was refused or replayed (convene_also_write, migrations/0850).
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
  // A primary key, so that a write can be made to fail.
  await tdb.pool.query('CREATE TABLE answers (tag text PRIMARY KEY, stream text, version integer, position bigint, tx text DEFAULT txid_current()::text)');
});
afterAll(async () => {
  await store.close();
  await tdb.drop();
});

const alsoWrite = (tag: string, stream: string) => ({
  sql: `INSERT INTO answers (tag, stream, version, position)
        SELECT $1->>0, $1->>1, (s->>'nextVersion')::integer, ($2->>'lastPosition')::bigint
          FROM jsonb_array_elements($2->'streams') s WHERE s->>'streamId' = $1->>1`,
  values: [tag, stream],
});
const keyed = (tag: string, stream: string, expectedVersion: number | 'no_stream', key = tag) =>
  store.appendMany([{ streamId: stream, events: events(1), expectedVersion }], {
    metadata: meta,
    idempotency: { key, fingerprint: stream },
    alsoWrite: alsoWrite(tag, stream),
  });

describe('writes riding with group-committed appends', () => {
  it('share the batches of their appends, each written in its append transaction with its own answer', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => keyed(`w-${i}`, `aw-${i}`, 'no_stream')));
    const { rows } = await tdb.pool.query<{ tag: string; version: number; position: string; tx: string }>(`SELECT * FROM answers WHERE tag LIKE 'w-%'`);
    expect(rows).toHaveLength(30);
    results.forEach((r, i) => {
      const row = rows.find((x) => x.tag === `w-${i}`)!;
      expect({ version: row.version, position: Number(row.position) }).toEqual({ version: 1, position: r.lastPosition });
    });
    // Each write committed with its own append, and the appends shared transactions.
    const { rows: events } = await tdb.pool.query<{ stream_id: string; tx: string }>(
      `SELECT stream_id, transaction_id::text AS tx FROM events WHERE stream_id LIKE 'aw-%'`,
    );
    for (const e of events) expect(rows.find((x) => x.tag === `w-${e.stream_id.slice(3)}`)!.tx).toBe(e.tx);
    expect(new Set(events.map((e) => e.tx)).size).toBeLessThan(10);
  });

  it('writes nothing for a refused or replayed append in a batch, and a write that fails fails only its own request', async () => {
    await keyed('first', 'ax-replayed', 'no_stream', 'ax-key');
    await store.appendToStream('ax-contested', events(1), { expectedVersion: 'no_stream', metadata: meta });
    await tdb.pool.query(`INSERT INTO answers (tag) VALUES ('taken')`);
    const settled = await Promise.allSettled([
      keyed('replay', 'ax-replayed', 'no_stream', 'ax-key'),
      keyed('contested-1', 'ax-contested', 1),
      keyed('contested-2', 'ax-contested', 1),
      keyed('taken', 'ax-taken', 'no_stream'),
      ...Array.from({ length: 8 }, (_, i) => keyed(`ok-${i}`, `ax-ok-${i}`, 'no_stream')),
    ]);
    const [replay, c1, c2, taken, ...ok] = settled;
    expect(replay).toMatchObject({ status: 'fulfilled', value: { replayed: true } });
    expect([c1, c2].filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect([c1, c2].find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.any(ConcurrencyError) });
    expect(taken).toMatchObject({ status: 'rejected', reason: { code: '23505' } });
    expect(ok.every((r) => r.status === 'fulfilled')).toBe(true);

    const { rows } = await tdb.pool.query<{ tag: string; stream: string | null }>(`SELECT tag, stream FROM answers WHERE tag NOT LIKE 'w-%' ORDER BY tag`);
    const won = c1.status === 'fulfilled' ? 'contested-1' : 'contested-2';
    expect(rows.map((r) => r.tag)).toEqual(['first', won, ...Array.from({ length: 8 }, (_, i) => `ok-${i}`), 'taken'].sort());
    // The failed write's append is undone with it; the 'taken' row is the one inserted before.
    expect(rows.find((r) => r.tag === 'taken')!.stream).toBeNull();
    expect((await store.readStream('ax-taken')).version).toBe(0);
    expect((await store.readStream('ax-replayed')).version).toBe(1);
  });
});
