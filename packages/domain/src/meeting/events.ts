import { z } from 'zod';
import { eventSchema, storedIsoDateTime as isoDateTime, text, uuid } from '../shared/schemas';
import { attendanceEntry, meetingKind, modality } from './commands';
import { MeetingPacketRequested, type MeetingPacketRequestedData } from './packet';

const ids = { meetingId: uuid, collaborativeId: uuid };
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
});
export const MeetingRescheduled = eventSchema({ ...ids, previousStartsAt: isoDateTime, startsAt: isoDateTime, reason: text(2000).optional() });
export const MeetingCancelled = eventSchema({ ...ids, reason: text(2000) });
export const PresentersAssigned = eventSchema({ ...ids, agencyIds: z.array(uuid).min(1) });
export const AttendanceRecorded = eventSchema({ ...ids, attendance: z.array(attendanceEntry).min(1) });
export const MinutesPublished = eventSchema({ ...ids, minutes: text(100000) });
export const MinutesCorrected = eventSchema({ ...ids, minutes: text(100000), reason: text(2000) });

type D<T extends z.ZodType> = z.infer<T>;
export type MeetingEvent =
  | { type: 'MeetingScheduled'; data: D<typeof MeetingScheduled> }
  | { type: 'MeetingRescheduled'; data: D<typeof MeetingRescheduled> }
  | { type: 'MeetingCancelled'; data: D<typeof MeetingCancelled> }
  | { type: 'PresentersAssigned'; data: D<typeof PresentersAssigned> }
  | { type: 'AttendanceRecorded'; data: D<typeof AttendanceRecorded> }
  | { type: 'MinutesPublished'; data: D<typeof MinutesPublished> }
  | { type: 'MinutesCorrected'; data: D<typeof MinutesCorrected> }
  | { type: 'MeetingPacketRequested'; data: MeetingPacketRequestedData };

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
};
