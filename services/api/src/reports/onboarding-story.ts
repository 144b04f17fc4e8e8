// Issue 16, the onboarding story shared by onboarding.e2e.test.ts (reports, projects, visits) and
// onboarding-people.e2e.test.ts (people at meetings, credit hours). Two collaboratives in one
// database, over HTTP: LIVE runs the seed year (with its people, onboarding-people.ts) step by step
// on a moving clock (meetings scheduled ahead, registrations before them, attendance and minutes
// after they start, visits scheduled then completed); ONBOARDED is the same history entered in one
// sitting in July with the past-dated commands (RecordHeldMeeting with attendance per agency and per
// person and credit hours, RecordHeldSiteVisit, StartChangeProject.startedOn, past cycles, baselines
// and months). Then August runs live in both.
import { projections, startProjectorRuntime, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { SEED_IDS, seedYearSteps, type SeedIds, type SeedStep } from '../test-fixtures/seed-year';
import { peopleNextMonthSteps, peoplePastSteps } from './onboarding-people';

export const LIVE: SeedIds = SEED_IDS;
// The same ids with another prefix: a normalised answer of one is the other's.
export const ONBOARDED = Object.fromEntries(Object.entries(SEED_IDS).map(([k, v]) => [k, v.replace('0190a000-', '0190a001-')])) as SeedIds;
export const ONBOARDING_AT = '2025-07-10T09:00:00.000Z';
export const END = '2025-08-12T09:00:00.000Z';
export type Keys = Record<SeedStep['as'], string>;

const byTime = (steps: SeedStep[]) => steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.at.localeCompare(b.s.at) || a.i - b.i).map(({ s }) => s);

/** The history up to the onboarding, as the live collaborative lived it (the seed year and its people until July). */
export const pastSteps = (ids: SeedIds) => byTime([...seedYearSteps(ids), ...peoplePastSteps(ids)]).filter((s) => s.at < ONBOARDING_AT);

/** Commands that belong to a meeting which, entered after the fact, go into its RecordHeldMeeting. */
const INTO_HELD_MEETING = ['RecordAttendance', 'RecordPersonAttendance', 'PublishMinutes', 'SetMeetingCreditHours', 'InviteToMeeting'];

/**
 * The same history entered after the fact, in one sitting: what was scheduled and then held is
 * recorded as held (meeting: schedule + invitees + credit hours + attendance per agency and per
 * person + minutes; visit: schedule + completion), a project carries the day it started;
 * registrations are left out (they are closed once a meeting started: who attended is the record);
 * everything else is sent as it was, only later.
 */
export function onboardingSteps(ids: SeedIds): SeedStep[] {
  const steps = pastSteps(ids);
  const of = (command: string, id: string) => steps.filter((s) => s.command === command && s.url.includes(id));
  const out: SeedStep[] = [];
  for (const s of steps) {
    const at = ONBOARDING_AT;
    if (s.command === 'ScheduleMeeting') {
      const meetingId = s.body.meetingId as string;
      const { startsAt, ...meeting } = s.body;
      const attendance = of('RecordAttendance', meetingId)[0]?.body.attendance;
      const personAttendance = of('RecordPersonAttendance', meetingId)[0]?.body.attendance;
      const minutes = of('PublishMinutes', meetingId)[0]?.body.minutes;
      const creditHours = of('SetMeetingCreditHours', meetingId).at(-1)?.body.creditHours ?? meeting.creditHours;
      const invitedPersonIds = of('InviteToMeeting', meetingId).flatMap((i) => (i.body.invitees as { invitedPersonIds?: string[] }).invitedPersonIds ?? []);
      const body = {
        ...meeting, heldAt: startsAt, ...(invitedPersonIds.length ? { invitedPersonIds } : {}), ...(creditHours !== undefined ? { creditHours } : {}),
        ...(attendance ? { attendance } : {}), ...(personAttendance ? { personAttendance } : {}), ...(minutes ? { minutes } : {}),
      };
      out.push({ ...s, at, as: 'coach', command: 'RecordHeldMeeting', url: s.url.replace('/meetings', '/held-meetings'), body, status: 201 });
    } else if (s.command === 'ScheduleSiteVisit') {
      const completion = of('CompleteSiteVisit', s.body.visitId as string)[0]!.body;
      const { scheduledAt, ...visit } = s.body;
      out.push({ ...s, at, command: 'RecordHeldSiteVisit', url: s.url.replace('/site-visits', '/held-site-visits'), body: { ...visit, heldAt: scheduledAt, ...completion }, status: 201 });
    } else if ([...INTO_HELD_MEETING, 'CompleteSiteVisit', 'RegisterForMeeting'].includes(s.command)) continue;
    else if (s.command === 'StartChangeProject') out.push({ ...s, at, body: { ...s.body, startedOn: s.at.slice(0, 10) } });
    else if (s.command === 'SubmitApplication') out.push({ ...s, at, body: { ...s.body, submittedOn: s.at.slice(0, 10) } });
    else out.push({ ...s, at });
  }
  return out;
}

/** The August call of the next month. */
export const augustCallOf = (ids: SeedIds) => ids.kickOff.replace(/71$/, '72');

/** August, live in both: June and July's counts, a monthly call scheduled, registered for, attended per person and minuted, a coaching note. */
export function nextMonth(ids: SeedIds): SeedStep[] {
  const C = `/v1/collaboratives/${ids.collaborative}`;
  const A1 = `${C}/agencies/${ids.agency1}`;
  const call = augustCallOf(ids);
  const counts = (treated: number, days: number, scheduled: number, noShows: number) => ({ clientsTreated: treated, totalDaysToTreatment: days, medianDaysToTreatment: Math.round(days / treated), intakeScheduled: scheduled, intakeNoShows: noShows, admissions: treated });
  const step = (name: string, command: SeedStep['command'], at: string, as: SeedStep['as'], url: string, body: Record<string, unknown>, status: 200 | 201 = 200): SeedStep => ({ name, command, at, as, method: 'POST', url, body, status });
  return byTime([
    step('agency 1 records June', 'RecordMonthlyMeasures', '2025-08-01T09:00:00.000Z', 'agency', `${A1}/measures`, { month: '2025-06', counts: counts(26, 450, 51, 9) }),
    step('agency 1 records July', 'RecordMonthlyMeasures', '2025-08-04T09:00:00.000Z', 'agency', `${A1}/measures`, { month: '2025-07', counts: counts(29, 440, 55, 8) }),
    ...peopleNextMonthSteps(ids, call),
    step('publish the August minutes', 'PublishMinutes', '2025-08-07T09:00:00.000Z', 'coach', `/v1/meetings/${call}/minutes`, { minutes: 'Riverside sustains walk-in intake; Hillside starts reminder calls.' }),
    step('the coach notes August', 'RecordCoachingNote', '2025-08-08T09:00:00.000Z', 'coach', `${A1}/coaching-notes`, { coachId: ids.coach, coachedOn: '2025-08-08', assistance: 'Reviewed July run charts.' }),
  ]);
}

export interface Story {
  t: TestApp;
  projector: RunningProjector;
  keys: Map<SeedIds, Keys>;
  close(): Promise<void>;
}

/**
 * Runs the story: the live six months, the onboarding in one sitting, `atOnboarding` once the read
 * models caught up with both (before August), then August live in both, interleaved by time.
 */
export async function runStory(atOnboarding?: (story: Story) => Promise<void>): Promise<Story> {
  const t = await createTestApp();
  const keys = new Map<SeedIds, Keys>();
  for (const ids of [LIVE, ONBOARDED])
    keys.set(ids, {
      admin: t.adminKey,
      coach: await t.createKey({ name: 'coach', role: 'coach', actorId: ids.coach, collaborativeIds: [ids.collaborative] }),
      agency: await t.createKey({ name: 'agency 1', role: 'agency', actorId: ids.agencyChangeLeader, collaborativeIds: [ids.collaborative], agencyIds: [ids.agency1] }),
    });
  const send = async (ids: SeedIds, step: SeedStep) => {
    t.clock.now = new Date(step.at);
    const res = await t.app.inject({ method: step.method, url: step.url, headers: { authorization: `Bearer ${keys.get(ids)![step.as]}` }, payload: step.body });
    if (res.statusCode !== step.status) throw new Error(`${step.name} (${step.command}) at ${step.at}: ${res.statusCode} ${res.body}`);
  };
  const projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  const story: Story = { t, projector, keys, close: async () => { await projector.stop(); await t.close(); } };
  // The live collaborative lives its first six months; the onboarded one arrives in July with the same history.
  for (const s of pastSteps(LIVE)) await send(LIVE, s);
  for (const s of onboardingSteps(ONBOARDED)) await send(ONBOARDED, s);
  if (atOnboarding) {
    await projector.idle();
    await atOnboarding(story);
  }
  // Then the next month, live in both, step by step.
  const august = [...nextMonth(LIVE).map((s) => [LIVE, s] as const), ...nextMonth(ONBOARDED).map((s) => [ONBOARDED, s] as const)].sort(([, a], [, b]) => a.at.localeCompare(b.at));
  for (const [ids, s] of august) await send(ids, s);
  t.clock.now = new Date(END);
  await projector.idle();
  return story;
}

// Recording times differ by nature (the onboarded history was recorded in July): they are not compared.
// So does a meeting's registeredCount: registration closes when a meeting starts, so a meeting entered
// after the fact has none (who attended is its record); onboarding-people.e2e.test.ts compares the counts.
const RECORDING_TIMES = new Set(['createdAt', 'updatedAt', 'publishedAt', 'correctedAt', 'loggedAt', 'recordedAt', 'submittedAt', 'scoredAt', 'at', 'position', 'registeredCount']);
// A project's start and an application's arrival given after the fact are days (startedOn,
// submittedOn); live, they are the instant of the command: compared by day.
const DAYS = new Set(['startedAt', 'appliedAt']);
export function normalised(value: unknown): unknown {
  const walk = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(walk)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).filter(([k]) => !RECORDING_TIMES.has(k)).map(([k, x]) => [k, DAYS.has(k) && typeof x === 'string' ? x.slice(0, 10) : walk(x)]))
        : v;
  return walk(JSON.parse(JSON.stringify(value).replaceAll('0190a001-', '0190a000-')));
}
