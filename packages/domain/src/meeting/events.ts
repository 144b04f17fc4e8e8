import { z } from 'zod';
import { eventSchema, storedIsoDateTime as isoDateTime, text, uuid } from '../shared/schemas';
import { attendanceEntry, meetingKind, modality } from './commands';
import { MeetingPacketRequested, type MeetingPacketRequestedData } from './packet';
import { audience, speaker } from './invitees';

const ids = { meetingId: uuid, collaborativeId: uuid };
// Issue 16 added optional fields (organisations, people, audiences, programme, credit hours):
// version-1 events stored before them parse and read exactly as before, none is rewritten.
const invitees = {
  invitedOrganisationIds: z.array(uuid).optional(),
  invitedPersonIds: z.array(uuid).optional(),
  audiences: z.array(audience).optional(),
};
export const MeetingScheduled = eventSchema({
  ...ids,
  kind: meetingKind,
  modality,
  startsAt: isoDateTime,
  durationMinutes: z.number().int().min(1),
  location: text(500).optional(),
  callIn: text(500).optional(),
  agenda: text(10000),
  invitedAgencyIds: z.array(uuid),
  ...invitees,
  facilitators: z.array(speaker).optional(),
  presenters: z.array(speaker).optional(),
  creditHours: z.number().min(0).optional(),
});
export const MeetingRescheduled = eventSchema({ ...ids, previousStartsAt: isoDateTime, startsAt: isoDateTime, reason: text(2000).optional() });
export const MeetingCancelled = eventSchema({ ...ids, reason: text(2000) });
export const PresentersAssigned = eventSchema({ ...ids, agencyIds: z.array(uuid).min(1) });
export const AttendanceRecorded = eventSchema({ ...ids, attendance: z.array(attendanceEntry).min(1) });
export const MinutesPublished = eventSchema({ ...ids, minutes: text(100000) });
export const MinutesCorrected = eventSchema({ ...ids, minutes: text(100000), reason: text(2000) });
export const MeetingInviteesAdded = eventSchema({ ...ids, ...invitees });
export const MeetingProgrammeSet = eventSchema({ ...ids, facilitators: z.array(speaker), presenters: z.array(speaker) });
export const MeetingCreditHoursSet = eventSchema({ ...ids, creditHours: z.number().min(0) });
/** `agencyId`: the organisation the person belongs to, when known, so per-agency lists need no join. */
export const RegisteredForMeeting = eventSchema({ ...ids, personId: uuid, agencyId: uuid.optional() });
export const MeetingRegistrationCancelled = eventSchema({ ...ids, personId: uuid });
export const PersonAttendanceRecorded = eventSchema({
  ...ids,
  attendance: z.array(z.object({ personId: uuid, agencyId: uuid.optional(), present: z.boolean(), minutesAttended: z.number().int().min(0).optional() }).strict()).min(1),
});

type D<T extends z.ZodType> = z.infer<T>;
export type MeetingEvent =
  | { type: 'MeetingScheduled'; data: D<typeof MeetingScheduled> }
  | { type: 'MeetingRescheduled'; data: D<typeof MeetingRescheduled> }
  | { type: 'MeetingCancelled'; data: D<typeof MeetingCancelled> }
  | { type: 'PresentersAssigned'; data: D<typeof PresentersAssigned> }
  | { type: 'AttendanceRecorded'; data: D<typeof AttendanceRecorded> }
  | { type: 'MinutesPublished'; data: D<typeof MinutesPublished> }
  | { type: 'MinutesCorrected'; data: D<typeof MinutesCorrected> }
  | { type: 'MeetingPacketRequested'; data: MeetingPacketRequestedData }
  | { type: 'MeetingInviteesAdded'; data: D<typeof MeetingInviteesAdded> }
  | { type: 'MeetingProgrammeSet'; data: D<typeof MeetingProgrammeSet> }
  | { type: 'MeetingCreditHoursSet'; data: D<typeof MeetingCreditHoursSet> }
  | { type: 'RegisteredForMeeting'; data: D<typeof RegisteredForMeeting> }
  | { type: 'MeetingRegistrationCancelled'; data: D<typeof MeetingRegistrationCancelled> }
  | { type: 'PersonAttendanceRecorded'; data: D<typeof PersonAttendanceRecorded> };

const v1 = (schema: z.ZodType) => ({ schema, schemaVersion: 1 });
export const meetingEvents = {
  MeetingScheduled: v1(MeetingScheduled),
  MeetingRescheduled: v1(MeetingRescheduled),
  MeetingCancelled: v1(MeetingCancelled),
  PresentersAssigned: v1(PresentersAssigned),
  AttendanceRecorded: v1(AttendanceRecorded),
  MinutesPublished: v1(MinutesPublished),
  MinutesCorrected: v1(MinutesCorrected),
  MeetingPacketRequested: v1(MeetingPacketRequested),
  MeetingInviteesAdded: v1(MeetingInviteesAdded),
  MeetingProgrammeSet: v1(MeetingProgrammeSet),
  MeetingCreditHoursSet: v1(MeetingCreditHoursSet),
  RegisteredForMeeting: v1(RegisteredForMeeting),
  MeetingRegistrationCancelled: v1(MeetingRegistrationCancelled),
  PersonAttendanceRecorded: v1(PersonAttendanceRecorded),
};
