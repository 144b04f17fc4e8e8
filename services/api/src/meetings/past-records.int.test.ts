import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { createReactor } from '@convene/worker';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { runSeedYear, SEED_IDS, seedYearSteps, type SeedKeys } from '../test-fixtures/seed-year';

// Issue 16 "past and present": a convener catches up on last week's call and visit after the fact.
let t: TestApp;
let projector: RunningProjector;
let keys: SeedKeys;
const C = SEED_IDS.collaborative;
const A1 = SEED_IDS.agency1;
const A2 = SEED_IDS.agency2;
const lastWeeksCall = '0190a000-0000-7000-8000-00000000a161';
const pastVisit = '0190a000-0000-7000-8000-00000000b161';
const nextCall = '0190a000-0000-7000-8000-00000000c161';
const TODAY = '2025-06-12T09:00:00.000Z';
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const call = {
  meetingId: lastWeeksCall, kind: 'regular_call', modality: 'video', heldAt: '2025-06-05T15:00:00Z', durationMinutes: 60, callIn: 'https://meet.example.org/c',
  agenda: 'Monthly call', invitedAgencyIds: [A1, A2],
  attendance: [{ agencyId: A1, present: true, attendees: ['Morgan Leader'] }, { agencyId: A2, present: false, attendees: [] }],
  minutes: 'Riverside reported walk-in intake every morning.',
};
const visit = { visitId: pastVisit, coachId: SEED_IDS.coach, heldAt: '2025-06-06T14:00:00Z', agenda: 'Walk the intake', completedOn: '2025-06-06', summary: 'One-page paperwork in use.' };

const post = (url: string, payload: Record<string, unknown>, key = keys.coach) => t.app.inject({ method: 'POST', url, headers: as(key), payload });
const get = async (url: string, key = t.adminKey) => {
  const res = await t.app.inject({ url, headers: as(key) });
  return { status: res.statusCode, body: res.json() };
};

beforeAll(async () => {
  t = await createTestApp();
  keys = {
    admin: t.adminKey,
    coach: await t.createKey({ name: 'coach', role: 'coach', actorId: SEED_IDS.coach, collaborativeIds: [C], agencyIds: [A1] }),
    agency: await t.createKey({ name: 'agency 1', role: 'agency', actorId: SEED_IDS.agencyChangeLeader, collaborativeIds: [C], agencyIds: [A1] }),
  };
  // The year up to early June (agency 1 and 2 admitted, agency 1 active).
  const year = seedYearSteps();
  const results = await runSeedYear(t.app, { keys, setClock: (at) => (t.clock.now = at), steps: year.slice(0, year.findIndex((s) => s.command === 'OpenCohort' && s.at >= '2025-06')) });
  const failed = results.find((r) => r.status !== r.step.status);
  expect(failed ? { step: failed.step.name, body: failed.body } : undefined).toBeUndefined();
  t.clock.now = new Date(TODAY);
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
});
afterAll(async () => {
  await projector?.stop();
  await t?.close();
});

describe('past meetings and site visits (issue 16 past and present)', () => {
  it('issue 16 past: last week\'s call is recorded as held with attendance and minutes, and read back', async () => {
    const res = await post(`/v1/collaboratives/${C}/held-meetings`, call);
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe(`/v1/meetings/${lastWeeksCall}`);
    await projector.idle();
    const { status, body } = await get(`/v1/meetings/${lastWeeksCall}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      kind: 'regular_call', startsAt: '2025-06-05T15:00:00Z', invitedAgencyIds: [A1, A2], presentCount: 1, absentCount: 1,
      minutes: { status: 'published', text: call.minutes, publishedAt: TODAY },
    });
    expect(body.attendance).toEqual(expect.arrayContaining(call.attendance));
    // Attendance and minutes are there at once: they do not wait for anything.
    const again = await post(`/v1/meetings/${lastWeeksCall}/minutes`, { minutes: 'x' });
    expect(again.statusCode).toBe(409);
  });

  it('issue 16 past: a visit that took place is recorded with its report and read back', async () => {
    const res = await post(`/v1/collaboratives/${C}/agencies/${A1}/held-site-visits`, visit);
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe(`/v1/site-visits/${pastVisit}`);
    await projector.idle();
    const { status, body } = await get(`/v1/site-visits/${pastVisit}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ agencyId: A1, coachId: SEED_IDS.coach, status: 'completed', report: { completedOn: '2025-06-06', summary: visit.summary, by: { actorId: SEED_IDS.coach, actorRole: 'coach' } } });
    expect(Date.parse(body.scheduledAt)).toBe(Date.parse(visit.heldAt));
  });

  it('issue 16 past: the calendar shows the past call and visit at their business dates', async () => {
    await projector.idle();
    const { status, body } = await get(`/v1/collaboratives/${C}/calendar?from=2025-06-01&to=2025-06-10`);
    expect(status).toBe(200);
    const items = body.items.filter((i: { type: string }) => i.type === 'meeting' || i.type === 'site_visit').map((i: { id: string; startsAt: string; status: string }) => [i.id, i.startsAt, i.status]);
    expect(items).toEqual([
      [`meeting-${lastWeeksCall}`, '2025-06-05T15:00:00.000Z', 'scheduled'],
      [`site-visit-${pastVisit}`, '2025-06-06T14:00:00.000Z', 'completed'],
    ]);
  });

  it('issue 16 past: refusals name the field and the bound (future, outside the span, report before the visit)', async () => {
    const future = await post(`/v1/collaboratives/${C}/held-meetings`, { ...call, meetingId: '0190a000-0000-7000-8000-00000000a162', heldAt: '2025-06-13T15:00:00Z' });
    expect(future.statusCode).toBe(422);
    expect(String(future.headers['content-type'])).toContain('application/problem+json');
    expect(future.json().errors).toEqual([{ path: 'body.heldAt', message: expect.stringContaining(TODAY) }]);
    const before = await post(`/v1/collaboratives/${C}/held-meetings`, { ...call, meetingId: '0190a000-0000-7000-8000-00000000a163', heldAt: '2025-01-10T15:00:00Z' });
    expect(before.statusCode).toBe(422);
    expect(before.json().errors).toEqual([{ path: 'body.heldAt', message: expect.stringContaining('2025-02-01') }]);
    const early = await post(`/v1/collaboratives/${C}/agencies/${A1}/held-site-visits`, { ...visit, visitId: '0190a000-0000-7000-8000-00000000b162', completedOn: '2025-06-01' });
    expect(early.statusCode).toBe(422);
    expect(early.json().errors).toEqual([{ path: 'body.completedOn', message: expect.stringContaining('2025-06-06') }]);
    // A coach key records its own visits only (issue 12.8), after the fact too.
    const forged = await post(`/v1/collaboratives/${C}/agencies/${A1}/held-site-visits`, { ...visit, visitId: '0190a000-0000-7000-8000-00000000b163', coachId: '0190a000-0000-7000-8000-0000000000ff' });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().code).toBe('acting_for_another');
    const scheduled = await post(`/v1/collaboratives/${C}/meetings`, { ...call, meetingId: '0190a000-0000-7000-8000-00000000a164', heldAt: undefined, attendance: undefined, minutes: undefined, startsAt: '2025-06-05T15:00:00Z' });
    expect(scheduled.statusCode).toBe(422);
    expect(scheduled.json().errors).toEqual([{ path: 'body.startsAt', message: expect.stringContaining('record a meeting that took place as held') }]);
  });

  it('issue 16 past: a change project already running is recorded with its startedOn, its past target date and past cycles', async () => {
    const projectId = '0190a000-0000-7000-8000-00000000d161';
    const project = {
      projectId, title: 'Reminder calls', aim: 'Halve no-shows by May', measure: 'intake_no_show', baselineValue: 0.34, targetValue: 0.17, targetDate: '2025-05-31',
      changeIdea: 'Call the day before', levelOfCare: 'outpatient', team: [{ name: 'Morgan Leader', role: 'Change Leader' }],
    };
    const today = await post(`/v1/collaboratives/${C}/agencies/${A1}/change-projects`, project);
    expect(today.statusCode).toBe(422);
    expect(today.json().errors).toEqual([{ path: 'body.targetDate', message: expect.stringContaining('startedOn') }]);
    const res = await post(`/v1/collaboratives/${C}/agencies/${A1}/change-projects`, { ...project, startedOn: '2025-02-10' });
    expect(res.statusCode).toBe(201);
    const cycle = { cycleNumber: 1, beginsOn: '2025-02-17', endsOn: '2025-03-02', changeTested: 'Calls by the front desk', prediction: 'Fewer no-shows', steps: [{ step: 'Call', who: 'Front desk' }], result: 'Fewer', decision: 'adapt' };
    expect((await post(`/v1/change-projects/${projectId}/pdsa-cycles`, cycle)).statusCode).toBe(200);
    const early = await post(`/v1/change-projects/${projectId}/pdsa-cycles`, { ...cycle, cycleNumber: 2, beginsOn: '2025-02-12', endsOn: '2025-02-20' });
    expect(early.statusCode).toBe(422);
    expect(early.json().errors).toEqual([{ path: 'body.beginsOn', message: expect.stringContaining('2025-02-17') }]);
    await projector.idle();
    const { body } = await get(`/v1/change-projects/${projectId}`);
    expect(body).toMatchObject({ startedAt: '2025-02-10T00:00:00.000Z', targetDate: '2025-05-31', cycles: 1 });
  });

  it('issue 16 past: no reminder is planned for what was recorded in the past, while a call ahead gets its reminders', async () => {
    const res = await post(`/v1/collaboratives/${C}/meetings`, {
      meetingId: nextCall, kind: 'regular_call', modality: 'video', startsAt: '2025-06-19T15:00:00Z', durationMinutes: 60, callIn: 'https://meet.example.org/c', agenda: 'Monthly call', invitedAgencyIds: [A1, A2],
    });
    expect(res.statusCode).toBe(201);
    await createReactor({ pool: t.database.pool, store: t.eventStore }).catchUp();
    const planned = async (subjectId: string, kind: string) =>
      Number((await t.database.pool.query(`SELECT count(*)::int AS n FROM scheduled_deliveries WHERE subject_id = $1 AND kind = $2`, [subjectId, kind])).rows[0].n);
    expect(await planned(nextCall, 'meeting-reminder')).toBeGreaterThan(0);
    expect(await planned(lastWeeksCall, 'meeting-reminder')).toBe(0);
    expect(await planned(pastVisit, 'sitevisit-reminder')).toBe(0);
    // What a held meeting leaves behind still goes out: its minutes to the invited agencies.
    expect(await planned(lastWeeksCall, 'minutes')).toBe(2);
  });
});
