import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { ConcurrencyError, EmptyAppendError, IdempotencyConflictError, isConcurrencyError } from './errors';
import { EventStore } from './event-store';
import { events, meta, openTransaction } from './test-helpers';
import { UpcasterRegistry } from './upcasters';

let tdb: TestDatabase;
let store: EventStore;

beforeAll(async () => {
  tdb = await createTestDatabase({ poolSize: 70 });
  store = new EventStore({ pool: tdb.pool });
});
afterAll(async () => tdb.drop());

describe('appendToStream', () => {
  it('appends with no_stream, then with the right version, and refuses a wrong one with the versions', async () => {
    const first = await store.appendToStream('thing-a', events(2), { expectedVersion: 'no_stream', metadata: meta });
    expect(first.nextExpectedVersion).toBe(2);
    const second = await store.appendToStream('thing-a', events(1), { expectedVersion: 2, metadata: meta });
    expect(second.nextExpectedVersion).toBe(3);
    expect(second.lastPosition).toBeGreaterThan(first.lastPosition);

    const wrong = await store
      .appendToStream('thing-a', events(1), { expectedVersion: 1, metadata: meta })
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ConcurrencyError);
    expect(wrong).toMatchObject({ streamId: 'thing-a', expected: 1, actual: 3 });

    const exists = await store
      .appendToStream('thing-a', events(1), { expectedVersion: 'no_stream', metadata: meta })
      .catch((e: unknown) => e);
    expect(exists).toMatchObject({ streamId: 'thing-a', expected: 'no_stream', actual: 3 });
    expect((await store.readStream('thing-a')).version).toBe(3);
  });

  it('stores the metadata, a uuid v7 event id, the schema version and the stream type', async () => {
    await store.appendToStream('widget-1', [{ type: 'WidgetMade', data: { n: 1 } }], {
      expectedVersion: 'any',
      metadata: { ...meta, causationId: 'cause-1', requestId: 'req-1' },
    });
    const [event] = (await store.readStream('widget-1')).events;
    expect(event).toBeDefined();
    expect(event!.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(event!.streamType).toBe('widget');
    expect(event!.metadata).toMatchObject({
      actorId: 'tester',
      actorRole: 'admin',
      correlationId: 'c-1',
      causationId: 'cause-1',
      requestId: 'req-1',
      schemaVersion: 1,
      eventId: event!.eventId,
    });
    expect(new Date(event!.metadata.recordedAt).getTime()).toBe(event!.recordedAt.getTime());
  });

  it('64 concurrent appends with the same expected version: one wins, 63 conflict, one event added', async () => {
    await store.appendToStream('race-1', events(1), { expectedVersion: 'no_stream', metadata: meta });
    const results = await Promise.allSettled(
      Array.from({ length: 64 }, (_, i) =>
        store.appendToStream('race-1', [{ type: 'Raced', data: { i } }], { expectedVersion: 1, metadata: meta }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(63);
    for (const r of lost) {
      expect(isConcurrencyError((r as PromiseRejectedResult).reason)).toBe(true);
      expect((r as PromiseRejectedResult).reason).toMatchObject({ streamId: 'race-1', expected: 1, actual: 2 });
    }
    const { version, events: stored } = await store.readStream('race-1');
    expect(version).toBe(2);
    expect(stored.filter((e) => e.type === 'Raced')).toHaveLength(1);
  });

  it('64 concurrent creations of one stream: exactly one succeeds', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 64 }, () => store.appendToStream('race-2', events(1), { expectedVersion: 'no_stream', metadata: meta })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await store.readStream('race-2')).events).toHaveLength(1);
  });

  it('appendMany writes all streams or none, and a guard on a moved stream refuses the whole append', async () => {
    await store.appendToStream('guarded-1', events(1), { expectedVersion: 'no_stream', metadata: meta });
    const refused = await store
      .appendMany(
        [
          { streamId: 'many-a', events: events(1), expectedVersion: 'no_stream' },
          { streamId: 'many-b', events: events(1), expectedVersion: 'no_stream' },
        ],
        { metadata: meta, guards: [{ streamId: 'guarded-1', expectedVersion: 0 }] },
      )
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ streamId: 'guarded-1', expected: 'no_stream', actual: 1 });
    expect((await store.readStream('many-a')).version).toBe(0);

    const ok = await store.appendMany(
      [
        { streamId: 'many-a', events: events(2), expectedVersion: 'no_stream' },
        { streamId: 'many-b', events: events(1), expectedVersion: 'no_stream' },
      ],
      { metadata: meta, guards: [{ streamId: 'guarded-1', expectedVersion: 1 }] },
    );
    expect(ok.streams.map((s) => s.nextVersion)).toEqual([2, 1]);
    const a = await store.readStream('many-a');
    const b = await store.readStream('many-b');
    expect(b.events[0]!.globalPosition).toBeGreaterThan(a.events[1]!.globalPosition);
    expect(ok.lastPosition).toBe(b.events[0]!.globalPosition);
  });

  it('refuses an append that is not the first write of its transaction', async () => {
    const tx = await openTransaction(tdb.pool);
    await tx.client.query("INSERT INTO idempotency_keys (key, fingerprint) VALUES ('x-early', 'f')");
    const error = await store
      .appendToStream('late-1', events(1), { expectedVersion: 'any', metadata: meta, client: tx.client })
      .catch((e: { code?: string }) => e);
    expect(error).toMatchObject({ code: 'CV003' });
    await tx.rollback();
  });

  it('requires actor metadata', async () => {
    await expect(
      store.appendToStream('nometa-1', events(1), { expectedVersion: 'any', metadata: { actorId: '', actorRole: '', correlationId: '' } }),
    ).rejects.toThrow(/actorId/);
  });
});

describe('readStream', () => {
  it('reads a version range and up to a time', async () => {
    const t0 = new Date('2026-01-01T00:00:00Z');
    await store.appendToStream('ranged-1', events(3), { expectedVersion: 'no_stream', metadata: meta, recordedAt: t0 });
    await store.appendToStream('ranged-1', events(2), {
      expectedVersion: 3,
      metadata: meta,
      recordedAt: new Date('2026-02-01T00:00:00Z'),
    });
    expect((await store.readStream('ranged-1', { fromVersion: 2, toVersion: 4 })).events.map((e) => e.streamVersion)).toEqual([2, 3, 4]);
    const untilJan = await store.readStream('ranged-1', { until: new Date('2026-01-15T00:00:00Z') });
    expect(untilJan.events.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    expect((await store.readStream('missing-1')).version).toBe(0);
  });
});

describe('idempotency', () => {
  it('the same key retried 20 times in parallel appends once and answers the same result', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        store.appendToStream('idem-1', [{ type: 'Paid', data: { cents: 500 } }], {
          expectedVersion: 'any',
          metadata: meta,
          idempotency: { key: 'key-1', fingerprint: 'fp-1', extra: { paymentId: 'p1' } },
        }),
      ),
    );
    expect((await store.readStream('idem-1')).events).toHaveLength(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(new Set(results.map((r) => `${r.lastPosition}/${r.nextExpectedVersion}`)).size).toBe(1);
    for (const r of results) expect(r.extra).toEqual({ paymentId: 'p1' });
  });

  it('the same key with another payload is a conflict and appends nothing', async () => {
    const options = { expectedVersion: 'any' as const, metadata: meta };
    await store.appendToStream('idem-2', events(1), { ...options, idempotency: { key: 'key-2', fingerprint: 'a' } });
    const error = await store
      .appendToStream('idem-2', events(1), { ...options, idempotency: { key: 'key-2', fingerprint: 'b' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyConflictError);
    expect((await store.readStream('idem-2')).events).toHaveLength(1);
  });

  it('a key whose append failed is free again', async () => {
    await store.appendToStream('idem-3', events(1), { expectedVersion: 'no_stream', metadata: meta });
    const key = { key: 'key-3', fingerprint: 'f' };
    await expect(
      store.appendToStream('idem-3', events(1), { expectedVersion: 'no_stream', metadata: meta, idempotency: key }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    const ok = await store.appendToStream('idem-3', events(1), { expectedVersion: 1, metadata: meta, idempotency: key });
    expect(ok.replayed).toBe(false);
  });
});

describe('immutability', () => {
  it('the database refuses UPDATE, DELETE and TRUNCATE on events', async () => {
    await store.appendToStream('frozen-1', events(1), { expectedVersion: 'any', metadata: meta });
    await expect(tdb.pool.query(`UPDATE events SET data = '{}' WHERE stream_id = 'frozen-1'`)).rejects.toThrow(/immutable/);
    await expect(tdb.pool.query(`DELETE FROM events WHERE stream_id = 'frozen-1'`)).rejects.toThrow(/immutable/);
    await expect(tdb.pool.query('TRUNCATE events')).rejects.toThrow(/immutable/);
    expect((await store.readStream('frozen-1')).events).toHaveLength(1);
  });
});

describe('upcasting', () => {
  it('reads an old schema version as the current one', async () => {
    const upcasters = new UpcasterRegistry()
      .register('NameGiven', 1, (d: { name: string }) => ({ fullName: d.name }))
      .register('NameGiven', 2, (d: { fullName: string }) => ({ fullName: d.fullName, source: 'upcast' }));
    await store.appendToStream('named-1', [{ type: 'NameGiven', data: { name: 'Ada' }, schemaVersion: 1 }], {
      expectedVersion: 'no_stream',
      metadata: meta,
    });
    const upcasting = new EventStore({ pool: tdb.pool, upcasters });
    await upcasting.appendToStream('named-1', [{ type: 'NameGiven', data: { fullName: 'Grace', source: 'new' } }], {
      expectedVersion: 1,
      metadata: meta,
    });
    const read = (await upcasting.readStream('named-1')).events;
    expect(read.map((e) => [e.schemaVersion, e.data])).toEqual([
      [3, { fullName: 'Ada', source: 'upcast' }],
      [3, { fullName: 'Grace', source: 'new' }],
    ]);
    expect(read[0]!.metadata.storedSchemaVersion).toBe(1);
  });
});

describe('readIdempotency', () => {
  it('returns the committed result of a key, and null for an unknown key', async () => {
    await store.appendToStream('idem-r', events(1), {
      expectedVersion: 'no_stream',
      metadata: meta,
      idempotency: { key: 'key-r', fingerprint: 'fr', extra: { id: 'x' } },
    });
    const stored = await store.readIdempotency('key-r');
    expect(stored).toMatchObject({ fingerprint: 'fr', extra: { id: 'x' } });
    expect(stored!.lastPosition).toBe((await store.readStream('idem-r')).events[0]!.globalPosition);
    expect(await store.readIdempotency('key-unknown')).toBeNull();
  });

  it('issue 11.6: an append of no events is refused (store and SQL) and leaves no stream wedged at version 0', async () => {
    const empty = await store.appendToStream('empty-1', [], { expectedVersion: 'no_stream', metadata: meta }).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(EmptyAppendError);
    expect(empty).toMatchObject({ streamId: 'empty-1', statusCode: 422 });
    const partly = await store
      .appendMany(
        [
          { streamId: 'empty-2', events: events(1), expectedVersion: 'no_stream' },
          { streamId: 'empty-3', events: [], expectedVersion: 'no_stream' },
        ],
        { metadata: meta },
      )
      .catch((e: unknown) => e);
    expect(partly).toMatchObject({ streamId: 'empty-3' });
    // The function refuses it too (callers of the SQL API), in a caller's transaction or not.
    const sql = await tdb.pool
      .query(`SELECT convene_append($1, '[]', $2, NULL, NULL, NULL, NULL)`, [
        JSON.stringify([{ streamId: 'empty-1', streamType: 'empty', expected: -1, events: [] }]),
        JSON.stringify(meta),
      ])
      .catch((e: unknown) => e);
    expect(sql).toMatchObject({ code: 'CV008' });
    const { rows } = await tdb.pool.query(`SELECT stream_id FROM streams WHERE stream_id LIKE 'empty-%'`);
    expect(rows).toEqual([]);
    // Not wedged: the first real append creates the stream.
    const first = await store.appendToStream('empty-1', events(1), { expectedVersion: 'no_stream', metadata: meta });
    expect(first.nextExpectedVersion).toBe(1);
  });
});

describe('alsoWrite (issue 13: an idempotent HTTP answer stored in the append statement)', () => {
  it('issue 13.4: writes with the append in one statement, sees its result, and is undone with a refused append', async () => {
    await tdb.pool.query('CREATE TABLE also_written (stream text, version text, position text)');
    const alsoWrite = (stream: string) => ({
      sql: `INSERT INTO also_written SELECT $1->>0, $2->'streams'->0->>'nextVersion', $2->>'lastPosition'`,
      values: [stream],
    });
    const first = await store.appendMany([{ streamId: 'also-1', events: events(2), expectedVersion: 'no_stream' }], { metadata: meta, alsoWrite: alsoWrite('also-1') });
    const refused = await store
      .appendMany([{ streamId: 'also-1', events: events(1), expectedVersion: 0 }], { metadata: meta, alsoWrite: alsoWrite('refused') })
      .catch((e: unknown) => e);
    expect(isConcurrencyError(refused)).toBe(true);
    // A replayed idempotency key appends nothing and writes nothing.
    const idempotency = { key: 'also-key', fingerprint: 'f' };
    await store.appendMany([{ streamId: 'also-2', events: events(1), expectedVersion: 'no_stream' }], { metadata: meta, idempotency, alsoWrite: alsoWrite('also-2') });
    const replay = await store.appendMany([{ streamId: 'also-2', events: events(1), expectedVersion: 'no_stream' }], { metadata: meta, idempotency, alsoWrite: alsoWrite('replay') });
    expect(replay.replayed).toBe(true);
    const { rows } = await tdb.pool.query('SELECT stream, version, position FROM also_written ORDER BY stream');
    expect(rows).toEqual([
      { stream: 'also-1', version: '2', position: String(first.lastPosition) },
      { stream: 'also-2', version: '1', position: String(replay.lastPosition) },
    ]);
  });
});
