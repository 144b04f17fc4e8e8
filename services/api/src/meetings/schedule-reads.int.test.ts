import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { runSeedYear, SEED_IDS, seedYearSteps, type SeedKeys, type SeedStep } from '../test-fixtures/seed-year';

// Issue 14.1/14.2: meeting and site-visit resources, date-sorted lists, calendars.
let t: TestApp;
let projector: RunningProjector;
let keys: SeedKeys;
const C = SEED_IDS.collaborative;
const ID_COHORT1 = SEED_IDS.cohort1;
// Ids chosen by the client in an order unrelated to the dates.
const calls = {
  // 13:00Z: first, though its id sorts last and its text ('T16') after the next one's ('T15').
  z: { id: '0190a000-0000-7000-8000-0000000000f9', startsAt: '2025-05-06T16:00:00+03:00' },
  a: { id: '0190a000-0000-7000-8000-0000000000f1', startsAt: '2025-05-06T15:00:00Z' },
  m: { id: '0190a000-0000-7000-8000-0000000000f5', startsAt: '2025-05-20T15:00:00Z' },
};
const visits = {
  late: { id: '0190a000-0000-7000-8000-0000000000e1', at: '2025-09-01T14:00:00Z' },
  early: { id: '0190a000-0000-7000-8000-0000000000e9', at: '2025-08-01T14:00:00Z' },
};
const as = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  t = await createTestApp();
  keys = {
    admin: t.adminKey,
    coach: await t.createKey({ name: 'coach', role: 'coach', actorId: SEED_IDS.coach, collaborativeIds: [C], agencyIds: [SEED_IDS.agency1] }),
    agency: await t.createKey({ name: 'agency 1', role: 'agency', actorId: SEED_IDS.agencyChangeLeader, collaborativeIds: [C], agencyIds: [SEED_IDS.agency1] }),
  };
  const s = (name: string, command: SeedStep['command'], at: string, url: string, body: Record<string, unknown>, status: 200 | 201 = 200): SeedStep =>
    ({ name, command, at, as: 'coach', method: 'POST', url, body, status });
  const year = seedYearSteps();
  const extra: SeedStep[] = [
    s('correct the kick-off minutes', 'CorrectMinutes', '2025-03-05T09:00:00.000Z', `/v1/meetings/${SEED_IDS.kickOff}/minutes/corrections`, { minutes: 'Agencies chose first changes; next call on 6 May.', reason: 'Wrong date' }),
    ...Object.values(calls).map((c) => s(`call ${c.id}`, 'ScheduleMeeting', '2025-04-01T09:00:00.000Z', `/v1/collaboratives/${C}/meetings`, {
      meetingId: c.id, kind: 'regular_call', modality: 'video', startsAt: c.startsAt, durationMinutes: 60, callIn: 'https://meet.example.org/c', agenda: 'Monthly call', invitedAgencyIds: [SEED_IDS.agency1],
    }, 201)),
    s('reschedule m', 'RescheduleMeeting', '2025-04-02T09:00:00.000Z', `/v1/meetings/${calls.m.id}/reschedule`, { startsAt: '2025-05-21T15:00:00Z', reason: 'Clash' }),
    ...Object.values(visits).map((v) => s(`visit ${v.id}`, 'ScheduleSiteVisit', '2025-04-03T09:00:00.000Z', `/v1/collaboratives/${C}/agencies/${SEED_IDS.agency1}/site-visits`, { visitId: v.id, coachId: SEED_IDS.coach, scheduledAt: v.at, agenda: 'Follow-up' }, 201)),
    s('move the late visit', 'RescheduleSiteVisit', '2025-04-04T09:00:00.000Z', `/v1/site-visits/${visits.late.id}/reschedule`, { scheduledAt: '2025-09-02T14:00:00Z', reason: 'Board meeting' }),
  ];
  const steps = [...year.slice(0, year.findIndex((x) => x.command === 'StartChangeProject')), ...extra, ...year.slice(year.findIndex((x) => x.command === 'StartChangeProject'))];
  const results = await runSeedYear(t.app, { keys, setClock: (at) => (t.clock.now = at), steps });
  const failed = results.find((r) => r.status !== r.step.status);
  expect(failed ? { step: failed.step.name, body: failed.body } : undefined).toBeUndefined();
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  await projector.idle();
});
afterAll(async () => {
  await projector.stop();
  await t.close();
});

const get = async (url: string, key = t.adminKey) => {
  const res = await t.app.inject({ url, headers: as(key) });
  return { status: res.statusCode, body: res.json() };
};

describe('meeting and site-visit reads (issue 14.1)', () => {
  it('issue 14.1: the meeting at its Location has attendance with attendees and the minutes with every correction, who made it and when', async () => {
    const { status, body } = await get(`/v1/meetings/${SEED_IDS.kickOff}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      kind: 'kick_off_learning_session', modality: 'in_person', startsAt: '2025-03-03T15:00:00Z', durationMinutes: 360, location: 'State Office Building, Room 4',
      agenda: 'NIATx principles; walk-through findings; choosing a first change', status: 'scheduled', invitedAgencyIds: [SEED_IDS.agency1, SEED_IDS.agency2],
      presentCount: 1, absentCount: 1,
      minutes: {
        status: 'corrected', text: 'Agencies chose first changes; next call on 6 May.', publishedAt: '2025-03-04T09:00:00.000Z',
        publishedBy: { actorId: SEED_IDS.coach, actorRole: 'coach' },
        corrections: [{ text: 'Agencies chose first changes; next call on 6 May.', reason: 'Wrong date', correctedAt: '2025-03-05T09:00:00.000Z', correctedBy: { actorId: SEED_IDS.coach, actorRole: 'coach' } }],
      },
    });
    expect(body.attendance).toEqual(expect.arrayContaining([
      { agencyId: SEED_IDS.agency1, present: true, attendees: ['Avery Sponsor', 'Morgan Leader'] },
      { agencyId: SEED_IDS.agency2, present: false, attendees: [] },
    ]));
    // An agency reads its own attendance only; analysts read no meeting (free text, names).
    const own = await get(`/v1/meetings/${SEED_IDS.kickOff}`, keys.agency);
    expect(own.body.attendance).toEqual([{ agencyId: SEED_IDS.agency1, present: true, attendees: ['Avery Sponsor', 'Morgan Leader'] }]);
    const analyst = await t.createKey({ name: 'analyst', role: 'analyst' });
    expect((await get(`/v1/meetings/${SEED_IDS.kickOff}`, analyst)).status).toBe(403);
    expect((await get(`/v1/site-visits/${SEED_IDS.siteVisit}`, analyst)).status).toBe(403);
    expect((await get(`/v1/meetings/0190a000-0000-7000-8000-00000000dead`)).status).toBe(404);
  });

  it('issue 14.1: a rescheduled meeting lists the move from and to; the site visit has its reschedules, status and summary report', async () => {
    const m = (await get(`/v1/meetings/${calls.m.id}`)).body;
    expect(m.startsAt).toBe('2025-05-21T15:00:00Z');
    expect(m.reschedules).toEqual([{ from: '2025-05-20T15:00:00Z', to: '2025-05-21T15:00:00Z', reason: 'Clash', at: '2025-04-02T09:00:00.000Z', by: { actorId: SEED_IDS.coach, actorRole: 'coach' } }]);
    const done = await get(`/v1/site-visits/${SEED_IDS.siteVisit}`, keys.agency);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      agencyId: SEED_IDS.agency1, coachId: SEED_IDS.coach, agenda: 'Walk the intake process; review run charts', status: 'completed', reschedules: [],
      report: { completedOn: '2025-04-15', summary: 'Walk-in intake works; paperwork still duplicated.', by: { actorId: SEED_IDS.coach, actorRole: 'coach' } },
    });
    const late = (await get(`/v1/site-visits/${visits.late.id}`, keys.coach)).body;
    expect(late.reschedules.map((r: { from: string; to: string }) => [r.from, r.to])).toEqual([['2025-09-01T14:00:00Z', '2025-09-02T14:00:00Z']]);
  });

  it('issue 14.1: lists sorted by date with ids chosen out of order come back in date order, page by page and reversed', async () => {
    const url = `/v1/collaboratives/${C}/meetings?kind=regular_call`;
    const all = (await get(url)).body.items.map((m: { meetingId: string }) => m.meetingId);
    expect(all).toEqual([calls.z.id, calls.a.id, calls.m.id]);
    expect([...all].sort()).not.toEqual(all); // the ids alone would order them otherwise
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { meetingId: string }[]; nextCursor: string | null } = (await get(`${url}&limit=1${cursor ? `&cursor=${cursor}` : ''}`)).body;
      paged.push(...page.items.map((m) => m.meetingId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all);
    expect((await get(`${url}&sort=-startsAt`)).body.items.map((m: { meetingId: string }) => m.meetingId)).toEqual([...all].reverse());
    expect((await get(`/v1/collaboratives/${C}/meetings?from=2025-05-06&to=2025-05-06`)).body.items.map((m: { meetingId: string }) => m.meetingId)).toEqual([calls.z.id, calls.a.id]);
    expect((await get(`/v1/collaboratives/${C}/meetings?agencyId=${SEED_IDS.agency2}`)).body.items.map((m: { meetingId: string }) => m.meetingId)).toEqual([SEED_IDS.kickOff]);

    const v = (await get(`/v1/collaboratives/${C}/site-visits?coachId=${SEED_IDS.coach}`, keys.coach)).body.items.map((x: { visitId: string }) => x.visitId);
    expect(v).toEqual([SEED_IDS.siteVisit, visits.early.id, visits.late.id]);
    expect([...v].sort()).not.toEqual(v);
    expect((await get(`/v1/collaboratives/${C}/site-visits?status=completed`)).body.items.map((x: { visitId: string }) => x.visitId)).toEqual([SEED_IDS.siteVisit]);
    expect((await get(`/v1/collaboratives/${C}/site-visits?from=2025-08-15`)).body.items.map((x: { visitId: string }) => x.visitId)).toEqual([visits.late.id]);
  });

  it('issue 14.1: unknown filters and bad values answer 400 naming the field', async () => {
    const unknown = await get(`/v1/collaboratives/${C}/meetings?colour=red`);
    expect(unknown.status).toBe(400);
    const badKind = await get(`/v1/collaboratives/${C}/meetings?kind=party`);
    expect(badKind.status).toBe(400);
    expect(JSON.stringify(badKind.body)).toMatch(/"query(string)?\.kind"/);
    expect((await get(`/v1/collaboratives/${C}/site-visits?from=yesterday`)).status).toBe(400);
  });

  it('issue 14.1: the change project at its Location has its aim, team and PDSA cycles', async () => {
    const { status, body } = await get(`/v1/change-projects/${SEED_IDS.project}`, keys.agency);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      aim: 'Cut days from first contact to treatment from 30.7 to 19 by June', customers: 'Callers asking for treatment', status: 'completed',
      team: [{ name: 'Morgan Leader', role: 'Change Leader' }, { name: 'Jordan Team', role: 'Intake counselor' }],
    });
    expect(body.timeline.map((c: { cycleNumber: number; decision: string }) => [c.cycleNumber, c.decision])).toEqual([[1, 'adapt'], [2, 'adapt'], [3, 'adopt']]);
    const list = (await get(`/v1/collaboratives/${C}/change-projects?sort=-targetDate`)).body;
    expect(list.items.map((p: { projectId: string }) => p.projectId)).toEqual([SEED_IDS.project]);
  });
});

describe('calendars (issue 14.2)', () => {
  it('issue 14.2: a month of the collaborative calendar merges meetings, site visits and due dates in time order', async () => {
    const { status, body } = await get(`/v1/collaboratives/${C}/calendar?from=2025-03-01&to=2025-03-31`);
    expect(status).toBe(200);
    const items = body.items.map((i: { type: string; startsAt: string; status: string }) => [i.type, i.startsAt, i.status]);
    expect(items).toEqual([
      ['baseline_due', '2025-03-01T00:00:00.000Z', 'open'], // agency 2 has no baseline
      ['meeting', '2025-03-03T15:00:00.000Z', 'scheduled'],
      ['data_due', '2025-03-10T00:00:00.000Z', 'open'], // February: agency 1 did not report it
    ]);
    // Ids (iCalendar UIDs) are unique across collaboratives and calendars.
    expect(body.items.map((i: { id: string }) => i.id)).toEqual([`baseline-due-${ID_COHORT1}`, `meeting-${SEED_IDS.kickOff}`, `data-due-${C}-2025-02`]);
    const baseline = body.items[0];
    expect(baseline.agencies).toEqual([
      { agencyId: SEED_IDS.agency1, agencyName: 'Riverside Recovery', met: true },
      { agencyId: SEED_IDS.agency2, agencyName: 'Hillside Health', met: false },
    ]);
    const april = (await get(`/v1/collaboratives/${C}/calendar?from=2025-04-01&to=2025-04-30`)).body.items;
    expect(april.map((i: { type: string; month: string | null; status: string }) => [i.type, i.month, i.status])).toEqual([
      ['data_due', '2025-03', 'met'], ['site_visit', null, 'completed'],
    ]);
  });

  it('issue 14.2: the agency and coach calendars hold their own items; scope is enforced', async () => {
    const agencyCal = (await get(`/v1/collaboratives/${C}/agencies/${SEED_IDS.agency1}/calendar?from=2025-05-01&to=2025-09-30`, keys.agency)).body.items;
    const types = agencyCal.map((i: { type: string; id: string }) => i.id);
    expect(types).toEqual(expect.arrayContaining([`meeting-${calls.z.id}`, `meeting-${calls.a.id}`, `meeting-${calls.m.id}`, `site-visit-${visits.early.id}`, `site-visit-${visits.late.id}`]));
    const starts = agencyCal.map((i: { startsAt: string }) => i.startsAt);
    expect([...starts].sort()).toEqual(starts);
    expect((await get(`/v1/collaboratives/${C}/agencies/${SEED_IDS.agency2}/calendar?from=2025-05-01&to=2025-09-30`, keys.agency)).status).toBe(403);
    expect((await get(`/v1/collaboratives/${C}/coaches/${SEED_IDS.coach}/calendar?from=2025-05-01&to=2025-09-30`, keys.agency)).status).toBe(403);
    const coachCal = (await get(`/v1/collaboratives/${C}/coaches/${SEED_IDS.coach}/calendar?from=2025-04-01&to=2025-09-30`, keys.coach)).body.items;
    expect(coachCal.filter((i: { type: string }) => i.type === 'site_visit').map((i: { id: string }) => i.id)).toEqual([`site-visit-${SEED_IDS.siteVisit}`, `site-visit-${visits.early.id}`, `site-visit-${visits.late.id}`]);
    // Agency 2 has no coach: its due dates are not on the coach's calendar.
    expect(coachCal.flatMap((i: { agencyIds: string[] }) => i.agencyIds)).not.toContain(SEED_IDS.agency2);
    const tooLong = await get(`/v1/collaboratives/${C}/calendar?from=2025-01-01&to=2026-12-31`);
    expect(tooLong.status).toBe(400);
  });

  it('issue 14: a calendar is a bounded window instead of a cursor: at most 400 days, beyond it a 400 naming query.to; limit and cursor are not its parameters', async () => {
    // 2025-01-01T00:00Z + 400 days = 2026-02-05T00:00Z: the longest window.
    const longest = await get(`/v1/collaboratives/${C}/calendar?from=2025-01-01T00:00:00Z&to=2026-02-05T00:00:00Z`);
    expect(longest.status).toBe(200);
    const starts = longest.body.items.map((i: { startsAt: string }) => i.startsAt);
    expect(starts.length).toBeGreaterThan(5);
    expect([...starts].sort()).toEqual(starts);
    const tooLong = await get(`/v1/collaboratives/${C}/calendar?from=2025-01-01T00:00:00Z&to=2026-02-05T00:00:01Z`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.to']);
    expect(tooLong.body.detail).toMatch(/400 days/);
    const backwards = await get(`/v1/collaboratives/${C}/calendar?from=2025-03-01&to=2025-02-01`);
    expect(backwards.status).toBe(400);
    for (const q of ['limit=10', 'cursor=abc']) {
      const r = await get(`/v1/collaboratives/${C}/calendar?from=2025-03-01&to=2025-03-31&${q}`);
      expect(r.status).toBe(400);
    }
    // Two adjacent windows hold every item of the whole span once: a client pages by moving the window.
    const a = (await get(`/v1/collaboratives/${C}/calendar?from=2025-01-01&to=2025-06-30`)).body.items.map((i: { id: string }) => i.id);
    const b = (await get(`/v1/collaboratives/${C}/calendar?from=2025-07-01&to=2026-02-04`)).body.items.map((i: { id: string }) => i.id);
    expect([...a, ...b]).toEqual(longest.body.items.map((i: { id: string }) => i.id));
  });
});
