// The meetings context's commands in the contract's story (examples.ts): a meeting held before it
// was recorded, the kick-off scheduled with its invitees, programme, registrations, attendance,
// minutes and packet, and a second meeting cancelled.
import { EXAMPLE_IDS as I } from './example-ids';

export const meetingExamples = {
  RecordHeldMeeting: {
    meetingId: I.meeting3,
    kind: 'orientation',
    modality: 'video',
    heldAt: '2025-02-05T16:00:00Z',
    durationMinutes: 60,
    callIn: 'https://meet.example.org/convene-orientation',
    agenda: 'How the collaborative works; the walk-through; reporting measures',
    invitedAgencyIds: [I.agency],
    attendance: [{ agencyId: I.agency, present: true, attendees: ['Morgan Leader'] }],
    minutes: 'Walk-throughs to be done by 10 February; baselines by the 14th.',
  },
  ScheduleMeeting: {
    meetingId: I.meeting,
    kind: 'kick_off_learning_session',
    modality: 'in_person',
    startsAt: '2025-03-03T15:00:00Z',
    durationMinutes: 360,
    location: 'State Office Building, Room 4',
    agenda: 'NIATx principles; walk-through findings; choosing a first change',
    invitedAgencyIds: [I.agency],
  },
  InviteToMeeting: { invitees: { invitedPersonIds: [I.reviewer], audiences: [{ type: 'all_executive_sponsors' }, { type: 'cohort', cohortId: I.cohort }] } },
  SetMeetingProgramme: {
    facilitators: [{ personId: I.coach }],
    presenters: [{ personId: I.reviewer, startOffsetMinutes: 0, minutes: 45 }, { agencyId: I.agency, startOffsetMinutes: 60, minutes: 15 }],
  },
  SetMeetingCreditHours: { creditHours: 5.5 },
  RegisterForMeeting: { personId: I.person },
  RescheduleMeeting: { startsAt: '2025-03-04T15:00:00Z', reason: 'Room double-booked' },
  AssignPresenters: { agencyIds: [I.agency] },
  RecordAttendance: { attendance: [{ agencyId: I.agency, present: true, attendees: ['Morgan Leader'] }] },
  RecordPersonAttendance: { attendance: [{ personId: I.person, agencyId: I.agency, present: true, minutesAttended: 300 }, { personId: I.reviewer, present: true }] },
  PublishMinutes: { minutes: 'Agencies chose first changes; next call on 1 April.' },
  CorrectMinutes: { minutes: 'Agencies chose first changes; next call on 2 April.', reason: 'Wrong date of the next call' },
  PrepareMeetingPacket: { packetId: I.packet },
  CancelMeetingRegistration: { personId: I.person },
  CancelMeeting: { reason: 'Replaced by the learning session' },
};
