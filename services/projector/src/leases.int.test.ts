import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createDb, createPool } from '@convene/db';
import { EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { projections, projectionStatus, startProjectorRuntime, testing, type RunningProjector } from '@convene/projections';

let t: TestDatabase;
let store: EventStore;
const pools: ReturnType<typeof createPool>[] = [];
beforeAll(async () => {
  t = await createTestDatabase();
  store = new EventStore({ pool: t.pool });
  await testing.runScenario(store, { collaborative: 1, agencies: 2, months: 2, seed: 3 });
});
afterAll(async () => {
  for (const p of pools) await p.end().catch(() => undefined);
  await store.close();
  await t.drop();
});

/** A projector with a pool of its own, named so the test can find (and kill) its connections. */
async function projector(name: string, leaseTtlMs: number): Promise<RunningProjector> {
  const pool = createPool({ connectionString: t.url, max: 4, applicationName: name });
  pools.push(pool);
  return startProjectorRuntime({ pool, db: createDb(pool), store: new EventStore({ pool }), projections, pollIntervalMs: 50, leaseTtlMs, holderId: name, listenUrl: t.url });
}
// The timer is cleared once settled: left running it held Jest's worker process for up to 10 s
// after the last test file ("a worker process has failed to exit gracefully").
const within = <T>(p: Promise<T>, ms: number, what: string) => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
};
const more = (seed: number) => testing.runScenario(store, { collaborative: 1, agencies: 1, months: 1, seed });
const claims = async () => (await t.pool.query<{ schema_name: string; claimed_by: string | null }>(`SELECT schema_name, claimed_by FROM projection_instances WHERE role IN ('live', 'building')`)).rows;

describe('projector leases are row claims with an expiry', () => {
  it('issue 11.4: two projector daemons on one database never both hold a lease; a dead holder\'s lease is taken over after expiry', async () => {
    const a = await projector('projector-a', 600);
    const b = await projector('projector-b', 600);
    try {
      const writing = more(21);
      const overlaps: string[] = [];
      const stop = Date.now() + 1500;
      while (Date.now() < stop) {
        for (const s of a.held()) if (b.held().includes(s)) overlaps.push(s);
        await new Promise((r) => setTimeout(r, 10));
      }
      await writing;
      await within(a.idle(), 10_000, 'caught up');
      expect(overlaps).toEqual([]);
      const held = [...a.held(), ...b.held()].sort();
      const rows = await claims();
      expect(held).toEqual(rows.map((r) => r.schema_name).sort());
      for (const r of rows) expect([a.held().includes(r.schema_name) ? 'projector-a' : 'projector-b']).toEqual([r.claimed_by]);
    } finally {
      await a.stop();
      await b.stop();
    }
    // Stopping releases the leases.
    expect((await claims()).every((r) => r.claimed_by === null)).toBe(true);

    // A holder that died without releasing: nobody takes its leases before they expire, then one does.
    const before = Date.now();
    await t.pool.query(`UPDATE projection_instances SET claimed_by = 'dead', claimed_until = now() + interval '2 seconds' WHERE role IN ('live', 'building')`);
    const c = await projector('projector-c', 600);
    try {
      let firstHeld = 0;
      await within(
        (async () => {
          while (c.held().length < projections.length) {
            if (c.held().length > 0 && !firstHeld) firstHeld = Date.now();
            await new Promise((r) => setTimeout(r, 10));
          }
          firstHeld ||= Date.now();
        })(),
        10_000,
        'take-over',
      );
      expect(firstHeld).toBeGreaterThanOrEqual(before + 2000);
      await more(22);
      await within(c.idle(), 10_000, 'caught up after the take-over');
      expect((await claims()).every((r) => r.claimed_by === 'projector-c')).toBe(true);
    } finally {
      await c.stop();
    }
  });

  it('issue 11.4: an expired lease unreleased shows as stalled (unhealthy) in the projection status', async () => {
    await t.pool.query(`UPDATE projection_instances SET claimed_by = 'dead', claimed_until = now() - interval '1 second' WHERE role = 'live'`);
    const status = await projectionStatus(t.db);
    expect(status.healthy).toBe(false);
    expect(status.projections.filter((p) => p.role === 'live').every((p) => p.stalled && p.lease?.holder === 'dead')).toBe(true);
    await t.pool.query(`UPDATE projection_instances SET claimed_by = NULL, claimed_until = NULL`);
    expect((await projectionStatus(t.db)).healthy).toBe(true);
  });

  it('issue 11.8: after pg_terminate_backend of every projector connection it reconnects, keeps its leases and goes on projecting', async () => {
    const p = await projector('projector-d', 1500);
    try {
      await within(p.idle(), 10_000, 'caught up');
      expect(p.health().listening).toBe(true);
      const { rows } = await t.pool.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND application_name IN ('projector-d', 'convene-projector-listen')`,
      );
      expect(rows[0]!.n).toBeGreaterThanOrEqual(2);
      await more(23);
      await within(p.idle(), 10_000, 'caught up after the connections were killed');
      expect(p.held().sort()).toEqual((await claims()).map((r) => r.schema_name).sort());
      await within(
        (async () => {
          while (!p.health().listening) await new Promise((r) => setTimeout(r, 20));
        })(),
        10_000,
        'LISTEN reconnected',
      );
      expect((await projectionStatus(t.db)).healthy).toBe(true);
    } finally {
      await p.stop();
    }
  });
});
