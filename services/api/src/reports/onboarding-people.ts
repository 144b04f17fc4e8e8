// Issue 16, the onboarding story's people (onboarding-story.ts): both agencies and their Executive
// Sponsors and Change Leaders registered in the network, the coach and a guest speaker; the kick-off
// grants credit hours and an Executive Sponsor call in May grants its own. The live collaborative
// registers people before each meeting and records who attended after it; the onboarded one
// (onboardingSteps) carries the same attendance inside RecordHeldMeeting.personAttendance.
import type { SeedIds, SeedStep } from '../test-fixtures/seed-year';

/** People the seed year does not name, with ids of the collaborative's prefix (the normalised reads map them). */
export const peopleOf = (ids: SeedIds) => ({
  agency1Sponsor: ids.agencySponsor,
  agency1Leader: ids.agencyChangeLeader,
  agency2Sponsor: ids.collaborative.replace(/01$/, 'a2'),
  agency2Leader: ids.collaborative.replace(/01$/, 'a3'),
  coach: ids.coach,
  guest: ids.collaborative.replace(/01$/, 'a4'),
});
/** The Executive Sponsor call of May (the kick-off is the seed year's). */
export const sponsorCallOf = (ids: SeedIds) => ids.kickOff.replace(/71$/, '73');

type Body = Record<string, unknown>;
const step = (name: string, command: SeedStep['command'], at: string, as: SeedStep['as'], url: string, body: Body, status: 200 | 201 = 200, method: 'POST' | 'PUT' = 'POST'): SeedStep =>
  ({ name, command, at, as, method, url, body, status });

/** The people's steps of the first six months, lived: merged into the seed year by time. */
export function peoplePastSteps(ids: SeedIds): SeedStep[] {
  const p = peopleOf(ids);
  const kickOff = `/v1/meetings/${ids.kickOff}`;
  const call = `/v1/meetings/${sponsorCallOf(ids)}`;
  const registered = '2025-01-28T10:00:00.000Z';
  const organisation = (organisationId: string, name: string) => step(`register ${name}`, 'RegisterOrganisation', registered, 'admin', '/v1/organisations', { organisationId, kind: 'provider', name }, 201);
  const person = (personId: string, name: string, organisationId?: string) =>
    step(`register ${name}`, 'RegisterPerson', registered, 'admin', '/v1/people', { personId, ...(organisationId ? { organisationId } : {}), name, email: `${name.toLowerCase().replaceAll(' ', '.')}@example.org` }, 201);
  return [
    organisation(ids.agency1, 'Riverside Recovery'),
    organisation(ids.agency2, 'Hillside Health'),
    person(p.agency1Sponsor, 'Avery Sponsor', ids.agency1),
    person(p.agency1Leader, 'Morgan Leader', ids.agency1),
    person(p.agency2Sponsor, 'Harper Sponsor', ids.agency2),
    person(p.agency2Leader, 'Hillside Leader', ids.agency2),
    person(p.coach, 'Chris Coach'),
    person(p.guest, 'Gale Guest'),
    // The kick-off (scheduled 14 February in the seed year).
    step('the kick-off grants 5.5 credit hours', 'SetMeetingCreditHours', '2025-02-15T09:00:00.000Z', 'coach', `${kickOff}/credit-hours`, { creditHours: 5.5 }, 200, 'PUT'),
    step('invite the guest speaker and the coach', 'InviteToMeeting', '2025-02-15T09:00:00.000Z', 'coach', `${kickOff}/invitations`, { invitees: { invitedPersonIds: [p.guest, p.coach] } }),
    step("agency 1's change leader registers", 'RegisterForMeeting', '2025-02-20T09:00:00.000Z', 'agency', `${kickOff}/registrations`, { personId: p.agency1Leader }),
    step("agency 1's sponsor is registered", 'RegisterForMeeting', '2025-02-20T09:00:00.000Z', 'coach', `${kickOff}/registrations`, { personId: p.agency1Sponsor }),
    step("agency 2's change leader is registered", 'RegisterForMeeting', '2025-02-20T09:00:00.000Z', 'coach', `${kickOff}/registrations`, { personId: p.agency2Leader }),
    step('the guest registers', 'RegisterForMeeting', '2025-02-21T09:00:00.000Z', 'coach', `${kickOff}/registrations`, { personId: p.guest }),
    step('record who attended the kick-off', 'RecordPersonAttendance', '2025-03-03T21:30:00.000Z', 'coach', `${kickOff}/person-attendance`, {
      attendance: [
        { personId: p.agency1Leader, present: true },
        { personId: p.agency1Sponsor, present: true, minutesAttended: 200 },
        { personId: p.agency2Leader, present: false },
        { personId: p.guest, present: true, minutesAttended: 60 },
        { personId: p.coach, present: true },
      ],
    }),
    // The Executive Sponsor call of May: per person only (no per-agency record).
    step('schedule the sponsor call', 'ScheduleMeeting', '2025-04-20T09:00:00.000Z', 'admin', `/v1/collaboratives/${ids.collaborative}/meetings`, {
      meetingId: sponsorCallOf(ids), kind: 'executive_sponsor_call', modality: 'video', startsAt: '2025-05-06T15:00:00Z', durationMinutes: 60,
      callIn: 'https://meet.example.org/sponsors', agenda: 'Sustaining walk-in intake', invitedAgencyIds: [ids.agency1, ids.agency2], creditHours: 1,
    }, 201),
    step("agency 1's sponsor registers", 'RegisterForMeeting', '2025-04-25T09:00:00.000Z', 'agency', `${call}/registrations`, { personId: p.agency1Sponsor }),
    step("agency 2's sponsor is registered", 'RegisterForMeeting', '2025-04-25T09:00:00.000Z', 'coach', `${call}/registrations`, { personId: p.agency2Sponsor }),
    step('record who attended the sponsor call', 'RecordPersonAttendance', '2025-05-06T16:10:00.000Z', 'coach', `${call}/person-attendance`, {
      attendance: [{ personId: p.agency1Sponsor, present: true }, { personId: p.agency2Sponsor, present: true, minutesAttended: 40 }],
    }),
    step('publish the sponsor call minutes', 'PublishMinutes', '2025-05-07T09:00:00.000Z', 'coach', `${call}/minutes`, { minutes: 'Sponsors agreed to fund walk-in hours.' }),
  ];
}

/** August's call, live in both: credit hours, registrations before it, attendance per person after it. */
export function peopleNextMonthSteps(ids: SeedIds, call: string): SeedStep[] {
  const p = peopleOf(ids);
  const M = `/v1/meetings/${call}`;
  return [
    step('schedule the August call', 'ScheduleMeeting', '2025-08-04T10:00:00.000Z', 'admin', `/v1/collaboratives/${ids.collaborative}/meetings`, {
      meetingId: call, kind: 'regular_call', modality: 'video', startsAt: '2025-08-06T15:00:00Z', durationMinutes: 60, callIn: 'https://meet.example.org/c', agenda: 'Monthly call',
      invitedAgencyIds: [ids.agency1, ids.agency2], invitedPersonIds: [p.coach], creditHours: 1,
    }, 201),
    step("agency 1's change leader registers for August", 'RegisterForMeeting', '2025-08-05T09:00:00.000Z', 'agency', `${M}/registrations`, { personId: p.agency1Leader }),
    step("agency 2's change leader is registered for August", 'RegisterForMeeting', '2025-08-05T09:00:00.000Z', 'coach', `${M}/registrations`, { personId: p.agency2Leader }),
    step('record who attended the August call', 'RecordPersonAttendance', '2025-08-06T16:05:00.000Z', 'coach', `${M}/person-attendance`, {
      attendance: [{ personId: p.agency1Leader, present: true }, { personId: p.agency2Leader, present: true, minutesAttended: 45 }, { personId: p.coach, present: true }],
    }),
  ];
}
