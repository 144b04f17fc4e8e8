// The fuzz of openapi-fuzz.int.test.ts over every command and write (not GET), on an app whose
// event store and read models hold the seed year: there the ids of meetings, projects, visits and
// expenditures name nothing, so few commands reach their deciders; here they decide over a
// collaborative with a year of history (bodies valid more often, so that more get that far).
// Each answer passes the same checks, and stored events change only with a 2xx answer.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { checkAnswer, examplesOf, fuzzing, operations, requestOf, send } from './test-fixtures/openapi-requests';
import { createSeededApp } from './test-fixtures/seeded-app';
import { SEED_IDS as S } from './test-fixtures/seed-ids';
import type { TestApp } from './test-fixtures/test-app';

const RUNS = Number(process.env.FUZZ_RUNS ?? 4);
fuzzing.known = {
  collaborativeId: [S.collaborative], cohortId: [S.cohort1, S.cohort2], agencyId: [S.agency1, S.agency2, S.agency3], organisationId: [S.agency1, S.agency3],
  mentorAgencyId: [S.agency1], coachId: [S.coach], reviewerId: [S.reviewer], personId: [S.agencyChangeLeader, S.coach, S.sponsor], projectId: [S.project],
  visitId: [S.siteVisit], meetingId: [S.kickOff], expenditureId: [S.expenditure], measureId: ['admissions', 'no_shows'],
};
fuzzing.validParamWeight = 12;
fuzzing.validValueWeight = 60;

let t: TestApp;
beforeAll(async () => {
  // No projector runs here: a command that waits for the read models (SendAnnouncement) answers 503 after 50 ms, not 5 s.
  t = await createSeededApp({ CONSISTENCY_WAIT_MS: '50' });
  const scope = { collaborativeIds: [S.collaborative] };
  fuzzing.adminKey = t.adminKey;
  fuzzing.keys = [
    { auth: `Bearer ${t.adminKey}`, weight: 6 },
    { auth: `Bearer ${await t.createKey({ name: 'coach', role: 'coach', actorId: S.coach, ...scope, agencyIds: [S.agency1] })}`, weight: 2 },
    { auth: `Bearer ${await t.createKey({ name: 'agency', role: 'agency', ...scope, agencyIds: [S.agency1] })}`, weight: 2 },
    { auth: undefined, weight: 1 },
  ];
}, 120_000);
afterAll(async () => t?.close());

const eventCount = async () => Number((await t.database.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
const writes = operations.filter((o) => o.method !== 'GET');

describe('every command and write of openapi/openapi.json under generated input, over a year of history', () => {
  it.each(writes.map((o) => [`${o.method} ${o.path}`, o] as const))('fuzz over the seed year: %s', async (_name, { path: p, method, op }) => {
    await fc.assert(
      fc.asyncProperty(requestOf(p, method, op), async (req) => {
        const before = await eventCount();
        const res = await send(t.app, req);
        checkAnswer(req, op, res, (await eventCount()) - before);
      }),
      { numRuns: RUNS, endOnFailure: true, examples: examplesOf(p, method, op) },
    );
  }, 60_000);
});
