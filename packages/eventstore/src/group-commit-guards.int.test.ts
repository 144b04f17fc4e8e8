// Issue 13: requests with guards take the batch's set-based path (migrations/0840). A guard must
// hold when the batch commits, exactly as convene_append checks it, and a guarded request must not
// ride in one statement with an append to the stream it guards.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { ConcurrencyError } from './errors';
import { EventStore } from './event-store';
import { batchPayload, type AppendRequest, type Pending } from './group-commit';
import { events, meta, openTransaction } from './test-helpers';

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

const request = (streamId: string, expected: number, guards: { streamId: string; expectedVersion: number }[] = []): AppendRequest => ({
  appends: [{ streamId, streamType: 'thing', expected, events: [{ id: crypto.randomUUID(), type: 'ThingHappened', schemaVersion: 1, data: { streamId } }] }],
  guards,
  metadata: meta,
  idemKey: null,
  idemFingerprint: null,
  idemExtra: null,
  recordedAt: null,
});
const pending = (r: AppendRequest): Pending => ({ request: r, resolve: () => undefined, reject: () => undefined });

/** Streams at a version: `n` events each, appended alone. */
async function streamsAt(n: number, ...ids: string[]) {
  for (const id of ids) await store.appendToStream(id, events(n), { expectedVersion: 'no_stream', metadata: meta });
}

describe('the batch payload', () => {
  it('sends a guarded request in the set-based statement unless a plain request of the batch appends to a stream it guards', () => {
    const { requests, plainEvents } = batchPayload([
      pending(request('p-1', 1, [{ streamId: 'collab', expectedVersion: 3 }])),
      pending(request('p-2', 1, [{ streamId: 'collab', expectedVersion: 3 }])),
      pending(request('p-3', 1, [{ streamId: 'p-4', expectedVersion: 1 }])), // p-4 is appended below
      pending(request('p-4', 1)),
    ]) as { requests: Record<string, unknown>[]; plainEvents: number };
    expect(requests.map((r) => ('full' in r ? 'full' : 'plain'))).toEqual(['plain', 'plain', 'full', 'plain']);
    expect(requests[0]).toMatchObject({ s: 'p-1', g: [{ streamId: 'collab', expectedVersion: 3 }], o: 0 });
    expect(requests[3]).toMatchObject({ s: 'p-4', o: 2 });
    expect(requests[3]).not.toHaveProperty('g');
    expect(plainEvents).toBe(3);
  });
});

describe('guards in the set-based statement', () => {
  it('writes the requests whose guards hold in the statement and answers the others with the guard that failed', async () => {
    await streamsAt(3, 'sg-collab');
    await streamsAt(1, 'sg-a', 'sg-b', 'sg-c');
    const { requests, plainEvents } = batchPayload([
      pending(request('sg-a', 1, [{ streamId: 'sg-collab', expectedVersion: 3 }])),
      pending(request('sg-b', 1, [{ streamId: 'sg-collab', expectedVersion: 2 }])), // stale
      pending(request('sg-c', 1, [{ streamId: 'sg-missing', expectedVersion: 0 }])), // no stream yet: version 0
    ]);
    const client = await tdb.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ r: unknown[] }>('SELECT convene_append_batch_guarded($1, $2) AS r', [JSON.stringify(requests), plainEvents]);
      await client.query('COMMIT');
      const [a, b, c] = rows[0]!.r;
      // The set-based statement answers [version, position]; the request-by-request path an object.
      expect(Array.isArray(a)).toBe(true);
      expect((a as number[])[0]).toBe(2);
      expect(Array.isArray(c)).toBe(true);
      expect(b).toMatchObject({ error: { code: 'CV001' } });
      expect(JSON.parse((b as { error: { detail: string } }).error.detail)).toEqual({ streamId: 'sg-collab', expected: 2, actual: 3 });
    } finally {
      client.release();
    }
    expect((await store.readStream('sg-a')).version).toBe(2);
    expect((await store.readStream('sg-b')).version).toBe(1);
    expect((await store.readStream('sg-c')).version).toBe(2);
  });

  it('waits for a concurrent append to a guarded stream and then refuses what it guarded at the old version', async () => {
    await streamsAt(1, 'sl-collab');
    await streamsAt(1, 'sl-a', 'sl-b', 'sl-c');
    // Another transaction appends to the guarded stream and has not committed yet.
    const other = await openTransaction(tdb.pool);
    await store.appendToStream('sl-collab', events(1), { expectedVersion: 1, metadata: meta, client: other.client });
    const guarded = ['sl-a', 'sl-b', 'sl-c'].map((id) =>
      store.appendToStream(id, events(1), { expectedVersion: 1, metadata: meta, guards: [{ streamId: 'sl-collab', expectedVersion: 1 }] }).then(
        () => 'appended',
        (e: unknown) => e,
      ),
    );
    let settled = false;
    void Promise.all(guarded).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    const waited = !settled;
    await other.commit();
    const outcomes = await Promise.all(guarded);
    // The guard's row lock waits for the appender: without it, the batch would have been checked
    // against the snapshot's version 1 and written.
    expect(waited).toBe(true);
    for (const o of outcomes) {
      expect(o).toBeInstanceOf(ConcurrencyError);
      expect(o).toMatchObject({ streamId: 'sl-collab', actual: 2 });
    }
    for (const id of ['sl-a', 'sl-b', 'sl-c']) expect((await store.readStream(id)).version).toBe(1);
  });

  it('a guard taken by a batch holds until that batch commits: an append to the guarded stream waits for it', async () => {
    await streamsAt(1, 'sh-collab');
    await streamsAt(1, 'sh-a', 'sh-b');
    const client = await tdb.pool.connect();
    try {
      await client.query('BEGIN');
      const { requests, plainEvents } = batchPayload([
        pending(request('sh-a', 1, [{ streamId: 'sh-collab', expectedVersion: 1 }])),
        pending(request('sh-b', 1, [{ streamId: 'sh-collab', expectedVersion: 1 }])),
      ]);
      const { rows } = await client.query<{ r: unknown[] }>('SELECT convene_append_batch_guarded($1, $2) AS r', [JSON.stringify(requests), plainEvents]);
      expect(rows[0]!.r.every(Array.isArray)).toBe(true);
      // The batch has not committed: an append to the collaborative stream must wait for it.
      let moved = false;
      const mover = store.appendToStream('sh-collab', events(1), { expectedVersion: 1, metadata: meta }).then(() => (moved = true));
      await new Promise((r) => setTimeout(r, 300));
      const waited = !moved;
      await client.query('COMMIT');
      await mover;
      expect(waited).toBe(true);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined); // after a failed expectation: nothing left open
      client.release();
    }
    expect((await store.readStream('sh-collab')).version).toBe(2);
  });
});
