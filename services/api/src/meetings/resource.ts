// Meeting read schemas: the meeting resource (what GET /v1/meetings/{id} and the list answer).
import { z } from 'zod';

const nullableString = z.string().nullable();
export const ActorSchema = z.object({ actorId: z.string(), actorRole: z.string() }).meta({ id: 'Actor', description: 'Who did it: the actor recorded with the event' });
export const RescheduleSchema = z.object({ from: z.string(), to: z.string(), reason: nullableString, at: z.string(), by: ActorSchema }).meta({ id: 'Reschedule' });
export const DeliverySentSchema = z
  .object({
    type: z.string().describe('ReminderSent, MinutesSent, FollowUpSent or MessageSent'), kind: z.string(), agencyId: nullableString, subject: z.string(), sentAt: z.string(),
    recipients: z.number().int(), recipientRoles: z.array(z.string()), rejected: z.number().int(),
  })
  .meta({ id: 'DeliverySent', description: 'A message the worker sent about this meeting or visit (addresses: the deliveries log)' });

export const SpeakerSchema = z
  .object({ personId: z.string().optional(), agencyId: z.string().optional(), startOffsetMinutes: z.number().int().optional(), minutes: z.number().int().optional() })
  .meta({ id: 'MeetingSpeaker', description: 'A facilitator or presenter: a person or an agency team, with an optional slot (minutes after the start, length)' });
export const AudienceSchema = z
  .object({ type: z.enum(['all_executive_sponsors', 'all_change_leaders', 'cohort', 'stakeholders', 'mentors']), cohortId: z.string().optional() })
  .meta({ id: 'MeetingAudience', description: 'A group invited as a whole, resolved when each message is sent' });
export const PersonAttendanceSchema = z
  .object({
    personId: z.string(), agencyId: nullableString.describe('The agency the person attended for (null: a guest or stakeholder)'), present: z.boolean(),
    minutesAttended: z.number().int().nullable(), creditHours: z.number().describe('Credit hours earned (docs/meetings.md: prorated by minutes, rounded down to a quarter hour)'),
  })
  .meta({ id: 'PersonAttendance' });

export const MeetingResourceSchema = z
  .object({
    meetingId: z.string(), collaborativeId: z.string(),
    kind: z.enum(['introductory', 'orientation', 'kick_off_learning_session', 'change_leader_meeting', 'regular_call', 'completion_conference', 'executive_sponsor_call']),
    modality: z.enum(['in_person', 'video', 'phone']),
    startsAt: z.string().describe('As scheduled (with its offset)'), endsAt: z.string().describe('UTC'), durationMinutes: z.number().int(),
    location: nullableString, callIn: nullableString, agenda: z.string(), status: z.enum(['scheduled', 'cancelled']),
    invitedAgencyIds: z.array(z.string()), presenterAgencyIds: z.array(z.string()),
    attendance: z.array(z.object({
      agencyId: z.string(), present: z.boolean(), attendees: z.array(z.string()),
      attendeePersonIds: z.array(z.string()).optional().describe('People of the agency present, when attendance was recorded per person'),
    })).describe('Per agency; derived from its people when recorded per person'),
    presentCount: z.number().int().nullable(), absentCount: z.number().int().nullable(),
    invitedOrganisationIds: z.array(z.string()), invitedPersonIds: z.array(z.string()), audiences: z.array(AudienceSchema),
    programme: z.object({ facilitators: z.array(SpeakerSchema), presenters: z.array(SpeakerSchema) }),
    creditHours: z.number().nullable().describe('Credit hours a full attendee earns (null: none)'),
    registeredCount: z.number().int(),
    personAttendance: z.array(PersonAttendanceSchema).describe('Per person, with the credit hours earned; an agency key sees its own people only'),
    minutes: z.object({
      status: z.enum(['none', 'published', 'corrected']), text: nullableString, publishedAt: nullableString, publishedBy: ActorSchema.nullable(),
      corrections: z.array(z.object({ text: z.string(), reason: z.string(), correctedAt: z.string(), correctedBy: ActorSchema })),
    }),
    reschedules: z.array(RescheduleSchema),
    cancellation: z.object({ reason: z.string(), at: z.string() }).nullable(),
    deliveries: z.array(DeliverySentSchema),
    sequence: z.number().int().describe('Increases on each reschedule or cancellation (iCalendar SEQUENCE)'),
    createdAt: z.string(), updatedAt: z.string(),
  })
  .meta({
    id: 'Meeting',
    description: 'A meeting with its attendance (attendee names: personal data) and minutes with every correction. Agency keys see their own attendance and deliveries only.',
    examples: [{
      meetingId: '0190f5c2-7a00-7000-8000-000000000101', collaborativeId: '0190f5c2-7a00-7000-8000-000000000001', kind: 'regular_call', modality: 'video',
      startsAt: '2025-03-05T10:00:00-05:00', endsAt: '2025-03-05T16:00:00.000Z', durationMinutes: 60, location: null, callIn: 'https://meet.example.org/niatx',
      agenda: 'Walk-through findings; PDSA cycle 1 results', status: 'scheduled', invitedAgencyIds: ['0190f5c2-7a00-7000-8000-000000001000'],
      presenterAgencyIds: ['0190f5c2-7a00-7000-8000-000000001000'],
      attendance: [{ agencyId: '0190f5c2-7a00-7000-8000-000000001000', present: true, attendees: ['Dana Ortiz'], attendeePersonIds: ['0190f5c2-7a00-7000-8000-000000000041'] }], presentCount: 1, absentCount: 0,
      invitedOrganisationIds: [], invitedPersonIds: ['0190f5c2-7a00-7000-8000-000000000035'], audiences: [{ type: 'all_executive_sponsors' }],
      programme: { facilitators: [{ personId: '0190f5c2-7a00-7000-8000-00000000c0ac' }], presenters: [{ agencyId: '0190f5c2-7a00-7000-8000-000000001000', startOffsetMinutes: 10, minutes: 15 }] },
      creditHours: 1, registeredCount: 1,
      personAttendance: [{ personId: '0190f5c2-7a00-7000-8000-000000000041', agencyId: '0190f5c2-7a00-7000-8000-000000001000', present: true, minutesAttended: 45, creditHours: 0.75 }],
      minutes: {
        status: 'corrected', text: 'Intake no-shows fell from 31% to 22%.', publishedAt: '2025-03-06T09:00:00.000Z',
        publishedBy: { actorId: '0190f5c2-7a00-7000-8000-00000000c0ac', actorRole: 'coach' },
        corrections: [{ text: 'Intake no-shows fell from 31% to 22%.', reason: 'Wrong baseline figure', correctedAt: '2025-03-07T09:00:00.000Z', correctedBy: { actorId: '0190f5c2-7a00-7000-8000-00000000c0ac', actorRole: 'coach' } }],
      },
      reschedules: [], cancellation: null,
      deliveries: [{ type: 'MinutesSent', kind: 'minutes', agencyId: '0190f5c2-7a00-7000-8000-000000001000', subject: 'Minutes: regular call', sentAt: '2025-03-06T09:01:00.000Z', recipients: 2, recipientRoles: ['change_leader', 'executive_sponsor'], rejected: 0 }],
      sequence: 0, createdAt: '2025-02-01T12:00:00.000Z', updatedAt: '2025-03-07T09:00:00.000Z',
    }],
  });
