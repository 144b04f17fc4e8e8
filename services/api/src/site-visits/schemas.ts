// Site-visit read schemas (shared with the agency detail).
import { z } from 'zod';
import { nullableString } from '../http/read-routes';

export const SiteVisitSchema = z
  .object({
    visitId: z.string(), collaborativeId: z.string(), agencyId: z.string(), coachId: z.string(), scheduledAt: z.string(), agenda: z.string(),
    status: z.string(), reschedules: z.number().int(), completedOn: nullableString, summary: nullableString, cancelReason: nullableString,
  })
  .meta({ id: 'SiteVisitView' });
