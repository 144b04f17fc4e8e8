// Tests only: the app the seeded fuzz runs use (openapi-fuzz-reads and openapi-fuzz-commands):
// the seed year written and projected, its ids known to the generators, and keys of every role.
import { createSeededApp } from './seeded-app';
import { SEED_IDS as S } from './seed-ids';
import { fuzzing } from './openapi-requests';
import type { TestApp } from './test-app';

export async function startSeededFuzz(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  fuzzing.known = {
    collaborativeId: [S.collaborative], cohortId: [S.cohort1, S.cohort2], agencyId: [S.agency1, S.agency2, S.agency3], organisationId: [S.agency1, S.agency3],
    mentorAgencyId: [S.agency1], coachId: [S.coach], reviewerId: [S.reviewer], personId: [S.agencyChangeLeader, S.coach, S.sponsor], projectId: [S.project],
    visitId: [S.siteVisit], meetingId: [S.kickOff], expenditureId: [S.expenditure], measureId: ['admissions', 'no_shows'],
  };
  // Valid path and query values far more often than hostile ones, so that most requests reach their queries and deciders.
  fuzzing.validParamWeight = 12;
  const t = await createSeededApp(env);
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
  return t;
}
