import { z } from 'zod';
import { commandSchema, isoDateTime, text, uuid } from '../shared/schemas';
import type { PrepareMeetingPacketData } from './packet';

export const meetingKind = z.enum(['introductory', 'orientation', 'kick_off_learning_session', 'change_leader_meeting', 'regular_call', 'completion_conference']);
export const modality = z.enum(['in_person', 'video', 'phone']);
const uniqueIds = z.array(uuid).refine((a) => new Set(a).size === a.length, { message: 'agencies must be unique' });
export const attendanceEntry = z.object({ agencyId: uuid, present: z.boolean(), attendees: z.array(text(200)).max(50) }).strict();

const meetingShape = {
  meetingId: uuid,
  collaborativeId: uuid,
  kind: meetingKind,
  modality,
  durationMinutes: z.number().int().min(5).max(60 * 24 * 3),
  location: text(500).optional(),
  callIn: text(500).optional(),
  agenda: text(10000),
  invitedAgencyIds: uniqueIds,
};
const whereToMeet = (m: { modality: string; location?: string; callIn?: string }, ctx: z.RefinementCtx) => {
  if (m.modality === 'in_person' && !m.location) ctx.addIssue({ code: 'custom', path: ['location'], message: 'an in-person meeting needs a location' });
  if (m.modality !== 'in_person' && !m.callIn) ctx.addIssue({ code: 'custom', path: ['callIn'], message: 'a video or phone meeting needs call-in details' });
};
const attendanceList = z
  .array(attendanceEntry)
  .min(1)
  .refine((a) => new Set(a.map((e) => e.agencyId)).size === a.length, { message: 'one entry per agency' });

export const ScheduleMeeting = commandSchema({ ...meetingShape, startsAt: isoDateTime }).superRefine(whereToMeet);
/**
 * A meeting that already took place (last week's call, the months before the collaborative moved onto
 * Convene), recorded with its attendance and, if written, its minutes. `heldAt` is when it started.
 */
export const RecordHeldMeeting = commandSchema({ ...meetingShape, heldAt: isoDateTime, attendance: attendanceList, minutes: text(100000).optional() }).superRefine(whereToMeet);
export const RescheduleMeeting = commandSchema({ meetingId: uuid, startsAt: isoDateTime, reason: text(2000).optional() });
export const CancelMeeting = commandSchema({ meetingId: uuid, reason: text(2000) });
export const AssignPresenters = commandSchema({ meetingId: uuid, agencyIds: uniqueIds.min(1).max(10) });
export const RecordAttendance = commandSchema({
  meetingId: uuid,
  attendance: attendanceList,
});
export const PublishMinutes = commandSchema({ meetingId: uuid, minutes: text(100000) });
export const CorrectMinutes = commandSchema({ meetingId: uuid, minutes: text(100000), reason: text(2000) });

type D<T extends z.ZodType> = z.infer<T>;
export type MeetingCommand =
  | { type: 'ScheduleMeeting'; data: D<typeof ScheduleMeeting> }
  | { type: 'RecordHeldMeeting'; data: D<typeof RecordHeldMeeting> }
  | { type: 'RescheduleMeeting'; data: D<typeof RescheduleMeeting> }
  | { type: 'CancelMeeting'; data: D<typeof CancelMeeting> }
  | { type: 'AssignPresenters'; data: D<typeof AssignPresenters> }
  | { type: 'RecordAttendance'; data: D<typeof RecordAttendance> }
  | { type: 'PublishMinutes'; data: D<typeof PublishMinutes> }
  | { type: 'CorrectMinutes'; data: D<typeof CorrectMinutes> }
  | { type: 'PrepareMeetingPacket'; data: PrepareMeetingPacketData };
