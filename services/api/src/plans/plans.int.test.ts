import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { entryIdOf } from '@convene/domain';
import { startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { runSeedYear, SEED_IDS, seedYearSteps, type SeedKeys } from '../test-fixtures/seed-year';

// Issue 18 "Must show" over HTTP: a collaborative launched with the NIATx plan (the seed year's,
// 2025-02-01 to 2025-12-31) gets the expected entries at the expected offsets; adopting turns them
// into meetings and visits; a new start moves the tentative entries and not the adopted ones; an
// agency without its baseline when the kick-off begins is late, and sees only its own lateness.
let t: TestApp;
let projector: RunningProjector;
let keys: SeedKeys;
const C = SEED_IDS.collaborative;
const A1 = SEED_IDS.agency1;
const A2 = SEED_IDS.agency2;
const PLAN = `/v1/collaboratives/${C}/plan`;
const entry = (step: string) => entryIdOf(C, 'collaborative', step);
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const post = (url: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url, headers: { ...as(t.adminKey), ...headers }, payload });
const get = async (url: string, key = t.adminKey) => {
  const res = await t.app.inject({ url, headers: as(key) });
  return { status: res.statusCode, body: res.json() };
};
type Entry = { entryId: string; step: string; kind: string; status: string; month: number; day: number; date: string; startsAt: string | null; agencyId: string | null; meetingId: string | null; visitId: string | null };
const plan = async (key = t.adminKey) => (await get(PLAN, key)).body as { entries: Entry[]; late: { kind: string; agencyId: string; itemId: string }[]; scopes: { startsOn: string }[] };

beforeAll(async () => {
  t = await createTestApp();
  keys = {
    admin: t.adminKey,
    coach: await t.createKey({ name: 'coach', role: 'coach', actorId: SEED_IDS.coach, collaborativeIds: [C], agencyIds: [A1] }),
    agency: await t.createKey({ name: 'agency 1', role: 'agency', actorId: SEED_IDS.agencyChangeLeader, collaborativeIds: [C], agencyIds: [A1] }),
  };
  // The seed year up to the coach's assignment (launch, roles, two agencies admitted).
  const year = seedYearSteps();
  const results = await runSeedYear(t.app, { keys, setClock: (at) => (t.clock.now = at), steps: year.slice(0, year.findIndex((s) => s.at >= '2025-01-29')) });
  expect(results.filter((r) => r.status !== r.step.status).map((r) => r.step.name)).toEqual([]);
  t.clock.now = new Date('2025-01-29T09:00:00.000Z');
  expect((await t.app.inject({ method: 'PUT', url: `/v1/collaboratives/${C}/agencies/${A2}/coach`, headers: as(t.adminKey), payload: { coachId: SEED_IDS.coach } })).statusCode).toBe(200);
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
}, 60_000);
afterAll(async () => {
  await projector?.stop();
  await t?.close();
});

describe('timeline plans (issue 18)', () => {
  it('issue 18: the NIATx plan proposes the expected entries at the expected offsets', async () => {
    expect((await get(PLAN)).status).toBe(404);
    const res = await post(`${PLAN}/proposals`, { template: 'niatx-year', location: 'State Office Building, Room 4', callIn: 'https://meet.example.org/niatx' });
    expect(res.statusCode).toBe(200);
    const { entries, scopes } = await plan();
    expect(scopes).toEqual([expect.objectContaining({ startsOn: '2025-02-01', template: 'niatx-year' })]);
    // Month of the plan | day | step | when (the plan starts on 2025-02-01; the collaborative ends on 2025-12-31).
    const table = entries.filter((e) => e.kind !== 'data_due' && !(e.kind === 'site_visit' && e.agencyId === A2)).map((e) => `${e.month} | ${e.day} | ${e.step.replace(A1, 'A1')} | ${e.startsAt ?? e.date}`);
    expect(table).toEqual([
      '1 | 1 | introductory | 2025-02-01T16:00:00.000Z',
      '1 | 22 | orientation | 2025-02-22T16:00:00.000Z',
      '2 | 1 | baseline-window | 2025-03-01',
      '2 | 8 | visit-02/A1 | 2025-03-08T14:00:00.000Z',
      '3 | 8 | visit-03/A1 | 2025-04-08T14:00:00.000Z',
      '4 | 1 | walk-through-due | 2025-05-01',
      '4 | 15 | kick-off | 2025-05-15T16:00:00.000Z',
      '5 | 8 | visit-05/A1 | 2025-06-08T14:00:00.000Z',
      '5 | 15 | call-05 | 2025-06-15T16:00:00.000Z',
      '6 | 15 | call-06 | 2025-07-15T16:00:00.000Z',
      '7 | 8 | visit-07/A1 | 2025-08-08T14:00:00.000Z',
      '7 | 15 | call-07 | 2025-08-15T16:00:00.000Z',
      '8 | 15 | change-leader-meeting | 2025-09-15T16:00:00.000Z',
      '9 | 15 | call-09 | 2025-10-15T16:00:00.000Z',
      '10 | 8 | visit-10/A1 | 2025-11-08T14:00:00.000Z',
      '10 | 15 | call-10 | 2025-11-15T16:00:00.000Z',
      '11 | 15 | call-11 | 2025-12-15T16:00:00.000Z',
      '11 | 31 | completion-conference | 2025-12-31T16:00:00.000Z',
    ]);
    expect(entries.filter((e) => e.kind === 'data_due').map((e) => e.date)).toEqual(['2025-06-10', '2025-07-10', '2025-08-10', '2025-09-10', '2025-10-10', '2025-11-10', '2025-12-10', '2026-01-10']);
    expect(entries.every((e) => e.status === 'tentative')).toBe(true);
  });

  it('issue 18: adopting an entry schedules its meeting, once (a retry under the same key answers the same; another adoption is refused)', async () => {
    const url = `${PLAN}/entries/${entry('kick-off')}/adoption`;
    const first = await post(url, {}, { 'idempotency-key': 'adopt-kick-off' });
    expect(first.statusCode).toBe(200);
    const retry = await post(url, {}, { 'idempotency-key': 'adopt-kick-off' });
    expect(retry.body).toBe(first.body);
    const again = await post(url, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'plan_entry_adopted' });
    await projector.idle();
    const meeting = await get(`/v1/meetings/${entry('kick-off')}`);
    expect(meeting.status).toBe(200);
    expect(meeting.body).toMatchObject({ kind: 'kick_off_learning_session', modality: 'in_person', startsAt: '2025-05-15T16:00:00.000Z', location: 'State Office Building, Room 4', invitedAgencyIds: [A1, A2] });
    expect((await plan()).entries.find((e) => e.step === 'kick-off')).toMatchObject({ status: 'adopted', meetingId: entry('kick-off') });
  });

  it('issue 18: moving the start moves the tentative entries and not the adopted ones', async () => {
    expect((await post(`${PLAN}/rebase`, { startsOn: '2025-02-08' })).statusCode).toBe(200);
    const { entries, scopes } = await plan();
    const at = (step: string) => entries.find((e) => e.step === step)!;
    expect(scopes[0]?.startsOn).toBe('2025-02-08');
    expect(at('orientation').startsAt).toBe('2025-03-01T16:00:00.000Z');
    expect(at('call-05').startsAt).toBe('2025-06-22T16:00:00.000Z');
    expect(at('kick-off')).toMatchObject({ status: 'adopted', startsAt: '2025-05-15T16:00:00.000Z' });
    await projector.idle();
    expect((await get(`/v1/meetings/${entry('kick-off')}`)).body.startsAt).toBe('2025-05-15T16:00:00.000Z');
  });

  it('two concurrent adoptions of one entry schedule one meeting: one succeeds, the other is refused', async () => {
    const url = `${PLAN}/entries/${entry('orientation')}/adoption`;
    const [a, b] = await Promise.all([post(url, {}), post(url, {})]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const { events } = await t.eventStore.readStream(`meeting-${entry('orientation')}`);
    expect(events.map((e) => e.type)).toEqual(['MeetingScheduled']);
  });

  it('issue 18: an entry whose time has passed is refused, naming the entry; dropped, the rest is adopted as a whole into meetings and visits', async () => {
    t.clock.now = new Date('2025-02-10T09:00:00.000Z');
    const late = await post(`${PLAN}/entries/${entry('introductory')}/adoption`, {});
    expect(late.statusCode).toBe(422);
    expect(late.json()).toMatchObject({ code: 'plan_entry_in_past' });
    expect(late.json().errors.map((e: { path: string }) => e.path)).toEqual(['body.entryId']);
    expect((await post(`${PLAN}/adoption`, {})).json()).toMatchObject({ code: 'plan_entry_in_past' }); // the whole plan holds it too
    expect((await post(`${PLAN}/entries/${entry('introductory')}/drop`, { reason: 'Held before Convene' })).statusCode).toBe(200);
    const whole = await post(`${PLAN}/adoption`, {});
    expect(whole.statusCode).toBe(200);
    await projector.idle();
    const { entries } = await plan();
    expect(entries.filter((e) => e.status === 'tentative')).toEqual([]);
    const meetings = entries.filter((e) => e.meetingId).map((e) => e.meetingId);
    const visits = entries.filter((e) => e.visitId).map((e) => e.visitId);
    expect(meetings).toHaveLength(10); // orientation, kick-off, six calls, the Change Leader meeting, the completion conference
    expect(visits).toHaveLength(10);
    const listed = (await get(`/v1/collaboratives/${C}/meetings?limit=100`)).body.items.map((m: { meetingId: string }) => m.meetingId);
    expect(listed).toEqual(expect.arrayContaining(meetings));
    const visitList = (await get(`/v1/collaboratives/${C}/site-visits?limit=100`)).body.items.map((v: { visitId: string }) => v.visitId);
    expect(visitList).toEqual(expect.arrayContaining(visits));
  });

  it('issue 18: an agency without its baseline when the kick-off begins is late against the plan; an agency key sees its own lateness only', async () => {
    t.clock.now = new Date('2025-03-20T09:00:00.000Z');
    expect((await t.app.inject({ method: 'POST', url: `/v1/collaboratives/${C}/agencies/${A1}/baseline`, headers: as(keys.agency), payload: { period: { from: '2024-12-01', to: '2025-01-31' }, counts: { clientsTreated: 40, totalDaysToTreatment: 1228, intakeScheduled: 90, intakeNoShows: 34 } } })).statusCode).toBe(200);
    t.clock.now = new Date('2025-05-15T15:59:00.000Z');
    expect((await plan()).late.filter((l) => l.kind === 'baseline_missing')).toEqual([]);
    t.clock.now = new Date('2025-05-15T16:00:00.000Z');
    const admin = await plan();
    expect(admin.late.filter((l) => l.kind === 'baseline_missing').map((l) => l.agencyId)).toEqual([A2]);
    const own = await plan(keys.agency);
    expect(own.late.every((l) => l.agencyId === A1)).toBe(true);
    expect(own.late.some((l) => l.kind === 'walk_through_missing')).toBe(true); // its own lateness
    expect(own.entries.some((e) => e.agencyId === A2)).toBe(false); // not another agency's visits
    expect((await get(`${PLAN}?status=dropped`)).body.entries.map((e: Entry) => e.step)).toEqual(['introductory']);
  });
});
