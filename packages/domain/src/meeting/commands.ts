import { z } from 'zod';
import { commandSchema, isoDateTime, text, uuid } from '../shared/schemas';
import type { PrepareMeetingPacketData } from './packet';
import { audience, creditHours, speaker } from './invitees';

// Issue 16: an Executive Sponsor call differs from the Change Leader calls (change_leader_meeting).
export const meetingKind = z.enum([
  'introductory', 'orientation', 'kick_off_learning_session', 'change_leader_meeting', 'regular_call', 'completion_conference', 'executive_sponsor_call',
]);
export const modality = z.enum(['in_person', 'video', 'phone']);
const unique = (what: string) => <T extends z.ZodArray<z.ZodType<string>>>(a: T) => a.refine((ids) => new Set(ids).size === ids.length, { message: `${what} must be unique` });
const uniqueIds = unique('agencies')(z.array(uuid));
export const attendanceEntry = z.object({ agencyId: uuid, present: z.boolean(), attendees: z.array(text(200)).max(50) }).strict();

/**
 * Whom a meeting invites besides the agencies of the collaborative (`invitedAgencyIds`, applicants
 * and admitted agencies): any organisation (prospects too: an introductory meeting comes before any
 * application), people (system roles, stakeholders, guest speakers) and audiences resolved when a
 * message is sent (all Executive Sponsors, all Change Leaders, a cohort, stakeholders, mentors).
 */
export const inviteeShape = {
  invitedOrganisationIds: unique('organisations')(z.array(uuid).max(500)).optional().describe('Organisations invited (prospects allowed); an agency\'s id is its organisation id'),
  invitedPersonIds: unique('people')(z.array(uuid).max(500)).optional().describe('People invited by name: system roles, stakeholders, guest speakers'),
  audiences: z.array(audience).max(10).optional().describe('Groups invited as a whole, resolved when each message is sent'),
};
const programmeShape = {
  facilitators: z.array(speaker).max(20).optional().describe('Who facilitates (coaches co-facilitate): people or agency teams, with optional time slots'),
  presenters: z.array(speaker).max(200).optional().describe('Who presents, with optional time slots; at most 10 except at a completion conference'),
};

const meetingShape = {
  meetingId: uuid,
  collaborativeId: uuid,
  kind: meetingKind,
  modality,
  durationMinutes: z.number().int().min(5).max(60 * 24 * 3),
  location: text(500).optional(),
  callIn: text(500).optional(),
  agenda: text(10000),
  invitedAgencyIds: uniqueIds.optional().describe('Agencies of the collaborative (applicants or admitted) invited; optional when others are invited'),
  ...inviteeShape,
  ...programmeShape,
  creditHours: creditHours.optional(),
};
const whereToMeet = (m: { modality: string; location?: string; callIn?: string }, ctx: z.RefinementCtx) => {
  if (m.modality === 'in_person' && !m.location) ctx.addIssue({ code: 'custom', path: ['location'], message: 'an in-person meeting needs a location' });
  if (m.modality !== 'in_person' && !m.callIn) ctx.addIssue({ code: 'custom', path: ['callIn'], message: 'a video or phone meeting needs call-in details' });
};
const attendanceList = z
  .array(attendanceEntry)
  .min(1)
  .refine((a) => new Set(a.map((e) => e.agencyId)).size === a.length, { message: 'one entry per agency' });

/** One person's attendance; `agencyId` is the agency the person attended for (defaults to their registration's). */
export const personAttendanceEntry = z
  .object({
    personId: uuid,
    agencyId: uuid.optional().describe('The agency the person attended for (else the one they registered for; none for guests and stakeholders)'),
    present: z.boolean(),
    minutesAttended: z.number().int().min(0).max(60 * 24 * 3).optional().describe('Minutes attended, when less than the whole meeting (credit hours are prorated)'),
  })
  .strict();
const personAttendanceList = z
  .array(personAttendanceEntry)
  .min(1)
  .max(1000)
  .refine((a) => new Set(a.map((e) => e.personId)).size === a.length, { message: 'one entry per person' });

export const ScheduleMeeting = commandSchema({ ...meetingShape, startsAt: isoDateTime }).superRefine(whereToMeet);
/**
 * A meeting that already took place (last week's call, the months before the collaborative moved onto
 * Convene), recorded with its attendance and, if written, its minutes. `heldAt` is when it started.
 */
export const RecordHeldMeeting = commandSchema({
  ...meetingShape,
  heldAt: isoDateTime,
  attendance: attendanceList.optional().describe('Per agency; optional when personAttendance is given'),
  personAttendance: personAttendanceList.optional(),
  minutes: text(100000).optional(),
})
  .superRefine(whereToMeet)
  .superRefine((m, ctx) => {
    if (!m.attendance && !m.personAttendance) ctx.addIssue({ code: 'custom', path: ['attendance'], message: 'a held meeting needs attendance or personAttendance' });
  });
export const RescheduleMeeting = commandSchema({ meetingId: uuid, startsAt: isoDateTime, reason: text(2000).optional() });
export const CancelMeeting = commandSchema({ meetingId: uuid, reason: text(2000) });
export const AssignPresenters = commandSchema({ meetingId: uuid, agencyIds: uniqueIds.min(1).max(10) });
export const RecordAttendance = commandSchema({
  meetingId: uuid,
  attendance: attendanceList,
});
export const PublishMinutes = commandSchema({ meetingId: uuid, minutes: text(100000) });
export const CorrectMinutes = commandSchema({ meetingId: uuid, minutes: text(100000), reason: text(2000) });
// Issue 16: people at meetings.
export const InviteToMeeting = commandSchema({ meetingId: uuid, invitees: z.object(inviteeShape).strict().describe('Whom to invite besides those invited already') });
export const SetMeetingProgramme = commandSchema({ meetingId: uuid, facilitators: z.array(speaker).max(20), presenters: z.array(speaker).max(200) });
export const SetMeetingCreditHours = commandSchema({ meetingId: uuid, creditHours: z.union([creditHours, z.literal(0)]).describe('Hours each full attendee earns; 0: the meeting grants none') });
export const RegisterForMeeting = commandSchema({
  meetingId: uuid,
  personId: uuid,
  agencyId: uuid.optional().describe('The agency the person registers for (an agency key: its own, filled in); none for guests and stakeholders'),
});
export const CancelMeetingRegistration = commandSchema({ meetingId: uuid, personId: uuid });
export const RecordPersonAttendance = commandSchema({ meetingId: uuid, attendance: personAttendanceList });

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
  | { type: 'PrepareMeetingPacket'; data: PrepareMeetingPacketData }
  | { type: 'InviteToMeeting'; data: D<typeof InviteToMeeting> }
  | { type: 'SetMeetingProgramme'; data: D<typeof SetMeetingProgramme> }
  | { type: 'SetMeetingCreditHours'; data: D<typeof SetMeetingCreditHours> }
  | { type: 'RegisterForMeeting'; data: D<typeof RegisterForMeeting> }
  | { type: 'CancelMeetingRegistration'; data: D<typeof CancelMeetingRegistration> }
  | { type: 'RecordPersonAttendance'; data: D<typeof RecordPersonAttendance> };
