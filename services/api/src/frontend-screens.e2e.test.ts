import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from './test-fixtures/test-app';
import { runSeedYear, SEED_IDS as ID, seedYearSteps, type SeedKeys, type SeedStep } from './test-fixtures/seed-year';

// Issue 14, "frontend screens": the seed year is written over HTTP, then every screen of a
// convener's frontend is rendered from reads only (real HTTP on a listening port), asserting the
// written fields come back.
let t: TestApp;
let projector: RunningProjector;
let keys: SeedKeys;
let base: string;
const C = ID.collaborative;
const step = (name: string): SeedStep => seedYearSteps().find((s) => s.name === name)!;

beforeAll(async () => {
  t = await createTestApp();
  keys = {
    admin: t.adminKey,
    coach: await t.createKey({ name: 'coach', role: 'coach', actorId: ID.coach, collaborativeIds: [C], agencyIds: [ID.agency1] }),
    agency: await t.createKey({ name: 'agency 1', role: 'agency', actorId: ID.agencyChangeLeader, collaborativeIds: [C], agencyIds: [ID.agency1] }),
  };
  const results = await runSeedYear(t.app, { keys, setClock: (at) => (t.clock.now = at) });
  const failed = results.find((r) => r.status !== r.step.status);
  expect(failed ? { step: failed.step.name, body: failed.body } : undefined).toBeUndefined();
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
  it('issue 14: collaborative dashboard: pooled measures, expenditures, each cohort\'s agencies', async () => {
    const report = await read(`/v1/collaboratives/${C}/reports/aggregate`);
    expect(report.months).toEqual(['2025-03', '2025-04', '2025-05']);
    const waiting = report.measures.find((m: { key: string }) => m.key === 'waiting_time');
    // Agency 1's days to treatment / clients treated, as recorded.
    expect(waiting.points.map((p: { value: number }) => p.value)).toEqual([580 / 22, 480 / 25, 470 / 27]);
    const spend = await read(`/v1/collaboratives/${C}/expenditures`);
    expect(spend).toMatchObject({ totalCents: 250000, categories: [{ category: 'meetings', totalCents: 250000, count: 1 }] });
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

  it('issue 14: agency page: contact, roles, coach, mentor, projects, visits', async () => {
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
    const mentee = await read(`/v1/collaboratives/${C}/agencies/${ID.agency3}`);
    expect(mentee).toMatchObject({ agencyName: 'Lakeside Clinic', cohortId: ID.cohort2, peerMentorAgencyId: ID.agency1 });
  });

  it('issue 14: meeting page: time, place, agenda, invited agencies, attendance with attendees, minutes', async () => {
    const written = step('schedule the kick-off learning session').body;
    const meeting = await read(`/v1/meetings/${ID.kickOff}`, keys.coach);
    expect(meeting).toMatchObject({
      kind: written.kind, modality: written.modality, startsAt: written.startsAt, durationMinutes: written.durationMinutes,
      location: written.location, agenda: written.agenda, invitedAgencyIds: written.invitedAgencyIds, status: 'scheduled',
      minutes: { status: 'published', text: (step('publish the kick-off minutes').body as { minutes: string }).minutes, corrections: [] },
    });
    expect(meeting.attendance).toEqual((step('record the kick-off attendance').body as { attendance: unknown[] }).attendance);
    const list = await read(`/v1/collaboratives/${C}/meetings?from=2025-03-01&to=2025-03-31`);
    expect(list.items.map((m: { meetingId: string }) => m.meetingId)).toEqual([ID.kickOff]);
  });

  it('issue 14: change project and site-visit pages', async () => {
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
