// Issue 11.1-11.3 on a private cluster (never the shared server): a restore into a cluster whose
// transaction counter is far behind, an xid epoch of 2, and reads on a hot standby.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { createDb, createPool, migrateToLatest } from '@convene/db';
import { createTestDatabase, startScratchCluster, type ScratchCluster, type TestDatabase } from '@convene/testkit';
import { EventStore } from './event-store';
import { events, meta, openTransaction } from './test-helpers';

let cluster: ScratchCluster;
let source: TestDatabase;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  [cluster, source] = await Promise.all([startScratchCluster(), createTestDatabase({ poolSize: 5 })]);
}, 120_000);
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await cluster?.destroy();
  await source?.drop();
}, 60_000);

/** A migrated database of the scratch cluster (or `from` an existing one) and a store on it. */
async function storeOn(url: string, migrate: boolean) {
  const pool = createPool({ connectionString: url, max: 5 });
  if (migrate) await migrateToLatest(createDb(pool));
  const store = new EventStore({ pool, notify: false });
  cleanups.push(() => pool.end());
  return { pool, store };
}

const createDatabase = (name: string) => cluster.bin('psql', ['-q', '-d', cluster.url(), '-c', `CREATE DATABASE ${name}`]);

const xidOf = async (pool: pg.Pool) =>
  BigInt((await pool.query<{ x: string }>('SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS x')).rows[0]!.x);

describe('issue 11.1: restore into a cluster whose transaction counter is far behind', () => {
  it('issue 11.1: after pg_dump | psql, new appends follow the restored history; the feed from the old checkpoint gets them in order', async () => {
    const old = new EventStore({ pool: source.pool, notify: false });
    for (let i = 0; i < 3; i++) await old.appendToStream(`before-${i}`, events(2), { expectedVersion: 'no_stream', metadata: meta });
    const history = await old.readAll({ after: 0 });
    const checkpoint = history.next;
    expect(history.events).toHaveLength(6);

    // Into the cluster's folder (removed with it), where the server user can read it.
    const dump = path.join(cluster.dataDir, 'store.sql');
    await writeFile(dump, await cluster.bin('pg_dump', ['-d', source.url, '--no-owner']));
    await createDatabase('restored');
    await cluster.bin('psql', ['-q', '-v', 'ON_ERROR_STOP=1', '-d', cluster.url('restored'), '-f', dump]);
    const { pool, store } = await storeOn(cluster.url('restored'), false);

    // The premise: this cluster's transaction ids lie below those the history was written with.
    const { rows: seeded } = await pool.query<{ o: string }>('SELECT xid_offset::text AS o FROM convene_positions');
    expect(await xidOf(pool)).toBeLessThan(BigInt(seeded[0]!.o) + BigInt(checkpoint >> 20));
    // Appending with the restored offset would go below the history: refused until re-seeded.
    const tx = await openTransaction(pool);
    const refused = await tx.client.query('SELECT convene_begin_append()').catch((e: unknown) => e);
    await tx.rollback();
    expect(refused).toMatchObject({ code: 'CV006' });

    // The store re-seeds by itself: the append just works, above every restored position.
    const appended = await store.appendToStream('after-1', events(3), { expectedVersion: 'no_stream', metadata: meta });
    await store.appendToStream('before-0', events(1), { expectedVersion: 2, metadata: meta });
    expect(appended.lastPosition).toBeGreaterThan(checkpoint);

    const fromCheckpoint = await store.readAll({ after: checkpoint });
    expect(fromCheckpoint.events.map((e) => e.streamId)).toEqual(['after-1', 'after-1', 'after-1', 'before-0']);
    const positions = fromCheckpoint.events.map((e) => e.globalPosition);
    expect(positions[0]!).toBeGreaterThan(checkpoint);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // The whole feed: the restored history first, then the new events.
    const all = await store.readAll({ after: 0 });
    expect(all.events.map((e) => e.eventId)).toEqual([...history.events.map((e) => e.eventId), ...fromCheckpoint.events.map((e) => e.eventId)]);
  }, 90_000);
});

describe('issue 11.2: transaction-id epoch 2', () => {
  it('issue 11.2: at xid epoch 2 positions stay small and exact; a position that cannot be represented is an error at append', async () => {
    for (const c of cleanups.splice(0)) await c().catch(() => undefined); // no connections while the server is reset
    await cluster.resetWal(['-e', '2']);
    await createDatabase('epoch2');
    const { pool, store } = await storeOn(cluster.url('epoch2'), true);
    expect(await xidOf(pool)).toBeGreaterThan(2n ** 33n); // 2^53 >> 20 is 2^33: raw xids no longer fit

    const a = await store.appendToStream('epoch-1', events(2), { expectedVersion: 'no_stream', metadata: meta });
    const b = await store.appendToStream('epoch-1', events(1), { expectedVersion: 2, metadata: meta });
    expect(Number.isSafeInteger(b.lastPosition)).toBe(true);
    expect(b.lastPosition).toBeGreaterThan(a.lastPosition);
    expect(b.lastPosition).toBeLessThan(2 ** 40);
    const read = await store.readAll({ after: 0 });
    expect(read.events.map((e) => e.globalPosition)).toEqual([a.lastPosition - 1, a.lastPosition, b.lastPosition]);

    // A history whose newest position leaves no room below 2^53 (it cannot be re-seeded lower):
    // the next append is refused with CV007, never answered with a rounded number.
    const top = 2 ** 53 - 2 ** 19;
    await pool.query(
      `INSERT INTO events (global_position, stream_id, stream_type, stream_version, event_id, event_type, data, metadata)
       VALUES ($1, 'edge-1', 'edge', 1, gen_random_uuid(), 'Edge', '{}', '{}')`,
      [top],
    );
    await pool.query('SELECT convene_reseed_positions()');
    const overflow = await store.appendToStream('epoch-2', events(1), { expectedVersion: 'no_stream', metadata: meta }).catch((e: unknown) => e);
    expect(overflow).toMatchObject({ code: 'CV007' });
    expect(String((overflow as Error).message)).toMatch(/cannot be represented/);
    expect(await store.streamVersion('epoch-2')).toBe(0);
  }, 90_000);
});

describe('issue 11.3: reads on a hot standby', () => {
  it('issue 11.3: readAll on a standby does not pass an append the primary has not committed yet, then returns it in order', async () => {
    await createDatabase('replicated');
    const primary = await storeOn(cluster.url('replicated'), true);
    const standby = await cluster.standby();
    cleanups.push(() => standby.destroy());
    const replica = await storeOn(standby.url('replicated'), false);
    const start = (await replica.store.readAll({ after: 0 })).next;

    const seen = async (streamId: string, n: number) => {
      for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
        const { rows } = await replica.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [streamId]);
        if (rows[0]!.n === n) return;
      }
      throw new Error(`the standby did not replay ${streamId}`);
    };

    // The slow appender takes its position first and stays open; the fast one commits after it.
    const slow = await openTransaction(primary.pool);
    await primary.store.appendToStream('slow-1', events(2), { expectedVersion: 'no_stream', metadata: meta, client: slow.client });
    const fast = await primary.store.appendToStream('fast-1', events(1), { expectedVersion: 'no_stream', metadata: meta });
    await seen('fast-1', 1);
    // pg_locks on the standby does not show the primary's appender: without the standby bound
    // this returned fast-1 and moved past slow-1's positions for good.
    expect((await replica.store.readAll({ after: start })).events).toEqual([]);

    await slow.commit();
    await seen('slow-1', 2);
    let read = await replica.store.readAll({ after: start });
    for (const deadline = Date.now() + 10_000; read.events.length < 3 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      read = await replica.store.readAll({ after: start });
    }
    expect(read.events.map((e) => e.streamId)).toEqual(['slow-1', 'slow-1', 'fast-1']);
    expect(read.events.at(-1)!.globalPosition).toBe(fast.lastPosition);
  }, 90_000);
});
