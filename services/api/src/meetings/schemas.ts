// Meeting read schemas.
import { z } from 'zod';
import { nullableString } from '../http/read-routes';

export const MeetingSchema = z
  .object({
    meetingId: z.string(), collaborativeId: z.string(), kind: z.string(), modality: z.string(), startsAt: z.string(), durationMinutes: z.number().int(),
    location: nullableString, callIn: nullableString, agenda: z.string(), status: z.string(), invitedAgencyIds: z.array(z.string()),
    presenterAgencyIds: z.array(z.string()), attendance: z.array(z.object({ agencyId: z.string(), present: z.boolean() })),
    presentCount: z.number().int().nullable(), absentCount: z.number().int().nullable(), minutesStatus: z.enum(['none', 'published', 'corrected']),
    minutesPublishedAt: nullableString,
  })
  .meta({ id: 'MeetingView' });
