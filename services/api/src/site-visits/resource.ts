// The site-visit resource: one shape for its GET, the collaborative's list and the agency detail.
import { z } from 'zod';
import { ActorSchema, DeliverySentSchema, RescheduleSchema } from '../meetings/resource';

export const SiteVisitSchema = z
  .object({
    visitId: z.string(), collaborativeId: z.string(), agencyId: z.string(), coachId: z.string(),
    scheduledAt: z.string().describe('As scheduled (with its offset)'), agenda: z.string(), status: z.enum(['scheduled', 'cancelled', 'completed']),
    reschedules: z.array(RescheduleSchema).describe('Each reschedule, from and to which time'),
    cancellation: z.object({ reason: z.string(), at: z.string() }).nullable(),
    report: z.object({ completedOn: z.string(), summary: z.string(), by: ActorSchema.nullable() }).nullable().describe('The summary report, once completed'),
    deliveries: z.array(DeliverySentSchema),
    sequence: z.number().int().describe('Increases on each reschedule or cancellation (iCalendar SEQUENCE)'),
    createdAt: z.string(), updatedAt: z.string(),
  })
  .meta({
    id: 'SiteVisit',
    description: 'A coach\'s site visit to an agency. The summary is free text: not for analysts.',
    examples: [{
      visitId: '0190f5c2-7a00-7000-8000-000000000201', collaborativeId: '0190f5c2-7a00-7000-8000-000000000001', agencyId: '0190f5c2-7a00-7000-8000-000000001000',
      coachId: '0190f5c2-7a00-7000-8000-00000000c0ac', scheduledAt: '2025-04-08T09:00:00-04:00', agenda: 'Walk the intake process with the change team',
      status: 'completed',
      reschedules: [{ from: '2025-04-01T09:00:00-04:00', to: '2025-04-08T09:00:00-04:00', reason: 'Coach ill', at: '2025-03-28T15:00:00.000Z', by: { actorId: '0190f5c2-7a00-7000-8000-00000000c0ac', actorRole: 'coach' } }],
      cancellation: null,
      report: { completedOn: '2025-04-08', summary: 'Same-day intake piloted on Mondays.', by: { actorId: '0190f5c2-7a00-7000-8000-00000000c0ac', actorRole: 'coach' } },
      deliveries: [], sequence: 1, createdAt: '2025-03-01T10:00:00.000Z', updatedAt: '2025-04-08T17:00:00.000Z',
    }],
  });
