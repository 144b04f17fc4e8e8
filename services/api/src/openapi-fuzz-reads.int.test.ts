// The fuzz of openapi-fuzz.int.test.ts over every read (GET), on an app whose read models hold the
// seed year: there, with no projector, a read answers 503 before its query runs; here generated
// and hostile path ids, filters, sorts, cursors, limits and dates reach the queries over real rows.
// Each answer passes the same checks (no 5xx, declared status, problem+json with the request id).
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { checkAnswer, examplesOf, fuzzing, operations, requestOf, send } from './test-fixtures/openapi-requests';
import { createSeededApp } from './test-fixtures/seeded-app';
import { SEED_IDS as S } from './test-fixtures/seed-ids';
import type { TestApp } from './test-fixtures/test-app';

const RUNS = Number(process.env.FUZZ_RUNS ?? 4);
fuzzing.known = {
  collaborativeId: [S.collaborative], cohortId: [S.cohort1, S.cohort2], agencyId: [S.agency1, S.agency2, S.agency3], organisationId: [S.agency1, S.agency3],
  coachId: [S.coach], reviewerId: [S.reviewer], personId: [S.agencyChangeLeader, S.coach], projectId: [S.project], visitId: [S.siteVisit],
  meetingId: [S.kickOff], expenditureId: [S.expenditure], measureId: ['admissions', 'no_shows'],
};

fuzzing.validParamWeight = 12;

let t: TestApp;
beforeAll(async () => {
  t = await createSeededApp();
  const scope = { collaborativeIds: [S.collaborative] };
  fuzzing.adminKey = t.adminKey;
  fuzzing.keys = [
    { auth: `Bearer ${t.adminKey}`, weight: 5 },
    { auth: `Bearer ${await t.createKey({ name: 'coach', role: 'coach', actorId: S.coach, ...scope, agencyIds: [S.agency1] })}`, weight: 2 },
    { auth: `Bearer ${await t.createKey({ name: 'agency', role: 'agency', ...scope, agencyIds: [S.agency1] })}`, weight: 2 },
    { auth: `Bearer ${await t.createKey({ name: 'analyst', role: 'analyst' })}`, weight: 1 },
    { auth: `Bearer ${await t.createKey({ name: 'auditor', role: 'auditor' })}`, weight: 1 },
    { auth: undefined, weight: 1 },
  ];
}, 120_000);
afterAll(async () => t?.close());

const reads = operations.filter((o) => o.method === 'GET');

describe('every read of openapi/openapi.json under generated input, over built read models', () => {
  it.each(reads.map((o) => [o.path, o] as const))('fuzz over the seed year: GET %s', async (_name, { path: p, method, op }) => {
    await fc.assert(
      fc.asyncProperty(requestOf(p, method, op), async (req) => checkAnswer(req, op, await send(t.app, req), 0)),
      { numRuns: RUNS, endOnFailure: true, examples: examplesOf(p, method, op) },
    );
  }, 60_000);
});
