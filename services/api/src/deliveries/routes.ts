// The delivery log: what the workers sent (reminders, minutes, follow-ups, data-due notices) to
// whom and when, from their delivery events.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listDeliveries } from '@convene/projections';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { keysetOf, listPage, listQuery } from '../http/list';
import { pageSchema } from '../http/pagination';
import { CollabParams, consistentReads, nullableString, READERS, readErrors, uuid } from '../http/read-routes';
import { visibleAgencyIds } from '../http/scope';

export const DeliverySchema = z
  .object({
    deliveryId: z.string(), type: z.enum(['ReminderSent', 'MinutesSent', 'FollowUpSent', 'MessageSent']).or(z.string()), kind: z.string(), subjectId: z.string(),
    agencyId: nullableString, meetingId: nullableString, visitId: nullableString, subject: z.string(), sentAt: z.string(),
    recipients: z.array(z.object({ personId: z.string().optional(), email: z.string(), role: z.string() })), rejected: z.array(z.string()),
    months: z.array(z.string()).nullable(),
  })
  .meta({ id: 'Delivery' });

const KINDS = ['meeting-reminder', 'minutes', 'minutes-correction', 'follow-up', 'sitevisit-reminder', 'sitevisit-summary', 'data-due', 'data-digest', 'announcement', 'packet-notice'] as const;

export const deliveryReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  app.get('/v1/collaboratives/:collaborativeId/deliveries', {
    schema: {
      operationId: 'listDeliveries', summary: 'What was sent to whom and when', tags: ['meetings'],
      description: 'The log of every message the workers delivered (reminders, minutes, follow-ups, data-due notices) with recipients and send time. Recipients\' e-mails are personal data: not for analysts; an agency key sees what went to its agency. Filters `kind`, `meetingId`, `agencyId`.',
      params: CollabParams,
      querystring: listQuery({ sorts: ['sentAt'], defaultSort: 'sentAt' }).extend({ kind: z.enum(KINDS).optional(), meetingId: uuid.optional(), agencyId: uuid.optional() }),
      response: { 200: pageSchema(DeliverySchema), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistentReads(app)],
  }, async (request) => {
    const principal = principalOf(request);
    const { collaborativeId } = request.params;
    assertInScope(principal, { collaborativeId });
    const { kind, meetingId, agencyId } = request.query;
    const page = await listDeliveries(db, {
      collaborativeId, keyset: keysetOf(request.query), agencyIds: visibleAgencyIds(principal),
      ...(kind ? { kind } : {}), ...(meetingId ? { meetingId } : {}), ...(agencyId ? { agencyId } : {}),
    });
    return listPage(request.query.sort, page);
  });
};
