import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { streamIds } from '@convene/domain';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { runSeedYear, SEED_IDS, seedYearSteps } from '../test-fixtures/seed-year';
import { createApiKey, listApiKeys, revokeApiKey } from './keys';

let t: TestApp;
const k: Record<string, string> = {};
const C = `/v1/collaboratives/${SEED_IDS.collaborative}`;
const A = (agencyId: string) => `${C}/agencies/${agencyId}`;

beforeAll(async () => {
  t = await createTestApp();
  const scope = { collaborativeIds: [SEED_IDS.collaborative] };
  k.coach = await t.createKey({ name: 'coach', role: 'coach', actorId: SEED_IDS.coach, ...scope, agencyIds: [SEED_IDS.agency1] });
  k.agency1 = await t.createKey({ name: 'agency 1', role: 'agency', ...scope, agencyIds: [SEED_IDS.agency1] });
  k.agency2 = await t.createKey({ name: 'agency 2', role: 'agency', ...scope, agencyIds: [SEED_IDS.agency2] });
  k.analyst = await t.createKey({ name: 'state IT', role: 'analyst' });
  k.auditor = await t.createKey({ name: 'auditor', role: 'auditor' });
  k.otherAdmin = await t.createKey({ name: 'other admin', role: 'admin', collaborativeIds: ['0190b000-0000-7000-8000-000000000001'] });
  // The first half of the year: up to the change project's first cycle.
  const steps = seedYearSteps();
  const upTo = steps.findIndex((s) => s.name === 'PDSA cycle 1') + 1;
  const results = await runSeedYear(t.app, {
    keys: { admin: t.adminKey, coach: k.coach, agency: k.agency1 },
    setClock: (at) => (t.clock.now = at),
    steps: steps.slice(0, upTo),
  });
  expect(results.every((r) => r.status === r.step.status)).toBe(true);
});
afterAll(async () => t.close());

const call = (key: string | undefined, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  t.app.inject({ method, url, ...(key ? { headers: { authorization: `Bearer ${key}` } } : {}), ...(payload ? { payload } : {}) });

const cycle2 = { cycleNumber: 2, beginsOn: '2025-03-20', endsOn: '2025-04-03', changeTested: 'x', prediction: 'y', steps: [{ step: 's', who: 'w' }], result: 'r', decision: 'adapt' };
const month = { month: '2025-03', counts: { clientsTreated: 1, totalDaysToTreatment: 10, intakeScheduled: 2, intakeNoShows: 1 } };

describe('authentication', () => {
  it('401 without a key, with an unknown key and with a revoked key', async () => {
    expect((await call(undefined, 'GET', `${C}/events`)).statusCode).toBe(401);
    const unknown = await call('cvk_nope', 'GET', `${C}/events`);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['www-authenticate']).toMatch(/^Bearer/);
    const { key, record } = await createApiKey(t.database.pool, { name: 'short-lived', role: 'auditor' });
    expect((await call(key, 'GET', `${C}/events`)).statusCode).toBe(200);
    expect(await revokeApiKey(t.database.pool, record.keyId)).toBe(true);
    expect((await call(key, 'GET', `${C}/events`)).statusCode).toBe(401);
    const listed = (await listApiKeys(t.database.pool)).find((r) => r.keyId === record.keyId);
    expect(listed?.revokedAt).toBeInstanceOf(Date);
  });

  it('stores only the hash of a key', async () => {
    const { rows } = await t.database.pool.query<{ key_hash: string }>('SELECT key_hash FROM api_keys');
    expect(rows.some((r) => Object.values(k).includes(r.key_hash))).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash))).toBe(true);
  });

  it('health and the OpenAPI document need no key', async () => {
    expect((await call(undefined, 'GET', '/openapi.json')).statusCode).toBe(200);
    expect([200, 503]).toContain((await call(undefined, 'GET', '/health')).statusCode);
  });
});

describe('an agency key', () => {
  it('writes and reads its own agency', async () => {
    expect((await call(k.agency1, 'GET', `${A(SEED_IDS.agency1)}/events`)).statusCode).toBe(200);
    t.clock.now = new Date('2025-04-04T09:00:00Z');
    expect((await call(k.agency1, 'POST', `/v1/change-projects/${SEED_IDS.project}/pdsa-cycles`, cycle2)).statusCode).toBe(200);
  });

  it('cannot write or read another agency (403)', async () => {
    t.clock.now = new Date('2025-04-05T09:00:00Z');
    const write = await call(k.agency2, 'POST', `${A(SEED_IDS.agency1)}/measures`, month);
    expect(write.statusCode).toBe(403);
    expect(write.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await call(k.agency2, 'GET', `${A(SEED_IDS.agency1)}/events`)).statusCode).toBe(403);
    // A project is scoped by its own agency, not by the URL.
    expect((await call(k.agency2, 'POST', `/v1/change-projects/${SEED_IDS.project}/pdsa-cycles`, { ...cycle2, cycleNumber: 3 })).statusCode).toBe(403);
    expect((await call(k.agency2, 'GET', `/v1/change-projects/${SEED_IDS.project}/events`)).statusCode).toBe(403);
    // And nothing was written.
    const { events } = await t.eventStore.readStream(streamIds.participation(SEED_IDS.collaborative, SEED_IDS.agency1));
    expect(events.some((e) => e.type === 'MonthlyMeasuresRecorded')).toBe(false);
  });

  it('cannot run the collaborative nor read its history', async () => {
    expect((await call(k.agency1, 'POST', `${C}/cohorts`, { name: 'Cohort X', startsOn: '2025-09-01', capacity: 5 })).statusCode).toBe(403);
    expect((await call(k.agency1, 'GET', `${C}/events`)).statusCode).toBe(403);
    expect((await call(k.agency1, 'GET', `/v1/meetings/${SEED_IDS.kickOff}/events`)).statusCode).toBe(403);
  });

  it('gets 404, not a hint, for a resource that does not exist', async () => {
    const r = await call(k.agency1, 'POST', '/v1/change-projects/0190c000-0000-7000-8000-000000000001/pdsa-cycles', cycle2);
    expect(r.statusCode).toBe(404);
  });
});

describe('a coach key', () => {
  it('works on its assigned agency only', async () => {
    t.clock.now = new Date('2025-04-05T09:00:00Z');
    expect((await call(k.coach, 'POST', `${A(SEED_IDS.agency2)}/walk-through`, { walkedThroughOn: '2025-02-07', findings: 'x' })).statusCode).toBe(403);
    expect((await call(k.coach, 'GET', `${A(SEED_IDS.agency1)}/events`)).statusCode).toBe(200);
  });
});

describe('an analyst key', () => {
  it('sees no person data: no event history at all', async () => {
    for (const url of [`${C}/events`, `${A(SEED_IDS.agency1)}/events`, `/v1/change-projects/${SEED_IDS.project}/events`, `/v1/meetings/${SEED_IDS.kickOff}/events`]) {
      const r = await call(k.analyst, 'GET', url);
      expect(r.statusCode).toBe(403);
      expect(r.body).not.toContain('@example.org');
    }
  });

  it('cannot write', async () => {
    expect((await call(k.analyst, 'POST', `${A(SEED_IDS.agency1)}/measures`, month)).statusCode).toBe(403);
  });
});

describe('an auditor key', () => {
  it('reads the history but cannot write', async () => {
    expect((await call(k.auditor, 'GET', `${C}/events`)).statusCode).toBe(200);
    const r = await call(k.auditor, 'POST', `${C}/system-roles`, { role: 'coach', person: { personId: SEED_IDS.reviewer, name: 'R', email: 'r@example.org' } });
    expect(r.statusCode).toBe(403);
    expect((r.json() as { code: string }).code).toBe('forbidden_role');
  });
});

describe('an admin key of another collaborative', () => {
  it('cannot touch this one nor launch collaboratives', async () => {
    expect((await call(k.otherAdmin, 'GET', `${C}/events`)).statusCode).toBe(403);
    expect((await call(k.otherAdmin, 'POST', `${C}/closure`, { closedOn: '2025-12-31' })).statusCode).toBe(403);
    const launch = seedYearSteps()[0]!;
    expect((await call(k.otherAdmin, 'POST', launch.url, { ...launch.body, collaborativeId: undefined })).statusCode).toBe(403);
  });
});
