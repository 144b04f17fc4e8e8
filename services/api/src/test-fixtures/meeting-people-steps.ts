// Issue 16, people at meetings, in the seed year: the kick-off grants credit hours, a guest speaker
// is invited, agency 1's Executive Sponsor and Change Leader and the guest register before it, and
// the coach records who attended and for how long. Outside seedYearSteps (whose lists and reports
// other tests count) like heldSteps and correctionSteps: the read examples (registrations, a
// person's credits, the collaborative's credits) and the read-contract e2e add them.
import { SEED_IDS, type SeedIds, type SeedStep } from './seed-year';

/** The kick-off's guest speaker: a person of no agency (credited as a guest). */
export const guestSpeakerOf = (ids: SeedIds) => ids.collaborative.replace(/01$/, 'f1');

export function meetingPeopleSteps(ids: SeedIds = SEED_IDS): SeedStep[] {
  const M = `/v1/meetings/${ids.kickOff}`;
  const guest = guestSpeakerOf(ids);
  const step = (name: string, command: SeedStep['command'], at: string, as: SeedStep['as'], url: string, body: Record<string, unknown>, method: 'POST' | 'PUT' = 'POST'): SeedStep =>
    ({ name, command, at, as, method, url, body, status: 200 });
  return [
    step('the kick-off grants 5.5 credit hours', 'SetMeetingCreditHours', '2025-02-15T09:00:00.000Z', 'coach', `${M}/credit-hours`, { creditHours: 5.5 }, 'PUT'),
    step('invite a guest speaker to the kick-off', 'InviteToMeeting', '2025-02-15T09:00:00.000Z', 'coach', `${M}/invitations`, { invitees: { invitedPersonIds: [guest] } }),
    // By agency 1's key: the change leader is one of its people by the role named in January (read from the store: no projector runs in the seed).
    step("agency 1's change leader registers", 'RegisterForMeeting', '2025-02-20T09:00:00.000Z', 'agency', `${M}/registrations`, { personId: ids.agencyChangeLeader }),
    step("agency 1's executive sponsor is registered", 'RegisterForMeeting', '2025-02-20T09:00:00.000Z', 'coach', `${M}/registrations`, { personId: ids.agencySponsor, agencyId: ids.agency1 }),
    step('the guest speaker registers', 'RegisterForMeeting', '2025-02-21T09:00:00.000Z', 'coach', `${M}/registrations`, { personId: guest }),
    // After the meeting (its per-agency attendance is in the seed year): the sponsor left after 200 minutes, the guest spoke for an hour.
    step('record who attended the kick-off', 'RecordPersonAttendance', '2025-03-03T21:30:00.000Z', 'coach', `${M}/person-attendance`, {
      attendance: [
        { personId: ids.agencyChangeLeader, present: true },
        { personId: ids.agencySponsor, present: true, minutesAttended: 200 },
        { personId: guest, present: true, minutesAttended: 60 },
      ],
    }),
  ];
}
