// The pediatric collaborative of the issue 15.7 Must-show tests, written over HTTP: a catalogue from
// the pediatric-preventive template plus custom measures (one retired), three practices' quarterly
// submissions with a draft and corrections, a change project with a PDSA cycle, coach assessments
// and a frozen chart phase. The e2e tests pediatric-*.e2e.test.ts read it, each proving one part.
import { beforeAll, afterAll, expect } from '@jest/globals';
import { projections, startProjectorRuntime, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';

export const id = (n: number) => `0190d000-0000-7000-8000-${String(n).padStart(12, '0')}`;
export const C = id(1);
export const COACH = id(2);
export const COHORT = id(3);
export const PRACTICES = [id(11), id(12), id(13)];
export const LEADER = id(21);
export const PROJECT = id(31);
export const person = (personId: string, name: string) => ({ personId, name, email: `${name.toLowerCase().replace(/ /g, '.')}@example.org` });

/** The running app, the keys of each role and the position the reads wait for (set by usePediatricStory). */
export const story = { position: 0 } as { t: TestApp; projector: RunningProjector; keys: { admin: string; coach: string; analyst: string; practice: string[] }; position: number };

type Key = keyof Omit<typeof story.keys, 'practice'> | number;
const keyOf = (who: Key) => (typeof who === 'number' ? story.keys.practice[who]! : story.keys[who]);
export async function send(who: Key, method: 'POST' | 'PUT', url: string, body: object, at: string, expected = [200, 201]) {
  story.t.clock.now = new Date(at);
  const res = await story.t.app.inject({ method, url: `/v1/collaboratives/${C}${url}`, headers: { authorization: `Bearer ${keyOf(who)}` }, payload: body });
  if (!expected.includes(res.statusCode)) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  story.position = Math.max(story.position, Number(res.headers['convene-position'] ?? 0));
  return res;
}
export const get = (who: Key, url: string) =>
  story.t.app.inject({ method: 'GET', url: `/v1/collaboratives/${C}${url}${url.includes('?') ? '&' : '?'}consistentWith=${story.position}`, headers: { authorization: `Bearer ${keyOf(who)}` } });

/** [numerator, denominator] per practice per measure and period. */
export const lead: Record<string, [number, number][]> = {
  baseline: [[30, 60], [12, 40], [8, 20]],
  '2025-Q1': [[36, 60], [15, 38], [9, 21]],
  '2025-Q2': [[40, 62], [18, 41], [12, 22]],
  '2025-Q3': [[45, 61], [22, 40], [0, 0]], // practice C does not submit Q3
};
export const values = (period: string, p: number) => {
  const [n, d] = lead[period]![p]!;
  const others = { immunisations_24m: { numerator: d - 5, denominator: d }, developmental_screening: { numerator: Math.floor(d / 2), denominator: d }, autism_screening: { numerator: Math.floor(d / 3), denominator: d } };
  return { ...others, lead_screening: { numerator: n, denominator: d }, fluoride_varnish: { numerator: 5 + p, denominator: 50 } };
};

/** Registers the story's beforeAll (the whole year written over HTTP, then projected) and afterAll. */
export function usePediatricStory(): void {
beforeAll(async () => {
  story.t = await createTestApp();
  const scope = { collaborativeIds: [C] };
  story.keys = {
    admin: story.t.adminKey,
    coach: await story.t.createKey({ name: 'coach', role: 'coach', actorId: COACH, ...scope }),
    analyst: await story.t.createKey({ name: 'analyst', role: 'analyst', ...scope }),
    practice: await Promise.all(PRACTICES.map((a, i) => story.t.createKey({ name: `practice ${i}`, role: 'agency', ...scope, agencyIds: [a] }))),
  };
  story.t.clock.now = new Date('2024-09-02T09:00:00Z');
  const launch = await story.t.app.inject({
    method: 'POST', url: '/v1/collaboratives', headers: { authorization: `Bearer ${story.keys.admin}` },
    payload: {
      collaborativeId: C, name: 'First STEPS', aim: 'Raise preventive screening for children under 3',
      convener: { organizationName: 'State chapter of the AAP', contact: person(id(4), 'Casey Convener') },
      focusMeasures: ['immunisations_24m', 'developmental_screening', 'autism_screening', 'lead_screening'],
      startsOn: '2024-09-01', endsOn: '2026-12-31', meetingCadence: 'monthly',
      // No measureSettings: the pediatric template has no continuation measures.
      measureTemplate: 'pediatric-preventive',
      customMeasures: [{ id: 'fluoride_varnish', name: 'Fluoride varnish applied', definition: 'Children under 6 seen (denominator) who received fluoride varnish (numerator)', type: 'proportion', unit: 'children', direction: 'higher', period: 'quarterly', required: false }],
    },
  });
  expect(launch.statusCode).toBe(201);
  await send('admin', 'POST', '/catalogue/measures', { measure: { id: 'weight_assessed', name: 'Weight status assessed', definition: 'Children 2+ seen with BMI percentile documented', type: 'proportion', unit: 'children', direction: 'higher', period: 'quarterly', required: false } }, '2024-09-03T09:00:00Z');
  await send('admin', 'POST', '/catalogue/measures', { measure: { id: 'bmi_documented', name: 'BMI documented', definition: 'Superseded by weight_assessed', type: 'proportion', unit: 'children', direction: 'higher', period: 'quarterly', required: false } }, '2024-09-03T09:00:00Z');
  await send('admin', 'POST', '/catalogue/measures/bmi_documented/retirement', { reason: 'Duplicate of weight_assessed' }, '2024-09-03T09:00:00Z');
  await send('admin', 'POST', '/system-roles', { role: 'coach', person: person(COACH, 'Chris Coach') }, '2024-09-03T09:00:00Z');
  await send('admin', 'POST', '/cohorts', { cohortId: COHORT, name: 'Practices 2025', startsOn: '2024-10-01', capacity: 10 }, '2024-09-03T09:00:00Z');
  for (const [i, a] of PRACTICES.entries()) {
    await send(i, 'POST', '/applications', { agencyId: a, agencyName: `Practice ${'ABC'[i]}`, contact: { name: `Contact ${i}`, email: `contact${i}@example.org` }, proposal: 'Screen every child' }, '2024-09-10T09:00:00Z');
    await send('admin', 'POST', `/agencies/${a}/admission`, { cohortId: COHORT }, '2024-09-20T09:00:00Z');
    await send('admin', 'PUT', `/agencies/${a}/coach`, { coachId: COACH }, '2024-09-20T09:00:00Z');
  }
  await send(2, 'POST', `/agencies/${PRACTICES[2]}/roles`, { role: 'change_leader', person: person(LEADER, 'Morgan Leader') }, '2024-09-21T09:00:00Z');
  // Baselines (2024-Q4), then quarters; practice A saves a draft of Q1 before submitting it.
  for (const [i, a] of PRACTICES.entries())
    await send(i, 'POST', `/agencies/${a}/submissions`, { period: 'baseline', baselinePeriod: { from: '2024-10-01', to: '2024-12-31' }, values: values('baseline', i) }, '2025-01-05T09:00:00Z');
  await send(0, 'PUT', `/agencies/${PRACTICES[0]}/submissions/drafts`, { period: '2025-Q1', values: { lead_screening: { numerator: 35, denominator: 60 } } }, '2025-04-02T09:00:00Z');
  // Submitting the incomplete draft names the missing required measure.
  const incomplete = await send(0, 'POST', `/agencies/${PRACTICES[0]}/submissions`, { period: '2025-Q1' }, '2025-04-02T10:00:00Z', [422]);
  expect(incomplete.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.values.immunisations_24m', 'body.values.developmental_screening', 'body.values.autism_screening']);
  await send(0, 'PUT', `/agencies/${PRACTICES[0]}/submissions/drafts`, { period: '2025-Q1', values: values('2025-Q1', 0) }, '2025-04-03T09:00:00Z');
  await send(0, 'POST', `/agencies/${PRACTICES[0]}/submissions`, { period: '2025-Q1' }, '2025-04-04T09:00:00Z');
  for (const i of [1, 2]) await send(i, 'POST', `/agencies/${PRACTICES[i]}/submissions`, { period: '2025-Q1', values: values('2025-Q1', i) }, '2025-04-05T09:00:00Z');
  // A change project aimed at lead screening, with a PDSA cycle in May.
  await send(0, 'POST', `/agencies/${PRACTICES[0]}/change-projects`, {
    projectId: PROJECT, title: 'Point-of-care lead testing', aim: 'Test every child at the 24-month visit', measure: 'lead_screening', baselineValue: 0.5, targetValue: 0.8,
    targetDate: '2026-06-30', changeIdea: 'Capillary test in the room', levelOfCare: 'other', team: [{ name: 'Nurse lead', role: 'lead' }],
  }, '2025-04-20T09:00:00Z');
  story.t.clock.now = new Date('2025-05-30T09:00:00Z');
  const cycle = await story.t.app.inject({
    method: 'POST', url: `/v1/change-projects/${PROJECT}/pdsa-cycles`, headers: { authorization: `Bearer ${story.keys.practice[0]}` },
    payload: { cycleNumber: 1, beginsOn: '2025-05-05', endsOn: '2025-05-30', changeTested: 'Capillary tests on Tuesdays', prediction: 'Most children tested', steps: [{ step: 'Order kits', who: 'Nurse lead' }], result: '9 of 10 tested', decision: 'adopt' },
  });
  expect(cycle.statusCode).toBe(200);
  story.position = Math.max(story.position, Number(cycle.headers['convene-position']));
  for (const i of [0, 1, 2]) await send(i, 'POST', `/agencies/${PRACTICES[i]}/submissions`, { period: '2025-Q2', values: values('2025-Q2', i) }, '2025-07-03T09:00:00Z');
  // Corrections: practice B's Q2 (a recount) and practice A's baseline.
  lead['2025-Q2']![1] = [20, 41];
  await send(1, 'POST', `/agencies/${PRACTICES[1]}/submissions/corrections`, { period: '2025-Q2', values: values('2025-Q2', 1), reason: 'Registry re-run' }, '2025-07-10T09:00:00Z');
  lead.baseline![0] = [29, 60];
  await send(0, 'POST', `/agencies/${PRACTICES[0]}/baseline/corrections`, { values: values('baseline', 0), reason: 'Chart audit' }, '2025-07-11T09:00:00Z');
  for (const i of [0, 1]) await send(i, 'POST', `/agencies/${PRACTICES[i]}/submissions`, { period: '2025-Q3', values: values('2025-Q3', i) }, '2025-10-03T09:00:00Z');
  // Coach assessments (IHI scale).
  await send('coach', 'POST', `/agencies/${PRACTICES[0]}/assessments`, { period: '2025-Q2', coachId: COACH, score: 3.5, comment: 'Lead testing adopted; rates rising' }, '2025-10-04T09:00:00Z');
  await send('coach', 'POST', `/agencies/${PRACTICES[1]}/assessments`, { period: '2025-Q2', coachId: COACH, score: 2, comment: 'Changes tested, no improvement yet' }, '2025-10-04T09:00:00Z');
  // The convener freezes lead screening's limits over Q1-Q2 (a new phase from Q1).
  await send('admin', 'POST', '/catalogue/measures/lead_screening/phases', { startsWith: '2025-Q1', freezeThrough: '2025-Q2', reason: 'Limits of the first two quarters' }, '2025-10-05T09:00:00Z');
  story.projector = await startProjectorRuntime({ pool: story.t.database.pool, db: story.t.database.db, store: story.t.eventStore, projections, pollIntervalMs: 20 });
  await story.projector.idle();
}, 120_000);
afterAll(async () => {
  await story.projector?.stop();
  await story.t.close();
});
}

export const pooled = (period: string) => {
  const cells = lead[period]!;
  const n = cells.reduce((s, [x]) => s + x, 0);
  const d = cells.reduce((s, [, y]) => s + y, 0);
  return { n, d, p: n / d };
};

