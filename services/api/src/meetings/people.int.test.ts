// Issue 16 "meetings with people", over HTTP on real PostgreSQL: an introductory meeting for prospects
// and stakeholders before any application; registration before (not after) the start; attendance per
// person giving each attendee's credit hours; an agency key seeing only its own people.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { runSeedYear, SEED_IDS, seedYearSteps, type SeedKeys } from '../test-fixtures/seed-year';

let t: TestApp;
let projector: RunningProjector;
let keys: SeedKeys & { agency2: string };
const C = SEED_IDS.collaborative;
const A1 = SEED_IDS.agency1;
const A2 = SEED_IDS.agency2;
const TODAY = '2025-06-12T09:00:00.000Z';
const CALL = '0190a000-0000-7000-8000-00000000d161';
const HELD = '0190a000-0000-7000-8000-00000000d162';
/** A guest speaker and a stakeholder: people of no agency. */
const GUEST = '0190a000-0000-7000-8000-00000000e001';
const STAKEHOLDER = '0190a000-0000-7000-8000-00000000e002';
/** Agency 2's person (attends for agency 2). */
const A2_PERSON = '0190a000-0000-7000-8000-00000000e003';
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const send = (method: 'POST' | 'PUT', url: string, payload: Record<string, unknown>, key = keys.coach) => t.app.inject({ method, url, headers: as(key), payload });
const get = async (url: string, key = t.adminKey) => {
  await projector.idle();
  const res = await t.app.inject({ url, headers: as(key) });
  return { status: res.statusCode, body: res.json() };
};

beforeAll(async () => {
  t = await createTestApp();
  keys = {
    admin: t.adminKey,
    coach: await t.createKey({ name: 'coach', role: 'coach', actorId: SEED_IDS.coach, collaborativeIds: [C] }),
    agency: await t.createKey({ name: 'agency 1', role: 'agency', actorId: SEED_IDS.agencyChangeLeader, collaborativeIds: [C], agencyIds: [A1] }),
    agency2: await t.createKey({ name: 'agency 2', role: 'agency', actorId: A2_PERSON, collaborativeIds: [C], agencyIds: [A2] }),
  };
  // The year up to early June: agencies 1 and 2 admitted, agency 1's people named.
  const year = seedYearSteps();
  const results = await runSeedYear(t.app, { keys, setClock: (at) => (t.clock.now = at), steps: year.slice(0, year.findIndex((s) => s.command === 'OpenCohort' && s.at >= '2025-06')) });
  const failed = results.find((r) => r.status !== r.step.status);
  expect(failed ? { step: failed.step.name, body: failed.body } : undefined).toBeUndefined();
  t.clock.now = new Date(TODAY);
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  await projector.idle();
}, 120_000);
afterAll(async () => {
  await projector?.stop();
  await t?.close();
});

describe('issue 16: an introductory meeting before any application', () => {
  it('invites twenty prospect organisations and two stakeholders to a collaborative with no application', async () => {
    const collaborativeId = '0190a000-0000-7000-8000-00000000f001';
    const launched = await send('POST', '/v1/collaboratives', {
      collaborativeId, name: 'Prospects 2025', aim: 'Recruit agencies', convener: { organizationName: 'State', contact: { personId: STAKEHOLDER, name: 'Casey Convener', email: 'casey@example.org' } },
      focusMeasures: ['waiting_time'], startsOn: '2025-06-01', endsOn: '2026-05-31', meetingCadence: 'monthly',
      measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
    }, t.adminKey);
    expect(launched.statusCode).toBe(201);
    const prospects = Array.from({ length: 20 }, (_, i) => `0190a000-0000-7000-8000-00000000${(0xf100 + i).toString(16)}`);
    const meetingId = '0190a000-0000-7000-8000-00000000f002';
    const intro = {
      meetingId, kind: 'introductory', modality: 'video', startsAt: '2025-06-20T15:00:00Z', durationMinutes: 90, callIn: 'https://meet.example.org/intro',
      agenda: 'What a NIATx collaborative asks of an agency', invitedOrganisationIds: prospects, invitedPersonIds: [STAKEHOLDER, GUEST],
    };
    // An organisation must be registered (not applied) to be invited: the first try names the unknown one.
    for (const organisationId of prospects.slice(0, 19)) {
      expect((await send('POST', '/v1/organisations', { organisationId, kind: 'provider', name: `Prospect ${organisationId.slice(-2)}` }, t.adminKey)).statusCode).toBe(201);
    }
    const unknown = await send('POST', `/v1/collaboratives/${collaborativeId}/meetings`, intro, t.adminKey);
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'organisation_not_found', errors: [{ path: 'body.invitedOrganisationIds.19' }] });
    expect((await send('POST', '/v1/organisations', { organisationId: prospects[19], kind: 'provider', name: 'Prospect 20' }, t.adminKey)).statusCode).toBe(201);
    const res = await send('POST', `/v1/collaboratives/${collaborativeId}/meetings`, intro, t.adminKey);
    expect(res.statusCode).toBe(201);
    const applications = await get(`/v1/collaboratives/${collaborativeId}/applications`);
    expect(applications.body.items).toEqual([]);
    const { status, body } = await get(`/v1/meetings/${meetingId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind: 'introductory', invitedAgencyIds: [], invitedPersonIds: [STAKEHOLDER, GUEST] });
    expect(body.invitedOrganisationIds).toEqual(prospects);
    // A prospect's agency key (its organisation id is its agency id) lists the meeting it is invited to.
    const prospectKey = await t.createKey({ name: 'prospect', role: 'agency', collaborativeIds: [collaborativeId], agencyIds: [prospects[7]!] });
    const listed = await get(`/v1/collaboratives/${collaborativeId}/meetings`, prospectKey);
    expect(listed.body.items.map((m: { meetingId: string }) => m.meetingId)).toEqual([meetingId]);
  });
});

describe('issue 16: registration, attendance per person and credit hours', () => {
  it('a call grants credit hours; people register before it (an agency key its own people only)', async () => {
    const scheduled = await send('POST', `/v1/collaboratives/${C}/meetings`, {
      meetingId: CALL, kind: 'regular_call', modality: 'video', startsAt: '2025-06-12T15:00:00Z', durationMinutes: 120, callIn: 'https://meet.example.org/c',
      agenda: 'Monthly call', invitedAgencyIds: [A1, A2], invitedPersonIds: [STAKEHOLDER], creditHours: 2,
      facilitators: [{ personId: SEED_IDS.coach }], presenters: [{ personId: GUEST, startOffsetMinutes: 0, minutes: 30 }, { agencyId: A1, startOffsetMinutes: 30, minutes: 15 }],
    });
    expect(scheduled.statusCode).toBe(201);
    const url = `/v1/meetings/${CALL}/registrations`;
    expect((await send('POST', url, { personId: SEED_IDS.agencyChangeLeader }, keys.agency)).statusCode).toBe(200);
    expect((await send('POST', url, { personId: SEED_IDS.agencySponsor }, keys.agency)).statusCode).toBe(200);
    // Registering again is no change; someone else's person or agency is refused to an agency key.
    const again = await send('POST', url, { personId: SEED_IDS.agencyChangeLeader }, keys.agency);
    expect(again.statusCode).toBe(200);
    expect((await send('POST', url, { personId: GUEST }, keys.agency)).json().code).toBe('out_of_scope');
    expect((await send('POST', url, { personId: SEED_IDS.agencySponsor, agencyId: A2 }, keys.agency)).statusCode).toBe(403);
    // The organiser (coach) registers a guest and agency 2's person; one cancels.
    expect((await send('POST', url, { personId: GUEST })).statusCode).toBe(200);
    // Agency 2's person is registered with organisation A2: they register for it without naming it, and agency 1's key may not register them.
    expect((await send('POST', '/v1/organisations', { organisationId: A2, kind: 'provider', name: 'Hillside Health' }, t.adminKey)).statusCode).toBe(201);
    expect((await send('POST', '/v1/people', { personId: A2_PERSON, organisationId: A2, name: 'Riley Two', email: 'riley@example.org' }, t.adminKey)).statusCode).toBe(201);
    expect((await send('POST', url, { personId: A2_PERSON }, keys.agency)).statusCode).toBe(403);
    expect((await send('POST', url, { personId: A2_PERSON, agencyId: A1 })).json().code).toBe('person_not_of_agency');
    expect((await send('POST', url, { personId: A2_PERSON })).statusCode).toBe(200);
    expect((await send('POST', `${url}/cancellation`, { personId: SEED_IDS.agencySponsor }, keys.agency)).statusCode).toBe(200);

    const organiser = await get(url, keys.coach);
    expect(organiser.status).toBe(200);
    expect(organiser.body.items.map((r: { personId: string; status: string; agencyId: string | null }) => [r.personId, r.agencyId, r.status]).sort()).toEqual([
      [SEED_IDS.agencySponsor, A1, 'cancelled'], [SEED_IDS.agencyChangeLeader, A1, 'registered'], [GUEST, null, 'registered'], [A2_PERSON, A2, 'registered'],
    ].sort());
    // A coach key of agency 1 only: agency 1's people and the guest, not agency 2's person.
    const coachOfA1 = await t.createKey({ name: 'coach of agency 1', role: 'coach', actorId: SEED_IDS.coach, collaborativeIds: [C], agencyIds: [A1] });
    expect((await get(url, coachOfA1)).body.items.map((r: { personId: string }) => r.personId).sort()).toEqual([SEED_IDS.agencySponsor, SEED_IDS.agencyChangeLeader, GUEST].sort());
    const own = await get(url, keys.agency);
    expect(own.body.items.map((r: { personId: string }) => r.personId).sort()).toEqual([SEED_IDS.agencySponsor, SEED_IDS.agencyChangeLeader].sort());
    expect((await get(`/v1/meetings/${CALL}`)).body).toMatchObject({ registeredCount: 3, creditHours: 2, programme: { presenters: [{ personId: GUEST }, { agencyId: A1 }] } });
  });

  it('registration closes at the start: refused after it, with 409 registration_closed', async () => {
    t.clock.now = new Date('2025-06-12T15:00:00Z');
    const late = await send('POST', `/v1/meetings/${CALL}/registrations`, { personId: STAKEHOLDER });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('registration_closed');
    const cancel = await send('POST', `/v1/meetings/${CALL}/registrations/cancellation`, { personId: GUEST });
    expect(cancel.statusCode).toBe(409);
  });

  it('attendance per person gives each attendee their credit hours, and the agency attendance agrees', async () => {
    t.clock.now = new Date('2025-06-12T17:30:00Z');
    const recorded = await send('POST', `/v1/meetings/${CALL}/person-attendance`, {
      attendance: [
        { personId: SEED_IDS.agencyChangeLeader, present: true },
        { personId: SEED_IDS.agencySponsor, agencyId: A1, present: true, minutesAttended: 60 },
        { personId: A2_PERSON, present: true, minutesAttended: 50 },
        { personId: GUEST, present: true, minutesAttended: 120 },
        { personId: STAKEHOLDER, present: false },
      ],
    });
    expect(recorded.statusCode).toBe(200);
    const hours: Record<string, number> = { [SEED_IDS.agencyChangeLeader]: 2, [SEED_IDS.agencySponsor]: 1, [A2_PERSON]: 0.75, [GUEST]: 2, [STAKEHOLDER]: 0 };
    for (const [personId, expected] of Object.entries(hours)) {
      const { status, body } = await get(`/v1/people/${personId}/credits`);
      expect(status).toBe(200);
      expect([personId, body.creditHours]).toEqual([personId, expected]);
      expect(body.meetings).toEqual([expect.objectContaining({ meetingId: CALL, meetingCreditHours: 2, creditHours: expected })]);
    }
    const meeting = (await get(`/v1/meetings/${CALL}`)).body;
    expect(meeting.attendance).toEqual([
      { agencyId: A1, present: true, attendees: [], attendeePersonIds: [SEED_IDS.agencySponsor, SEED_IDS.agencyChangeLeader].sort() },
      { agencyId: A2, present: true, attendees: [], attendeePersonIds: [A2_PERSON] },
    ]);
    expect(meeting).toMatchObject({ presentCount: 2, absentCount: 0 });
    const all = (await get(`/v1/collaboratives/${C}/credits`)).body;
    expect(all.creditHours).toBe(5.75);
    expect(all.people).toHaveLength(5);
  });

  it('an agency key sees only its own people: in the meeting, the credit reports and another agency\'s person', async () => {
    const meeting = (await get(`/v1/meetings/${CALL}`, keys.agency)).body;
    expect(meeting.personAttendance.map((p: { personId: string; creditHours: number }) => [p.personId, p.creditHours]).sort()).toEqual(
      [[SEED_IDS.agencyChangeLeader, 2], [SEED_IDS.agencySponsor, 1]].sort(),
    );
    expect(meeting.attendance.map((a: { agencyId: string }) => a.agencyId)).toEqual([A1]);
    const credits = (await get(`/v1/collaboratives/${C}/credits`, keys.agency)).body;
    expect(credits).toEqual({
      collaborativeId: C, creditHours: 3,
      people: [
        { personId: SEED_IDS.agencySponsor, agencyId: A1, meetingsAttended: 1, creditHours: 1 },
        { personId: SEED_IDS.agencyChangeLeader, agencyId: A1, meetingsAttended: 1, creditHours: 2 },
      ].sort((a, b) => a.personId.localeCompare(b.personId)),
    });
    const other = await get(`/v1/people/${A2_PERSON}/credits`, keys.agency);
    expect(other.status).toBe(403);
    expect((await get(`/v1/people/${GUEST}/credits`, keys.agency)).status).toBe(403);
    expect((await get(`/v1/people/${A2_PERSON}/credits`, keys.agency2)).body.creditHours).toBe(0.75);
    // Analysts read no per-person report.
    const analyst = await t.createKey({ name: 'analyst', role: 'analyst', collaborativeIds: [C] });
    expect((await get(`/v1/collaboratives/${C}/credits`, analyst)).status).toBe(403);
  });

  it('credit hours set later apply to everyone who attended; a past meeting recorded with attendance per person earns them too', async () => {
    expect((await send('PUT', `/v1/meetings/${CALL}/credit-hours`, { creditHours: 3 })).statusCode).toBe(200);
    expect((await get(`/v1/people/${SEED_IDS.agencySponsor}/credits`)).body.creditHours).toBe(1.5);
    const held = await send('POST', `/v1/collaboratives/${C}/held-meetings`, {
      meetingId: HELD, kind: 'change_leader_meeting', modality: 'phone', heldAt: '2025-06-05T15:00:00Z', durationMinutes: 60, callIn: '+1 555 0100',
      agenda: 'Change leaders', invitedAgencyIds: [A1], creditHours: 1, personAttendance: [{ personId: SEED_IDS.agencyChangeLeader, agencyId: A1, present: true, minutesAttended: 45 }],
    });
    expect(held.statusCode).toBe(201);
    const report = (await get(`/v1/people/${SEED_IDS.agencyChangeLeader}/credits`, keys.agency)).body;
    expect(report.meetings.map((m: { meetingId: string; creditHours: number }) => [m.meetingId, m.creditHours])).toEqual([[HELD, 0.75], [CALL, 3]]);
    expect(report).toMatchObject({ creditHours: 3.75, meetingsAttended: 2 });
    // The per-agency attendance of the held meeting is derived from its people.
    expect((await get(`/v1/meetings/${HELD}`)).body).toMatchObject({ presentCount: 1, attendance: [{ agencyId: A1, present: true }] });
  });
});

describe('issue 16: an agency key sees the meetings an audience invites it to, and nothing else', () => {
  it('lists and reads a meeting inviting its cohort; 403 for another cohort\'s meeting and for a meeting of another agency only', async () => {
    const otherCohort = '0190a000-0000-7000-8000-00000000f201';
    expect((await send('POST', `/v1/collaboratives/${C}/cohorts`, { cohortId: otherCohort, name: 'Cohort Z', startsOn: '2025-09-01', capacity: 8 }, t.adminKey)).statusCode).toBe(201);
    const meeting = (meetingId: string, invitees: Record<string, unknown>) => send('POST', `/v1/collaboratives/${C}/meetings`, {
      meetingId, kind: 'regular_call', modality: 'video', startsAt: '2025-07-01T15:00:00Z', durationMinutes: 60, callIn: 'https://meet.example.org/c', agenda: 'Cohort call', ...invitees,
    });
    const mine = '0190a000-0000-7000-8000-00000000f202';
    const otherCohorts = '0190a000-0000-7000-8000-00000000f203';
    const agency2s = '0190a000-0000-7000-8000-00000000f204';
    expect((await meeting(mine, { audiences: [{ type: 'cohort', cohortId: SEED_IDS.cohort1 }] })).statusCode).toBe(201);
    expect((await meeting(otherCohorts, { audiences: [{ type: 'cohort', cohortId: otherCohort }] })).statusCode).toBe(201);
    expect((await meeting(agency2s, { invitedAgencyIds: [A2] })).statusCode).toBe(201);

    const listed = await get(`/v1/collaboratives/${C}/meetings?from=2025-07-01&to=2025-07-01`, keys.agency);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((m: { meetingId: string }) => m.meetingId)).toEqual([mine]);
    expect((await get(`/v1/meetings/${mine}`, keys.agency)).status).toBe(200);
    for (const id of [otherCohorts, agency2s]) expect([403, 404]).toContain((await get(`/v1/meetings/${id}`, keys.agency)).status);
    // The coach, filtering by agency 1, sees the same; agency 2 (cohort 1 too) sees its own and the cohort's.
    expect((await get(`/v1/collaboratives/${C}/meetings?from=2025-07-01&to=2025-07-01&agencyId=${A1}`, keys.coach)).body.items.map((m: { meetingId: string }) => m.meetingId)).toEqual([mine]);
    expect((await get(`/v1/collaboratives/${C}/meetings?from=2025-07-01&to=2025-07-01`, keys.agency2)).body.items.map((m: { meetingId: string }) => m.meetingId).sort()).toEqual([mine, agency2s].sort());
    // The agency's calendar agrees.
    const calendar = await get(`/v1/collaboratives/${C}/agencies/${A1}/calendar?from=2025-07-01&to=2025-07-01`, keys.agency);
    expect(calendar.status).toBe(200);
    expect(calendar.body.items.filter((i: { type: string }) => i.type === 'meeting').map((i: { id: string }) => i.id)).toEqual([`meeting-${mine}`]);
  });
});
