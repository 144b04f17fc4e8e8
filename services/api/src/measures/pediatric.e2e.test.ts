// Issue 15.7 (Must show): a pediatric collaborative run end to end over HTTP: its catalogue from
// the pediatric-preventive template plus custom measures, quarterly submissions from several
// practices with a draft and corrections, coach assessments, the pooled report with a p-chart and
// its SVG chart, and who sees what (agency: own series, others anonymised; analyst: suppressed).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseDocument } from 'htmlparser2';
import { parse } from 'csv-parse/sync';
import { recoverableCells, type Grid } from '../exports/suppression';
import { projections, startProjectorRuntime, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';

const id = (n: number) => `0190d000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const C = id(1);
const COACH = id(2);
const COHORT = id(3);
const PRACTICES = [id(11), id(12), id(13)];
const LEADER = id(21);
const PROJECT = id(31);
const person = (personId: string, name: string) => ({ personId, name, email: `${name.toLowerCase().replace(/ /g, '.')}@example.org` });

let t: TestApp;
let projector: RunningProjector;
let keys: { admin: string; coach: string; analyst: string; practice: string[] };
let position = 0;

type Key = keyof Omit<typeof keys, 'practice'> | number;
const keyOf = (who: Key) => (typeof who === 'number' ? keys.practice[who]! : keys[who]);
async function send(who: Key, method: 'POST' | 'PUT', url: string, body: object, at: string, expected = [200, 201]) {
  t.clock.now = new Date(at);
  const res = await t.app.inject({ method, url: `/v1/collaboratives/${C}${url}`, headers: { authorization: `Bearer ${keyOf(who)}` }, payload: body });
  if (!expected.includes(res.statusCode)) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  position = Math.max(position, Number(res.headers['convene-position'] ?? 0));
  return res;
}
const get = (who: Key, url: string) =>
  t.app.inject({ method: 'GET', url: `/v1/collaboratives/${C}${url}${url.includes('?') ? '&' : '?'}consistentWith=${position}`, headers: { authorization: `Bearer ${keyOf(who)}` } });

/** [numerator, denominator] per practice per measure and period. */
const lead: Record<string, [number, number][]> = {
  baseline: [[30, 60], [12, 40], [8, 20]],
  '2025-Q1': [[36, 60], [15, 38], [9, 21]],
  '2025-Q2': [[40, 62], [18, 41], [12, 22]],
  '2025-Q3': [[45, 61], [22, 40], [0, 0]], // practice C does not submit Q3
};
const values = (period: string, p: number) => {
  const [n, d] = lead[period]![p]!;
  const others = { immunisations_24m: { numerator: d - 5, denominator: d }, developmental_screening: { numerator: Math.floor(d / 2), denominator: d }, autism_screening: { numerator: Math.floor(d / 3), denominator: d } };
  return { ...others, lead_screening: { numerator: n, denominator: d }, fluoride_varnish: { numerator: 5 + p, denominator: 50 } };
};

beforeAll(async () => {
  t = await createTestApp();
  const scope = { collaborativeIds: [C] };
  keys = {
    admin: t.adminKey,
    coach: await t.createKey({ name: 'coach', role: 'coach', actorId: COACH, ...scope }),
    analyst: await t.createKey({ name: 'analyst', role: 'analyst', ...scope }),
    practice: await Promise.all(PRACTICES.map((a, i) => t.createKey({ name: `practice ${i}`, role: 'agency', ...scope, agencyIds: [a] }))),
  };
  t.clock.now = new Date('2024-09-02T09:00:00Z');
  const launch = await t.app.inject({
    method: 'POST', url: '/v1/collaboratives', headers: { authorization: `Bearer ${keys.admin}` },
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
  t.clock.now = new Date('2025-05-30T09:00:00Z');
  const cycle = await t.app.inject({
    method: 'POST', url: `/v1/change-projects/${PROJECT}/pdsa-cycles`, headers: { authorization: `Bearer ${keys.practice[0]}` },
    payload: { cycleNumber: 1, beginsOn: '2025-05-05', endsOn: '2025-05-30', changeTested: 'Capillary tests on Tuesdays', prediction: 'Most children tested', steps: [{ step: 'Order kits', who: 'Nurse lead' }], result: '9 of 10 tested', decision: 'adopt' },
  });
  expect(cycle.statusCode).toBe(200);
  position = Math.max(position, Number(cycle.headers['convene-position']));
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
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  await projector.idle();
}, 120_000);
afterAll(async () => {
  await projector?.stop();
  await t.close();
});

const pooled = (period: string) => {
  const cells = lead[period]!;
  const n = cells.reduce((s, [x]) => s + x, 0);
  const d = cells.reduce((s, [, y]) => s + y, 0);
  return { n, d, p: n / d };
};

describe('issue 15.7: a pediatric collaborative over HTTP', () => {
  it('issue 15: launched without measureSettings (no continuation measures): the collaborative reads them as null', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/collaboratives/${C}?consistentWith=${position}`, headers: { authorization: `Bearer ${keys.admin}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json().measureSettings).toBeNull();
  });

  it('issue 15: a quarterly catalogue owes no months: the agency page lists no missing month after its baseline', async () => {
    const res = await get('admin', `/agencies/${PRACTICES[1]}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ baselineRecorded: true, monthsMissing: [] });
  });

  it('issue 15: the calendar owes quarters, not months: each quarter due on the due day of the month after it, met per practice', async () => {
    const res = await get('coach', '/calendar?from=2025-01-01T00:00:00Z&to=2025-12-01T00:00:00Z');
    expect(res.statusCode).toBe(200);
    const dues = res.json().items.filter((i: { type: string }) => i.type === 'data_due');
    expect(dues.map((d: { startsAt: string; period: string; month: string | null; title: string; agencies: { agencyId: string; met: boolean }[] }) =>
      [d.startsAt.slice(0, 10), d.period, d.month, d.title, d.agencies.filter((a) => !a.met).map((a) => a.agencyId)])).toEqual([
      ['2025-04-10', '2025-Q1', null, 'Quarterly data due: 2025-Q1', []],
      ['2025-07-10', '2025-Q2', null, 'Quarterly data due: 2025-Q2', []],
      ['2025-10-10', '2025-Q3', null, 'Quarterly data due: 2025-Q3', [PRACTICES[2]]],
    ]);
  });

  it('issue 15.7: the catalogue is the template plus the custom measures', async () => {
    const res = await get(0, '/catalogue');
    expect(res.statusCode).toBe(200);
    expect(res.json().measures.map((m: { id: string; required: boolean; period: string }) => [m.id, m.required, m.period])).toEqual([
      ['immunisations_24m', true, 'quarterly'], ['developmental_screening', true, 'quarterly'], ['autism_screening', true, 'quarterly'],
      ['lead_screening', true, 'quarterly'], ['fluoride_varnish', false, 'quarterly'], ['weight_assessed', false, 'quarterly'], ['bmi_documented', false, 'quarterly'],
    ]);
    expect(res.json().measures.find((m: { id: string }) => m.id === 'bmi_documented').retired).toBe(true);
  });

  it('issue 15.7: the pooled report (sum over sum, corrections applied) with a p-chart, change against baseline and the PDSA cycle', async () => {
    const res = await get('coach', '/measures/lead_screening/report');
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.chart).toBe('p');
    expect(r.points.map((p: { period: string }) => p.period)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3']);
    for (const p of r.points) {
      const x = pooled(p.period);
      expect([p.numerator, p.denominator, p.value]).toEqual([x.n, x.d, x.p]);
    }
    // p-chart: centre = Σ numerators / Σ denominators over the frozen span (Q1-Q2); limits p ± 3·sqrt(p(1-p)/n_i) for every point.
    const all = ['2025-Q1', '2025-Q2', '2025-Q3'].map(pooled);
    const pBar = (all[0]!.n + all[1]!.n) / (all[0]!.d + all[1]!.d);
    expect(r.phases).toEqual([expect.objectContaining({ startsWith: '2025-Q1', freezeThrough: '2025-Q2', from: 0 })]);
    for (const [i, p] of r.points.entries()) {
      expect(p.limits.centre).toBeCloseTo(pBar, 12);
      expect(p.limits.upper).toBeCloseTo(pBar + 3 * Math.sqrt((pBar * (1 - pBar)) / all[i]!.d), 12);
    }
    expect(r.baseline.value).toBeCloseTo(pooled('baseline').p, 12);
    expect(r.change.absolute).toBeCloseTo(pooled('2025-Q3').p - pooled('baseline').p, 12);
    expect(r.pdsa).toEqual([expect.objectContaining({ projectId: PROJECT, beginsOn: '2025-05-05', decision: 'adopt' })]);
    // Practice C has not submitted Q3 (it is on the due list): its series stops at Q2.
    const c = r.agencySeries.find((s: { agency: string }) => s.agency === PRACTICES[2]);
    expect(c.points.map((p: { period: string }) => p.period)).toEqual(['2025-Q1', '2025-Q2']);
    expect(c.latest).toBe(12 / 22);
  });

  it('issue 15.7: an agency reads its own series and the pooled one, other practices anonymised; analysts get small cells suppressed', async () => {
    const mine = (await get(0, '/measures/lead_screening/report')).json();
    expect(mine.agencySeries.map((s: { agency: string; own: boolean }) => [s.agency, s.own])).toEqual([[PRACTICES[0], true], ['Agency 1', false], ['Agency 2', false]]);
    expect(JSON.stringify(mine)).not.toContain(PRACTICES[1]);
    const scopedCoach = await t.createKey({ name: 'coach of A', role: 'coach', actorId: COACH, collaborativeIds: [C], agencyIds: [PRACTICES[0]!] });
    const coachView = await t.app.inject({ method: 'GET', url: `/v1/collaboratives/${C}/measures/lead_screening/report`, headers: { authorization: `Bearer ${scopedCoach}` } });
    expect(coachView.json().agencySeries.map((s: { agency: string }) => s.agency)).toEqual([PRACTICES[0], 'Agency 1', 'Agency 2']);
    const analyst = (await get('analyst', '/measures/lead_screening/report')).json();
    const cells = analyst.agencySeries.flatMap((s: { points: { numerator: number | null; suppressed: boolean }[] }) => s.points);
    expect(cells.some((p: { suppressed: boolean }) => p.suppressed)).toBe(true);
    for (const p of cells) if (p.suppressed) expect(p.numerator).toBeNull();
    // Practice C's numerators (9, 12) are small: never published to an analyst.
    const c = analyst.agencySeries.find((s: { agency: string }) => s.agency === PRACTICES[2]);
    expect(c.points.map((p: { numerator: number | null }) => p.numerator)).toEqual([null, null]);
  });

  it('issue 15.7: the SVG chart of the p-chart: one point per quarter and the PDSA marker', async () => {
    const res = await get(1, '/charts/lead_screening.svg');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const labels: string[] = [];
    const walk = (n: { attribs?: Record<string, string>; children?: unknown[] }) => {
      if (n.attribs?.['aria-label']) labels.push(n.attribs['aria-label']);
      for (const c of n.children ?? []) walk(c as never);
    };
    walk(parseDocument(res.body, { xmlMode: true }) as never);
    expect(labels.filter((l) => l.startsWith('point ')).map((l) => l.split(' ')[1])).toEqual(['2025-Q1', '2025-Q2', '2025-Q3']);
    expect(labels.filter((l) => l.startsWith('pdsa '))).toEqual(['pdsa 2025-Q2 2025-05-05 cycle 1 adopt']);
    expect(labels.some((l) => l.startsWith('upper '))).toBe(true);
    const other = await get(1, `/charts/lead_screening.svg?agencyId=${PRACTICES[0]}`);
    expect(other.statusCode).toBe(403);
  });

  it('issue 15.7: coach review: submissions awaiting assessment, due periods with the contact to chase, the assessment history visible to the agency', async () => {
    const waiting = (await get('coach', '/submissions?awaitingAssessment=true&period=2025-Q2')).json();
    expect(waiting.items.map((s: { agencyId: string }) => s.agencyId)).toEqual([PRACTICES[2]]);
    const corrected = (await get('coach', `/submissions?agencyId=${PRACTICES[1]}&period=2025-Q2`)).json().items[0];
    expect([corrected.corrections, corrected.values.lead_screening]).toEqual([1, { numerator: 20, denominator: 41 }]);
    const due = (await get('coach', '/submissions/due?today=2025-10-15')).json();
    expect(due.items).toEqual([{ agencyId: PRACTICES[2], agencyName: 'Practice C', coachId: COACH, period: '2025-Q3', kind: 'quarterly', contact: { name: 'Morgan Leader', email: 'morgan.leader@example.org' }, draftSaved: false }]);
    const history = await get(0, `/agencies/${PRACTICES[0]}/assessments`);
    expect(history.statusCode).toBe(200);
    expect(history.json().items).toEqual([expect.objectContaining({ period: '2025-Q2', coachId: COACH, score: 3.5, comment: 'Lead testing adopted; rates rising' })]);
    expect((await get(0, `/agencies/${PRACTICES[1]}/assessments`)).statusCode).toBe(403);
  });
});

describe('issue 15: the analyst export and the aggregate report read the catalogue', () => {
  const exportOf = async (key: string, query = '') => {
    const res = await t.app.inject({ method: 'GET', url: `/v1/exports/collaboratives/${C}/measures-report${query}`, headers: { authorization: `Bearer ${key}` } });
    expect(res.statusCode).toBe(200);
    return res;
  };
  type Row = { measureId: string; cohortId: string; period: string; numerator: number | null; denominator: number | null; value: number | null; agencies: number; periodFrom: string; periodTo: string; suppressed: string };
  const sum = (period: string) => ['2025-Q1', '2025-Q2', '2025-Q3'].includes(period) ? pooled(period) : null;

  it('issue 15: the export has every catalogue measure pooled per cohort and quarter, and the baseline rows', async () => {
    const { rows } = (await exportOf(keys.admin)).json() as { rows: Row[] };
    expect([...new Set(rows.map((r) => r.measureId))]).toEqual(['immunisations_24m', 'developmental_screening', 'autism_screening', 'lead_screening', 'fluoride_varnish']);
    const lead = rows.filter((r) => r.measureId === 'lead_screening');
    for (const cohort of [COHORT, 'all']) {
      const mine = lead.filter((r) => r.cohortId === cohort);
      expect(mine.map((r) => r.period)).toEqual(['baseline', '2025-Q1', '2025-Q2', '2025-Q3', 'total']);
      for (const r of mine.filter((x) => x.period.includes('-Q'))) {
        const x = sum(r.period)!;
        expect([r.numerator, r.denominator, r.value]).toEqual([x.n, x.d, x.p]);
      }
      // The baseline (practice A's corrected): change against baseline is rebuilt from the export.
      const b = mine.find((r) => r.period === 'baseline')!;
      const base = pooled('baseline');
      expect([b.numerator, b.denominator, b.value, b.agencies, b.periodFrom, b.periodTo]).toEqual([base.n, base.d, base.p, 3, '2024-10-01', '2024-12-31']);
      const q3 = mine.find((r) => r.period === '2025-Q3')!;
      expect(q3.agencies).toBe(2);
      const report = (await get('coach', '/measures/lead_screening/report')).json();
      expect(q3.value! - b.value!).toBeCloseTo(report.change.absolute, 12);
      const total = mine.find((r) => r.period === 'total')!;
      const all = ['2025-Q1', '2025-Q2', '2025-Q3'].map((p) => sum(p)!);
      expect([total.numerator, total.denominator]).toEqual([all.reduce((s, x) => s + x.n, 0), all.reduce((s, x) => s + x.d, 0)]);
    }
  });

  it('issue 15: analysts get the export with small cells suppressed (complementary: none recoverable), the CSV the same rows', async () => {
    expect((await exportOf(keys.analyst)).json().threshold).toBe(11);
    // At 20, fluoride varnish (5 + 6 + 7 a quarter; 11 in Q3, two practices) and its baseline (18) are small.
    const admin = (await exportOf(keys.admin, '?threshold=20')).json();
    expect(admin.rows.every((r: Row) => r.suppressed === '')).toBe(false); // admins choose a threshold for themselves
    const full = (await exportOf(keys.admin)).json().rows as Row[];
    const analyst = (await exportOf(keys.analyst, '?threshold=20')).json() as { rows: Row[]; threshold: number };
    expect(analyst.threshold).toBe(20);
    const find = (rows: Row[], m: string, c: string, p: string) => rows.find((x) => x.measureId === m && x.cohortId === c && x.period === p);
    for (const r of analyst.rows) {
      const f = find(full, r.measureId, r.cohortId, r.period)!;
      if (f.numerator !== null && f.numerator > 0 && f.numerator < 20) expect(r.numerator).toBeNull();
      if (r.suppressed === '') expect(r).toEqual(f);
      else expect([r.numerator, r.value]).toEqual([null, null]);
    }
    expect(analyst.rows.filter((r) => r.measureId === 'fluoride_varnish' && r.suppressed !== '').map((r) => `${r.cohortId}|${r.period}`).sort()).toEqual(
      [COHORT, 'all'].flatMap((c) => ['2025-Q1', '2025-Q2', '2025-Q3', 'baseline'].map((p) => `${c}|${p}`)).sort(),
    );
    // No hidden numerator can be solved for from the row and column totals (cohorts + all x quarters + total).
    for (const m of ['lead_screening', 'fluoride_varnish']) {
      const periods = ['2025-Q1', '2025-Q2', '2025-Q3', 'total'];
      const grid: Grid = [COHORT, 'all'].map((c) => periods.map((p) => find(full, m, c, p)?.numerator ?? null));
      const hidden = [COHORT, 'all'].map((c) => periods.map((p) => find(analyst.rows, m, c, p)?.numerator === null));
      expect(recoverableCells(grid, hidden)).toEqual([]);
    }
    const csv = parse((await exportOf(keys.analyst, '?format=csv&threshold=20')).body, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(csv.map((r) => `${r.measureId}|${r.cohortId}|${r.period}|${r.numerator}|${r.suppressed}`)).toEqual(
      analyst.rows.map((r) => `${r.measureId}|${r.cohortId}|${r.period}|${r.numerator ?? ''}|${r.suppressed}`),
    );
  });

  it('issue 15: the aggregate report pools every catalogue measure per quarter; the NIATx fields are empty for this template', async () => {
    const res = await get('analyst', '/reports/aggregate');
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.template).toBe('pediatric-preventive');
    expect([r.measures, r.months]).toEqual([[], []]);
    expect(r.catalogue.map((m: { measure: { id: string } }) => m.measure.id)).toEqual(['immunisations_24m', 'developmental_screening', 'autism_screening', 'lead_screening', 'fluoride_varnish', 'weight_assessed', 'bmi_documented']);
    const lead = r.catalogue.find((m: { measure: { id: string } }) => m.measure.id === 'lead_screening');
    expect(lead.chart).toBe('p');
    expect(lead.points.map((p: { period: string; numerator: number; denominator: number }) => [p.period, p.numerator, p.denominator])).toEqual(
      ['2025-Q1', '2025-Q2', '2025-Q3'].map((p) => [p, pooled(p).n, pooled(p).d]),
    );
    expect(lead.baseline.value).toBeCloseTo(pooled('baseline').p, 12);
    expect(lead.agencySeries).toBeUndefined();
    expect(r.catalogue.find((m: { measure: { id: string } }) => m.measure.id === 'bmi_documented').measure.retired).toBe(true);
    // from/to bound the months: a quarter counts when all its months lie within.
    const q2 = (await get('analyst', '/reports/aggregate?from=2025-04&to=2025-08')).json();
    expect(q2.catalogue.find((m: { measure: { id: string } }) => m.measure.id === 'lead_screening').points.map((p: { period: string }) => p.period)).toEqual(['2025-Q2']);
  });
});
