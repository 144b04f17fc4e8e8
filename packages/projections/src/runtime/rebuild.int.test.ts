import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { EventStore } from '@convene/eventstore';
import { progressProjection, projections } from '../models';
import { compareWithFold, readLog, runScenario } from '../testing/harness';
import { verifyProjection } from './admin';
import { startProjectorRuntime } from './daemon';
import { liveInstance } from './instances';
import type { Projection } from './types';

let t: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  t = await createTestDatabase();
  store = new EventStore({ pool: t.pool });
  await runScenario(store, { collaborative: 1, agencies: 3, months: 3, seed: 1 });
});
afterAll(async () => {
  await t.drop();
});

describe('rebuild and verify', () => {
  it('builds a new projection version while commands keep arriving, swaps it in, and misses no event', async () => {
    const v1 = await startProjectorRuntime({ pool: t.pool, db: t.db, store, projections, pollIntervalMs: 50 });
    await v1.idle();
    const oldLive = (await liveInstance(t.db, 'progress'))!;
    expect(oldLive.version).toBe(progressProjection.version);

    const progressV2: Projection = { ...progressProjection, version: progressProjection.version + 1 };
    // New commands keep arriving while the new version builds.
    const writers = runScenario(store, { collaborative: 2, agencies: 4, months: 4, seed: 2 });
    const v2 = await startProjectorRuntime({ pool: t.pool, db: t.db, store, projections: [progressV2], pollIntervalMs: 50, batchSize: 30 });
    await writers;
    await v2.idle();
    await v1.stop();
    await v2.idle();
    await v2.stop();

    const live = (await liveInstance(t.db, 'progress'))!;
    expect(live.version).toBe(progressV2.version);
    expect(live.schema_name).not.toBe(oldLive.schema_name);
    const { actual, expected } = await compareWithFold(t.db, store, progressV2, live.schema_name);
    expect(actual).toEqual(expected);
    const types = new Set(progressV2.eventTypes);
    expect(Number(live.events_applied)).toBe((await readLog(store)).filter((e) => types.has(e.type)).length);
    // The old version's tables are gone.
    const { rows } = await t.pool.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [oldLive.schema_name]);
    expect(rows).toHaveLength(0);

    // verify: a shadow rebuilt to the live checkpoint equals the live tables...
    const ok = await verifyProjection({ db: t.db, store, projection: progressV2 });
    expect(ok.equal).toBe(true);
    expect(ok.rows).toBeGreaterThan(10);
    // ...and a tampered live row is reported.
    await t.pool.query(`UPDATE ${live.schema_name}.agencies SET stage = 'tampered' WHERE id = (SELECT min(id) FROM ${live.schema_name}.agencies)`);
    const bad = await verifyProjection({ db: t.db, store, projection: progressV2 });
    expect(bad.equal).toBe(false);
    expect(bad.differences).toHaveLength(1);
    expect(bad.differences[0]).toMatchObject({ table: 'agencies', live: { stage: 'tampered' } });
  });
});
