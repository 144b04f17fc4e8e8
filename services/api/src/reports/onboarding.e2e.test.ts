// Issue 16 (Must show): "an end-to-end test that moves a collaborative already six months in onto
// Convene: its past meetings with attendance and minutes, past visits, baselines and months,
// projects with past cycles; then the next month live. The reports equal those of the same history
// entered live." Two collaboratives in one database, over HTTP: LIVE runs the seed year step by step
// on a moving clock (meetings scheduled ahead, attendance and minutes after they start, visits
// scheduled then completed); ONBOARDED is the same history entered in one sitting in July, with the
// past-dated commands (RecordHeldMeeting, RecordHeldSiteVisit, StartChangeProject.startedOn, past
// cycles, baselines and months). Then August runs live in both, and every report is compared.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { projections, startProjectorRuntime, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { SEED_IDS, seedYearSteps, type SeedIds, type SeedStep } from '../test-fixtures/seed-year';

const LIVE: SeedIds = SEED_IDS;
// The same ids with another prefix: a normalised answer of one is the other's.
const ONBOARDED = Object.fromEntries(Object.entries(SEED_IDS).map(([k, v]) => [k, v.replace('0190a000-', '0190a001-')])) as SeedIds;
const ONBOARDING_AT = '2025-07-10T09:00:00.000Z';
const END = '2025-08-12T09:00:00.000Z';

let t: TestApp;
let projector: RunningProjector;
type Keys = Record<SeedStep['as'], string>;
const keys = new Map<SeedIds, Keys>();

async function send(ids: SeedIds, step: SeedStep): Promise<void> {
  t.clock.now = new Date(step.at);
  const res = await t.app.inject({ method: step.method, url: step.url, headers: { authorization: `Bearer ${keys.get(ids)![step.as]}` }, payload: step.body });
  if (res.statusCode !== step.status) throw new Error(`${step.name} (${step.command}) at ${step.at}: ${res.statusCode} ${res.body}`);
}

/** The history up to the onboarding, as the live collaborative lived it (the seed year until July). */
const pastSteps = (ids: SeedIds) => seedYearSteps(ids).filter((s) => s.at < ONBOARDING_AT);

/**
 * The same history entered after the fact, in one sitting: what was scheduled and then held is
 * recorded as held (meeting: schedule + attendance + minutes; visit: schedule + completion), a
 * project carries the day it started; everything else is sent as it was, only later.
 */
function onboardingSteps(ids: SeedIds): SeedStep[] {
  const steps = pastSteps(ids);
  const byCommand = (c: string) => steps.filter((s) => s.command === c);
  const out: SeedStep[] = [];
  for (const s of steps) {
    const at = ONBOARDING_AT;
    if (s.command === 'ScheduleMeeting') {
      const meetingId = s.body.meetingId as string;
      const attendance = byCommand('RecordAttendance').find((a) => a.url.includes(meetingId))!.body.attendance;
      const minutes = byCommand('PublishMinutes').find((a) => a.url.includes(meetingId))!.body.minutes;
      const { startsAt, ...meeting } = s.body;
      out.push({ ...s, at, as: 'coach', command: 'RecordHeldMeeting', url: s.url.replace('/meetings', '/held-meetings'), body: { ...meeting, heldAt: startsAt, attendance, minutes }, status: 201 });
    } else if (s.command === 'ScheduleSiteVisit') {
      const completion = byCommand('CompleteSiteVisit').find((c) => c.url.includes(s.body.visitId as string))!.body;
      const { scheduledAt, ...visit } = s.body;
      out.push({ ...s, at, command: 'RecordHeldSiteVisit', url: s.url.replace('/site-visits', '/held-site-visits'), body: { ...visit, heldAt: scheduledAt, ...completion }, status: 201 });
    } else if (['RecordAttendance', 'PublishMinutes', 'CompleteSiteVisit'].includes(s.command)) continue;
    else if (s.command === 'StartChangeProject') out.push({ ...s, at, body: { ...s.body, startedOn: s.at.slice(0, 10) } });
    else if (s.command === 'SubmitApplication') out.push({ ...s, at, body: { ...s.body, submittedOn: s.at.slice(0, 10) } });
    else out.push({ ...s, at });
  }
  return out;
}

/** August, live in both: June and July's counts, a monthly call scheduled, held and minuted, a coaching note. */
function nextMonth(ids: SeedIds): SeedStep[] {
  const C = `/v1/collaboratives/${ids.collaborative}`;
  const A1 = `${C}/agencies/${ids.agency1}`;
  const call = ids.kickOff.replace(/71$/, '72');
  const counts = (treated: number, days: number, scheduled: number, noShows: number) => ({ clientsTreated: treated, totalDaysToTreatment: days, medianDaysToTreatment: Math.round(days / treated), intakeScheduled: scheduled, intakeNoShows: noShows, admissions: treated });
  const step = (name: string, command: SeedStep['command'], at: string, as: SeedStep['as'], url: string, body: Record<string, unknown>, status: 200 | 201 = 200): SeedStep => ({ name, command, at, as, method: 'POST', url, body, status });
  return [
    step('agency 1 records June', 'RecordMonthlyMeasures', '2025-08-01T09:00:00.000Z', 'agency', `${A1}/measures`, { month: '2025-06', counts: counts(26, 450, 51, 9) }),
    step('agency 1 records July', 'RecordMonthlyMeasures', '2025-08-04T09:00:00.000Z', 'agency', `${A1}/measures`, { month: '2025-07', counts: counts(29, 440, 55, 8) }),
    step('schedule the August call', 'ScheduleMeeting', '2025-08-04T10:00:00.000Z', 'admin', `${C}/meetings`, {
      meetingId: call, kind: 'regular_call', modality: 'video', startsAt: '2025-08-06T15:00:00Z', durationMinutes: 60, callIn: 'https://meet.example.org/c', agenda: 'Monthly call', invitedAgencyIds: [ids.agency1, ids.agency2],
    }, 201),
    step('record the August call', 'RecordAttendance', '2025-08-06T16:05:00.000Z', 'coach', `/v1/meetings/${call}/attendance`, {
      attendance: [{ agencyId: ids.agency1, present: true, attendees: ['Morgan Leader'] }, { agencyId: ids.agency2, present: true, attendees: ['Hillside Director'] }],
    }),
    step('publish the August minutes', 'PublishMinutes', '2025-08-07T09:00:00.000Z', 'coach', `/v1/meetings/${call}/minutes`, { minutes: 'Riverside sustains walk-in intake; Hillside starts reminder calls.' }),
    step('the coach notes August', 'RecordCoachingNote', '2025-08-08T09:00:00.000Z', 'coach', `${A1}/coaching-notes`, { coachId: ids.coach, coachedOn: '2025-08-08', assistance: 'Reviewed July run charts.' }),
  ];
}

beforeAll(async () => {
  t = await createTestApp();
  for (const ids of [LIVE, ONBOARDED])
    keys.set(ids, {
      admin: t.adminKey,
      coach: await t.createKey({ name: 'coach', role: 'coach', actorId: ids.coach, collaborativeIds: [ids.collaborative] }),
      agency: await t.createKey({ name: 'agency 1', role: 'agency', actorId: ids.agencyChangeLeader, collaborativeIds: [ids.collaborative], agencyIds: [ids.agency1] }),
    });
  // The live collaborative lives its first six months; the onboarded one arrives in July with the same history.
  for (const s of pastSteps(LIVE)) await send(LIVE, s);
  for (const s of onboardingSteps(ONBOARDED)) await send(ONBOARDED, s);
  // Then the next month, live in both, step by step.
  const august = [...nextMonth(LIVE).map((s) => [LIVE, s] as const), ...nextMonth(ONBOARDED).map((s) => [ONBOARDED, s] as const)].sort(([, a], [, b]) => a.at.localeCompare(b.at));
  for (const [ids, s] of august) await send(ids, s);
  t.clock.now = new Date(END);
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  await projector.idle();
}, 120_000);
afterAll(async () => {
  await projector?.stop();
  await t?.close();
});

// Recording times differ by nature (the onboarded history was recorded in July): they are not compared.
const RECORDING_TIMES = new Set(['createdAt', 'updatedAt', 'publishedAt', 'correctedAt', 'loggedAt', 'recordedAt', 'submittedAt', 'scoredAt', 'at', 'position']);
// A project's start and an application's arrival given after the fact are days (startedOn,
// submittedOn); live, they are the instant of the command: compared by day.
const DAYS = new Set(['startedAt', 'appliedAt']);
function normalised(value: unknown): unknown {
  const walk = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(walk)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).filter(([k]) => !RECORDING_TIMES.has(k)).map(([k, x]) => [k, DAYS.has(k) && typeof x === 'string' ? x.slice(0, 10) : walk(x)]))
        : v;
  return walk(JSON.parse(JSON.stringify(value).replaceAll('0190a001-', '0190a000-')));
}
async function read(ids: SeedIds, path: string): Promise<unknown> {
  const url = path.replaceAll('{c}', ids.collaborative).replaceAll('{cohort1}', ids.cohort1).replaceAll('{cohort2}', ids.cohort2).replaceAll('{agency1}', ids.agency1);
  const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.adminKey}` } });
  expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
  return res.json();
}
const same = async (path: string) => {
  const [live, onboarded] = [await read(LIVE, path), await read(ONBOARDED, path)];
  expect({ path, read: normalised(onboarded) }).toEqual({ path, read: normalised(live) });
  return live as any;
};

describe('issue 16: a collaborative six months in, onboarded with its past, then a month live', () => {
  it('issue 16: the onboarding entered the past with past-dated commands (held meetings and visits, a project with startedOn)', () => {
    const commands = onboardingSteps(ONBOARDED).map((s) => s.command);
    expect(commands).toEqual(expect.arrayContaining(['RecordHeldMeeting', 'RecordHeldSiteVisit', 'RecordBaseline', 'RecordMonthlyMeasures', 'StartChangeProject', 'LogPDSACycle']));
    expect(commands).not.toContain('ScheduleMeeting');
    expect(new Set(onboardingSteps(ONBOARDED).map((s) => s.at))).toEqual(new Set([ONBOARDING_AT]));
  });

  it('issue 16: progress of each cohort and the agency page are the same', async () => {
    const progress = await same('/v1/collaboratives/{c}/cohorts/{cohort1}/progress');
    expect(progress.items.find((a: { agencyId: string }) => a.agencyId === LIVE.agency1)).toMatchObject({ monthsReported: ['2025-03', '2025-04', '2025-05', '2025-06', '2025-07'], lastSiteVisitOn: '2025-04-15' });
    await same('/v1/collaboratives/{c}/cohorts/{cohort2}/progress');
    await same('/v1/collaboratives/{c}/agencies/{agency1}');
  });

  it('issue 16: the aggregate report (collaborative and cohort), every measure report and the exports are the same', async () => {
    const report = await same('/v1/collaboratives/{c}/reports/aggregate');
    expect(report.months).toEqual(['2025-03', '2025-04', '2025-05', '2025-06', '2025-07']);
    await same('/v1/collaboratives/{c}/reports/aggregate?cohortId={cohort1}');
    const catalogue = (await read(LIVE, '/v1/collaboratives/{c}/catalogue')) as { measures: { id: string; type: string }[] };
    for (const m of catalogue.measures.filter((x) => x.type !== 'text')) await same(`/v1/collaboratives/{c}/measures/${m.id}/report`);
    // The state-IT exports too (their position, the feed's, is when it was recorded).
    await same('/v1/exports/collaboratives/{c}/monthly-report');
    await same('/v1/exports/collaboratives/{c}/measures-report');
  });

  it('issue 16: meetings with attendance per agency and minutes, site visits, the calendar and the attendance rates are the same', async () => {
    const meetings = await same('/v1/collaboratives/{c}/meetings');
    expect(meetings.items.map((m: { startsAt: string; presentCount: number }) => [m.startsAt, m.presentCount])).toEqual([['2025-03-03T15:00:00Z', 1], ['2025-08-06T15:00:00Z', 2]]);
    await same('/v1/collaboratives/{c}/site-visits');
    await same('/v1/collaboratives/{c}/calendar?from=2025-01-01T00:00:00Z&to=2025-12-31T00:00:00Z');
  });

  it('issue 16: applications keep the day they arrived (submittedOn)', async () => {
    // submittedAt of an application is its business date: compared by day (scoredAt is a recording time).
    const days = (r: any) => normalised(r.items.map((a: { submittedAt: string }) => ({ ...a, arrivedOn: a.submittedAt.slice(0, 10) })));
    const live = days(await read(LIVE, '/v1/collaboratives/{c}/applications')) as { arrivedOn: string }[];
    expect(days(await read(ONBOARDED, '/v1/collaboratives/{c}/applications'))).toEqual(live);
    expect(live.map((a) => a.arrivedOn).sort()).toEqual(['2025-01-15', '2025-01-16', '2025-06-20']);
  });

  it('issue 16: change projects with their past cycles are the same', async () => {
    const projects = await same('/v1/collaboratives/{c}/change-projects');
    expect(projects.items).toHaveLength(1);
    expect(projects.items[0]).toMatchObject({ startedAt: '2025-03-05T09:00:00.000Z', status: 'completed' }); // live: the command's time
  });
});
