import { expect } from '@jest/globals';
import { startProjector } from '@convene/projector';
import { createTestApp, type TestApp } from './test-app';
import { runSeedYear, SEED_IDS } from './seed-year';

/**
 * A test app with the seed year written through HTTP by an admin, a coach and an agency key
 * (every step answering as the fixture expects), then projected once to the end, so read
 * models hold the whole year.
 */
export async function createSeededApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const t = await createTestApp({}, env);
  const scope = { collaborativeIds: [SEED_IDS.collaborative], agencyIds: [SEED_IDS.agency1] };
  const keys = {
    admin: t.adminKey,
    coach: await t.createKey({ name: 'coach', role: 'coach', actorId: SEED_IDS.coach, ...scope }),
    agency: await t.createKey({ name: 'agency', role: 'agency', ...scope }),
  };
  const results = await runSeedYear(t.app, { keys, setClock: (at) => (t.clock.now = at) });
  expect(results.filter((r) => r.status !== r.step.status).map((r) => r.step)).toEqual([]);
  const projector = await startProjector({ pool: t.database.pool, store: t.eventStore, pollIntervalMs: 50 });
  await projector.idle();
  await projector.stop();
  return t;
}
