import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from './test-fixtures/test-app';
import { runSeedYear, SEED_IDS as ID, type SeedKeys, type SeedStep } from './test-fixtures/seed-year';
import { allSteps, at, EXTRA } from './test-fixtures/screen-extras';

// Issue 14, "frontend screens": the seed year is written over HTTP, then every screen of a
// convener's frontend is rendered from reads only (real HTTP on a listening port), asserting the
// written fields come back.
let t: TestApp;
let projector: RunningProjector;
let keys: SeedKeys;
let base: string;
let coachOfTwo: string;
const C = ID.collaborative;
const step = (name: string): SeedStep => allSteps().find((s) => s.name === name)!;

beforeAll(async () => {
  t = await createTestApp();
  keys = {
    admin: t.adminKey,
    coach: await t.createKey({ name: 'coach', role: 'coach', actorId: ID.coach, collaborativeIds: [C], agencyIds: [ID.agency1] }),
    agency: await t.createKey({ name: 'agency 1', role: 'agency', actorId: ID.agencyChangeLeader, collaborativeIds: [C], agencyIds: [ID.agency1] }),
  };
  coachOfTwo = await t.createKey({ name: 'coach of two', role: 'coach', actorId: ID.coach, collaborativeIds: [C], agencyIds: [ID.agency1, ID.agency3] });
  const results = await runSeedYear(t.app, { keys, setClock: (at) => (t.clock.now = at), steps: allSteps() });
  expect(results).toHaveLength(allSteps().length);
  const failed = results.find((r) => r.status !== r.step.status);
  expect(failed ? { step: failed.step.name, body: failed.body } : undefined).toBeUndefined();
  // What the worker records when it sends (services/worker/src/processor.ts): the delivery log's source.
  const sent = (type: string, data: Record<string, unknown>) => t.eventStore.appendToStream(`delivery-${C}`, [{ type, data: { collaborativeId: C, rejected: [], ...data } }], {
    expectedVersion: 'any', metadata: { actorId: 'worker', actorRole: 'system', correlationId: String(data.deliveryKey), occurredAt: String(data.sentAt) },
  });
  const leader = { personId: ID.agencyChangeLeader, email: 'morgan.leader@example.org', role: 'change_leader' };
  await sent('ReminderSent', { deliveryKey: `meeting-${ID.kickOff}-reminder-1d-a1`, kind: 'meeting-reminder', subjectId: ID.kickOff, meetingId: ID.kickOff, agencyId: ID.agency1, recipients: [leader], subject: 'Reminder: kick-off learning session tomorrow', sentAt: '2025-03-02T15:00:00.000Z' });
  await sent('ReminderSent', { deliveryKey: `meeting-${ID.kickOff}-reminder-1d-a2`, kind: 'meeting-reminder', subjectId: ID.kickOff, meetingId: ID.kickOff, agencyId: ID.agency2, recipients: [{ email: 'director@example.org', role: 'contact' }], subject: 'Reminder: kick-off learning session tomorrow', sentAt: '2025-03-02T15:00:01.000Z' });
  await sent('MinutesSent', { deliveryKey: `meeting-${ID.kickOff}-minutes-a1`, kind: 'minutes', subjectId: ID.kickOff, meetingId: ID.kickOff, agencyId: ID.agency1, recipients: [leader], subject: 'Minutes: kick-off learning session', sentAt: '2025-03-04T09:05:00.000Z' });
  await sent('ReminderSent', { deliveryKey: `datadue-${C}_${ID.agency1}-20250610`, kind: 'data-due', subjectId: `${C}_${ID.agency1}`, agencyId: ID.agency1, months: ['2025-05'], recipients: [leader], subject: 'Monthly data due: 2025-05', sentAt: '2025-06-10T08:00:00.000Z' });
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  await projector.idle();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await projector.stop();
  await t.close();
});

async function read(path: string, key = keys.admin): Promise<any> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${key}` } });
  expect({ path, status: res.status }).toEqual({ path, status: 200 });
  return res.json();
}

describe('frontend screens from reads only (issue 14)', () => {
  it('issue 14: collaborative list: aim, convener, dates, cadence, focus measures, settings, system roles, cohorts with counts', async () => {
    const launched = step('launch the collaborative').body as Record<string, any>;
    const list = await read('/v1/collaboratives?status=open&q=access');
    expect(list.nextCursor).toBeNull();
    expect(list.items).toHaveLength(1);
    const c = list.items[0];
    expect(c).toMatchObject({
      collaborativeId: C, name: launched.name, aim: launched.aim, status: 'open', convener: launched.convener, startsOn: launched.startsOn, endsOn: launched.endsOn,
      meetingCadence: launched.meetingCadence, focusMeasures: launched.focusMeasures, measureSettings: launched.measureSettings,
    });
    const roles = ['appoint the executive sponsor', 'appoint the change leader', 'appoint the data coordinator', 'appoint a coach']
      .map((n) => step(n).body as { role: string; person: Record<string, string> })
      .map((b) => ({ role: b.role, ...b.person }));
    expect(c.systemRoles).toEqual(expect.arrayContaining(roles));
    expect(c.systemRoles).toHaveLength(roles.length);
    const byCohort = new Map(c.cohorts.map((k: { cohortId: string }) => [k.cohortId, k]));
    // Agency 1 completed and agency 2 admitted in cohort 1; agency 3 admitted in cohort 2.
    expect(byCohort.get(ID.cohort1)).toMatchObject({ name: 'Cohort 1', startsOn: '2025-03-01', capacity: 8, seatsTaken: 2, agenciesByStage: { completed: 1, admitted: 1 } });
    expect(byCohort.get(ID.cohort2)).toMatchObject({ name: 'Cohort 2', startsOn: '2025-08-01', capacity: 8, seatsTaken: 1, agenciesByStage: { admitted: 1 } });
    // The filters select: a closed status or a text that is nowhere gives none.
    expect((await read('/v1/collaboratives?status=closed')).items).toEqual([]);
    expect((await read('/v1/collaboratives?q=nowhere-in-any-aim')).items).toEqual([]);
  });

  it('issue 14: selection screen: every application with status, proposal, each reviewer\'s scores, total and rank; filters status and cohort; sorted by total', async () => {
    const screen = await read(`/v1/collaboratives/${C}/applications`);
    const order = [ID.agency1, EXTRA.agency4, ID.agency2, EXTRA.agency5, ID.agency3];
    // Default order: highest total first (32, 30, 15, 7, 0), ranked 1..5.
    expect(screen.items.map((a: { agencyId: string; total: number; rank: number }) => [a.agencyId, a.total, a.rank])).toEqual([
      [ID.agency1, 32, 1], [EXTRA.agency4, 30, 2], [ID.agency2, 15, 3], [EXTRA.agency5, 7, 4], [ID.agency3, 0, 5],
    ]);
    const byId = new Map<string, any>(screen.items.map((a: { agencyId: string }) => [a.agencyId, a]));
    const applied = (name: string) => step(name).body as { agencyName: string; contact: unknown; proposal: string };
    for (const [agencyId, name, status, cohortId] of [
      [ID.agency1, 'agency 1 applies', 'admitted', ID.cohort1], [ID.agency2, 'agency 2 applies', 'admitted', ID.cohort1], [ID.agency3, 'agency 3 applies', 'admitted', ID.cohort2],
      [EXTRA.agency4, 'agency 4 applies', 'applied', null], [EXTRA.agency5, 'agency 5 applies', 'declined', null],
    ] as const) {
      const w = applied(name);
      expect(byId.get(agencyId)).toMatchObject({ agencyName: w.agencyName, contact: w.contact, proposal: w.proposal, status, cohortId });
    }
    expect(byId.get(EXTRA.agency5).declineReason).toBe('No executive sponsor named');
    const scored = (name: string) => {
      const b = step(name).body as { reviewerId: string; scores: { criterion: string; score: number }[]; notes?: string };
      return { reviewerId: b.reviewerId, scores: b.scores, notes: b.notes ?? null, total: b.scores.reduce((n, x) => n + x.score, 0) };
    };
    expect(byId.get(ID.agency1).reviews).toEqual([expect.objectContaining(scored('score agency 1')), expect.objectContaining(scored('reviewer 2 scores agency 1'))]);
    expect(byId.get(EXTRA.agency4).reviews).toEqual([expect.objectContaining(scored('reviewer 1 scores agency 4')), expect.objectContaining(scored('reviewer 2 scores agency 4'))]);
    expect(byId.get(ID.agency3).reviews).toEqual([]);
    expect(byId.get(ID.agency1).averageTotal).toBe(16);

    const ids = (page: { items: { agencyId: string }[] }) => page.items.map((a) => a.agencyId);
    expect(ids(await read(`/v1/collaboratives/${C}/applications?sort=total`))).toEqual([...order].reverse());
    expect(ids(await read(`/v1/collaboratives/${C}/applications?status=applied`))).toEqual([EXTRA.agency4]);
    expect(ids(await read(`/v1/collaboratives/${C}/applications?status=declined`))).toEqual([EXTRA.agency5]);
    expect(ids(await read(`/v1/collaboratives/${C}/applications?status=admitted`))).toEqual([ID.agency1, ID.agency2, ID.agency3]);
    expect(ids(await read(`/v1/collaboratives/${C}/applications?cohortId=${ID.cohort2}`))).toEqual([ID.agency3]);
    // Ranks are among every application, also when a filter hides some.
    expect((await read(`/v1/collaboratives/${C}/applications?cohortId=${ID.cohort1}`)).items.map((a: { rank: number }) => a.rank)).toEqual([1, 3]);
    // Paged by total, the pages join up to the whole screen.
    const first = await read(`/v1/collaboratives/${C}/applications?limit=2`);
    const second = await read(`/v1/collaboratives/${C}/applications?limit=2&cursor=${first.nextCursor}`);
    expect([...ids(first), ...ids(second)]).toEqual(order.slice(0, 4));
  });

  it('issue 14: coach\'s agencies: stage, cohort, coach, mentor, walk-through, baseline period, months reported and missing', async () => {
    const mine = await read(`/v1/collaboratives/${C}/agencies?coachId=${ID.coach}`, coachOfTwo);
    expect(mine.items.map((a: { agencyId: string }) => a.agencyId)).toEqual([ID.agency3, ID.agency1]); // by name: Lakeside, Riverside
    const walk = step('agency 1 submits its walk-through').body as { walkedThroughOn: string };
    const baseline = step('agency 1 records its baseline').body as { period: unknown };
    expect(mine.items[1]).toMatchObject({
      agencyName: 'Riverside Recovery', stage: 'completed', cohortId: ID.cohort1, coachId: ID.coach, peerMentorAgencyId: null,
      rolesFilled: expect.arrayContaining(['executive_sponsor', 'change_leader', 'change_team_member']), walkThroughOn: walk.walkedThroughOn,
      baselinePeriod: baseline.period, monthsReported: ['2025-03', '2025-04', '2025-05'], appliedAt: at('2025-01-15'), completedOn: '2025-12-15',
    });
    expect(mine.items[0]).toMatchObject({ agencyName: 'Lakeside Clinic', stage: 'admitted', cohortId: ID.cohort2, coachId: ID.coach, peerMentorAgencyId: ID.agency1, baselinePeriod: null });
    // The mentor's side: agency 1's mentees, and the filter by mentor.
    expect((await read(`/v1/collaboratives/${C}/agencies?mentorAgencyId=${ID.agency1}`, coachOfTwo)).items.map((a: { agencyId: string }) => a.agencyId)).toEqual([ID.agency3]);
    expect((await read(`/v1/collaboratives/${C}/agencies/${ID.agency1}`, coachOfTwo)).mentees).toEqual([{ agencyId: ID.agency3, agencyName: 'Lakeside Clinic' }]);
    // A coach key scoped to agency 1 sees only agency 1, even asking for every agency it coaches.
    expect((await read(`/v1/collaboratives/${C}/agencies?coachId=${ID.coach}`, keys.coach)).items.map((a: { agencyId: string }) => a.agencyId)).toEqual([ID.agency1]);
    // Filters by stage and cohort.
    expect((await read(`/v1/collaboratives/${C}/agencies?stage=declined`)).items.map((a: { agencyId: string }) => a.agencyId)).toEqual([EXTRA.agency5]);
    expect((await read(`/v1/collaboratives/${C}/agencies?cohortId=${ID.cohort1}&sort=-agencyName`)).items.map((a: { agencyName: string }) => a.agencyName)).toEqual(['Riverside Recovery', 'Hillside Health']);
  });

  it('issue 14: collaborative dashboard: pooled measures, expenditures itemised (category and date filters) with totals beside', async () => {
    const report = await read(`/v1/collaboratives/${C}/reports/aggregate`);
    expect(report.months).toEqual(['2025-03', '2025-04', '2025-05']);
    const waiting = report.measures.find((m: { key: string }) => m.key === 'waiting_time');
    // Agency 1's days to treatment / clients treated, as recorded.
    expect(waiting.points.map((p: { value: number }) => p.value)).toEqual([580 / 22, 480 / 25, 470 / 27]);
    const spend = await read(`/v1/collaboratives/${C}/expenditures`);
    const budget = step('record the kick-off budget').body as Record<string, unknown>;
    const travel = step('record coach travel').body as Record<string, unknown>;
    // Itemised in date order with every written field, the totals beside.
    expect(spend.items).toEqual([expect.objectContaining(budget), expect.objectContaining(travel)]);
    expect(spend.totals).toMatchObject({ totalCents: 268250 });
    expect(spend.totals.categories).toEqual(expect.arrayContaining([{ category: 'meetings', totalCents: 250000, count: 1 }, { category: 'travel', totalCents: 18250, count: 1 }]));
    // Filters by category and date range; the totals follow the filter.
    const onlyTravel = await read(`/v1/collaboratives/${C}/expenditures?category=travel`);
    expect(onlyTravel.items.map((e: { expenditureId: string }) => e.expenditureId)).toEqual([EXTRA.travel]);
    expect(onlyTravel.totals.totalCents).toBe(18250);
    const q1 = await read(`/v1/collaboratives/${C}/expenditures?from=2025-01-01&to=2025-03-31`);
    expect(q1.items.map((e: { expenditureId: string }) => e.expenditureId)).toEqual([ID.expenditure]);
    expect(q1.totals.totalCents).toBe(250000);
  });

  it('issue 14: cohort page: each agency with its stage, baseline period and months reported', async () => {
    const cohort = await read(`/v1/collaboratives/${C}/cohorts/${ID.cohort1}/progress`);
    const byId = new Map(cohort.items.map((a: { agencyId: string }) => [a.agencyId, a]));
    expect(byId.get(ID.agency1)).toMatchObject({
      agencyName: 'Riverside Recovery', cohortId: ID.cohort1, stage: 'completed', walkThroughSubmitted: true,
      baselinePeriod: { from: '2024-12-01', to: '2025-01-31' }, monthsReported: ['2025-03', '2025-04', '2025-05'],
      projects: { total: 1, completed: 1 }, pdsaCycles: 3, lastSiteVisitOn: '2025-04-15',
    });
    expect(byId.get(ID.agency2)).toMatchObject({ agencyName: 'Hillside Health', stage: 'admitted', baselineRecorded: false });
  });

  it('issue 14: agency page: contact, roles, coach, mentor, coaching notes, projects, visits', async () => {
    const apply = step('agency 1 applies').body as { contact: unknown };
    const agency = await read(`/v1/collaboratives/${C}/agencies/${ID.agency1}`, keys.agency);
    expect(agency).toMatchObject({
      agencyName: 'Riverside Recovery', contact: apply.contact, coachId: ID.coach, completedOn: '2025-12-15', coachingNotes: 1,
      roles: {
        executive_sponsor: { personId: ID.agencySponsor, name: 'Avery Sponsor', email: 'avery.sponsor@example.org' },
        change_leader: { personId: ID.agencyChangeLeader, name: 'Morgan Leader', email: 'morgan.leader@example.org' },
        change_team_member: [{ personId: ID.agencyTeamMember, name: 'Jordan Team', email: 'jordan.team@example.org' }],
      },
    });
    expect(agency.changeProjects.map((p: { projectId: string; status: string }) => [p.projectId, p.status])).toEqual([[ID.project, 'completed']]);
    expect(agency.siteVisits.map((v: { visitId: string }) => v.visitId)).toEqual([ID.siteVisit]);
    const note = step('the coach notes assistance').body as { coachId: string; coachedOn: string; assistance: string };
    const notes = await read(`/v1/collaboratives/${C}/agencies/${ID.agency1}/coaching-notes`, keys.coach);
    expect(notes.items).toEqual([expect.objectContaining({ agencyId: ID.agency1, coachId: note.coachId, coachedOn: note.coachedOn, text: note.assistance })]);
    expect((await read(`/v1/collaboratives/${C}/agencies/${ID.agency1}/coaching-notes?coachId=${EXTRA.reviewer2}`)).items).toEqual([]);
    const mentee = await read(`/v1/collaboratives/${C}/agencies/${ID.agency3}`);
    expect(mentee).toMatchObject({ agencyName: 'Lakeside Clinic', cohortId: ID.cohort2, peerMentorAgencyId: ID.agency1 });
  });

  it('issue 14: meeting page: time, place, agenda, invited agencies, attendance with attendees, minutes, what was sent; the delivery log and its filters (kind, meeting, agency)', async () => {
    const written = step('schedule the kick-off learning session').body;
    const meeting = await read(`/v1/meetings/${ID.kickOff}`, keys.coach);
    expect(meeting).toMatchObject({
      kind: written.kind, modality: written.modality, startsAt: written.startsAt, durationMinutes: written.durationMinutes,
      location: written.location, agenda: written.agenda, invitedAgencyIds: written.invitedAgencyIds, status: 'scheduled',
      minutes: { status: 'published', text: (step('publish the kick-off minutes').body as { minutes: string }).minutes, corrections: [] },
    });
    expect(meeting.attendance).toEqual((step('record the kick-off attendance').body as { attendance: unknown[] }).attendance);
    // The reminders and minutes that went out, on the meeting and in the delivery log with its filters.
    expect(meeting.deliveries.map((d: { type: string; kind: string; agencyId: string; recipients: number }) => [d.type, d.kind, d.agencyId, d.recipients])).toEqual([
      ['ReminderSent', 'meeting-reminder', ID.agency1, 1], ['ReminderSent', 'meeting-reminder', ID.agency2, 1], ['MinutesSent', 'minutes', ID.agency1, 1],
    ]);
    const log = await read(`/v1/collaboratives/${C}/deliveries`);
    expect(log.items.map((d: { kind: string; sentAt: string }) => [d.kind, d.sentAt])).toEqual([
      ['meeting-reminder', '2025-03-02T15:00:00.000Z'], ['meeting-reminder', '2025-03-02T15:00:01.000Z'], ['minutes', '2025-03-04T09:05:00.000Z'], ['data-due', '2025-06-10T08:00:00.000Z'],
    ]);
    expect(log.items[3]).toMatchObject({ type: 'ReminderSent', agencyId: ID.agency1, months: ['2025-05'], subject: 'Monthly data due: 2025-05', recipients: [{ personId: ID.agencyChangeLeader, email: 'morgan.leader@example.org', role: 'change_leader' }] });
    const kinds = async (query: string, key = keys.admin) => (await read(`/v1/collaboratives/${C}/deliveries?${query}`, key)).items.map((d: { kind: string; agencyId: string }) => `${d.kind}/${d.agencyId === ID.agency1 ? 1 : 2}`);
    expect(await kinds('kind=minutes')).toEqual(['minutes/1']);
    expect(await kinds(`meetingId=${ID.kickOff}`)).toEqual(['meeting-reminder/1', 'meeting-reminder/2', 'minutes/1']);
    expect(await kinds(`agencyId=${ID.agency2}`)).toEqual(['meeting-reminder/2']);
    expect(await kinds(`meetingId=${ID.kickOff}&sort=-sentAt`)).toEqual(['minutes/1', 'meeting-reminder/2', 'meeting-reminder/1']);
    expect(await kinds('', keys.agency)).toEqual(['meeting-reminder/1', 'minutes/1', 'data-due/1']);
    const list = await read(`/v1/collaboratives/${C}/meetings?from=2025-03-01&to=2025-03-31`);
    expect(list.items.map((m: { meetingId: string }) => m.meetingId)).toEqual([ID.kickOff]);
  });

  it('issue 14: change project and site-visit pages, one resource shape in the get, the list and the agency page', async () => {
    const written = step('agency 1 starts a change project').body;
    const project = await read(`/v1/change-projects/${ID.project}`, keys.agency);
    expect(project).toMatchObject({
      title: written.title, aim: written.aim, measure: written.measure, baselineValue: written.baselineValue, targetValue: written.targetValue,
      targetDate: written.targetDate, changeIdea: written.changeIdea, customers: written.customers, levelOfCare: written.levelOfCare, team: written.team,
      status: 'completed', lessons: 'Small tests moved us faster than planning', sustainPlan: 'Walk-in intake is policy; monthly review',
    });
    expect(project.timeline.map((c: { cycleNumber: number; changeTested: string }) => c.changeTested)).toEqual(
      ['PDSA cycle 1', 'PDSA cycle 2', 'PDSA cycle 3'].map((n) => (step(n).body as { changeTested: string }).changeTested),
    );
    const visit = await read(`/v1/site-visits/${ID.siteVisit}`, keys.coach);
    expect(visit).toMatchObject({
      agencyId: ID.agency1, coachId: ID.coach, scheduledAt: '2025-04-15T14:00:00Z', agenda: (step('schedule a site visit').body as { agenda: string }).agenda,
      status: 'completed', report: { completedOn: '2025-04-15', summary: (step('complete the site visit').body as { summary: string }).summary },
    });
    // One shape per kind: the list item and the agency page's entry are the resource itself.
    const projects = await read(`/v1/collaboratives/${C}/change-projects?agencyId=${ID.agency1}`, keys.agency);
    const visits = await read(`/v1/collaboratives/${C}/site-visits?agencyId=${ID.agency1}`, keys.agency);
    const agency = await read(`/v1/collaboratives/${C}/agencies/${ID.agency1}`, keys.agency);
    expect(projects.items).toEqual([project]);
    expect(agency.changeProjects).toEqual([project]);
    const own = await read(`/v1/site-visits/${ID.siteVisit}`, keys.agency);
    expect(visits.items).toEqual([own]);
    expect(agency.siteVisits).toEqual([own]);
  });

  it('issue 14: every single-resource GET the screens read carries an ETag, and If-None-Match with it answers 304 with no body', async () => {
    const resources = [
      `/v1/collaboratives/${C}`, `/v1/collaboratives/${C}/cohorts/${ID.cohort1}`, `/v1/collaboratives/${C}/agencies/${ID.agency1}`,
      `/v1/collaboratives/${C}/expenditures/${ID.expenditure}`, `/v1/meetings/${ID.kickOff}`, `/v1/site-visits/${ID.siteVisit}`, `/v1/change-projects/${ID.project}`,
    ];
    for (const path of resources) {
      const first = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${keys.admin}` } });
      const tag = first.headers.get('etag');
      expect({ path, status: first.status, tag }).toEqual({ path, status: 200, tag: expect.stringMatching(/^W\/".+"$/) });
      const again = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${keys.admin}`, 'if-none-match': tag! } });
      expect({ path, status: again.status, body: await again.text() }).toEqual({ path, status: 304, body: '' });
    }
  });

  it('issue 14: calendar for a month, in time order, and the coach\'s calendar of its agencies', async () => {
    const march = await read(`/v1/collaboratives/${C}/calendar?from=2025-03-01&to=2025-03-31`);
    expect(march.items.map((i: { type: string; title: string; startsAt: string }) => [i.type, i.startsAt])).toEqual([
      ['baseline_due', '2025-03-01T00:00:00.000Z'],
      ['meeting', '2025-03-03T15:00:00.000Z'],
      ['data_due', '2025-03-10T00:00:00.000Z'],
    ]);
    expect(march.items[1]).toMatchObject({ title: 'Kick off learning session (in person)', location: 'State Office Building, Room 4', resource: `/v1/meetings/${ID.kickOff}` });
    const coach = await read(`/v1/collaboratives/${C}/coaches/${ID.coach}/calendar?from=2025-04-01&to=2025-04-30`, keys.coach);
    expect(coach.items.map((i: { type: string; agencyIds: string[] }) => [i.type, i.agencyIds])).toEqual([
      ['data_due', [ID.agency1]], ['site_visit', [ID.agency1]],
    ]);
  });
});
