// Issue 11.4: the store behind a real PgBouncer in transaction pooling mode (its own process on a
// free port, in front of the test database). Server connections are shared: a named prepared
// statement made on one is missing on the next, a LISTEN is dropped with its server connection.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { createPool } from '@convene/db';
import { adminUrl, createTestDatabase, startPgBouncer, type ScratchPgBouncer, type TestDatabase } from '@convene/testkit';
import { checkDeployment, DeploymentError } from './deployment';
import { ConcurrencyError } from './errors';
import { EventStore } from './event-store';
import { subscribe } from './subscription';
import { events, meta, openTransaction } from './test-helpers';

let tdb: TestDatabase;
let bouncer: ScratchPgBouncer;
let pooled: pg.Pool;
let store: EventStore;

beforeAll(async () => {
  tdb = await createTestDatabase({ poolSize: 4 });
  const server = new URL(adminUrl());
  bouncer = await startPgBouncer({ host: server.hostname, port: Number(server.port || 5432), poolMode: 'transaction', poolSize: 4 });
  pooled = createPool({ connectionString: bouncer.url(tdb.name), max: 16 });
  // LISTEN goes straight to PostgreSQL (DATABASE_DIRECT_URL); everything else through the pooler.
  store = new EventStore({ pool: pooled, directConnectionString: tdb.url });
}, 60_000);
afterAll(async () => {
  await store?.close();
  await pooled?.end();
  await bouncer?.stop();
  await tdb?.drop();
});

describe('issue 11.4: PgBouncer in transaction pooling mode', () => {
  it('issue 11.4: appends, conflicts and gap-safe reads work through the pooler (no named prepared statements)', async () => {
    await store.appendToStream('pb-contested', events(1), { expectedVersion: 'no_stream', metadata: meta });
    const [own, fought] = await Promise.all([
      Promise.allSettled(Array.from({ length: 30 }, (_, i) => store.appendToStream(`pb-own-${i}`, events(2), { expectedVersion: 'no_stream', metadata: meta }))),
      Promise.allSettled(Array.from({ length: 8 }, () => store.appendToStream('pb-contested', events(1), { expectedVersion: 1, metadata: meta }))),
    ]);
    expect(own.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(fought.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of fought.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);

    // Gap safety: an appender holding its transaction open (a pooled server connection pinned to
    // it) keeps readers below its positions, though a later append committed.
    const start = (await store.readAll({ after: 0, limit: 10_000 })).next;
    const slow = await openTransaction(pooled);
    await store.appendToStream('pb-slow', events(2), { expectedVersion: 'no_stream', metadata: meta, client: slow.client });
    const fast = await store.appendToStream('pb-fast', events(1), { expectedVersion: 'no_stream', metadata: meta });
    expect((await store.readAll({ after: start })).events).toEqual([]);
    await slow.commit();
    const read = await store.readAll({ after: start });
    expect(read.events.map((e) => e.streamId)).toEqual(['pb-slow', 'pb-slow', 'pb-fast']);
    expect(read.next).toBe(fast.lastPosition);

    // Writers and a follower at once, all through the pooler: every event once, in order.
    const followFrom = read.next;
    const written = await Promise.all(
      Array.from({ length: 6 }, async (_, w) => {
        let version = 0;
        for (let i = 0; i < 8; i++) version = (await store.appendToStream(`pb-writer-${w}`, events(2), { expectedVersion: version, metadata: meta })).nextExpectedVersion;
        return version;
      }),
    );
    expect(written).toEqual(Array(6).fill(16));
    const seen = (await store.readAll({ after: followFrom, limit: 1000 })).events;
    expect(seen).toHaveLength(96);
    expect(new Set(seen.map((e) => e.eventId)).size).toBe(96);
    seen.slice(1).forEach((e, i) => expect(e.globalPosition).toBeGreaterThan(seen[i]!.globalPosition));
  }, 60_000);

  it('issue 11.4: subscribe is woken by NOTIFY through the direct connection while appends go through the pooler', async () => {
    const start = (await store.readAll({ after: 0, limit: 10_000 })).next;
    const got: string[] = [];
    const sub = subscribe(store, { after: start, pollIntervalMs: 60_000, handle: async (batch) => void got.push(...batch.map((e) => e.streamId)) });
    await new Promise((r) => setTimeout(r, 300)); // let it LISTEN
    await store.appendToStream('pb-sub', events(2), { expectedVersion: 'no_stream', metadata: meta });
    for (const deadline = Date.now() + 10_000; got.length < 2 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 20));
    await sub.stop();
    expect(got).toEqual(['pb-sub', 'pb-sub']);
  }, 30_000);

  it('issue 11.4: the start-up check refuses a LISTEN that goes through the transaction pooler, naming DATABASE_DIRECT_URL', async () => {
    await expect(checkDeployment(store, { listenTimeoutMs: 3000 })).resolves.toMatchObject({ standby: false, listenChecked: true });
    const misconfigured = new EventStore({ pool: pooled, notify: false, directConnectionString: bouncer.url(tdb.name) });
    const refused = await checkDeployment(misconfigured, { listenTimeoutMs: 1500 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DeploymentError);
    expect(String((refused as Error).message)).toMatch(/DATABASE_DIRECT_URL/);
  }, 30_000);
});
