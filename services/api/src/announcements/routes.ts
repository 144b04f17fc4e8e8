// Announcements (issue 18): the convener (admin) sends an update to an audience of the
// collaborative; the API resolves the audience from the read models at that moment and records
// the recipients in the event; the worker mails each of them once. Agencies read a feed of the
// announcements that reached them.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AnnouncementAudience } from '@convene/domain';
import { getAnnouncement, isCaughtUp, lastSettledPosition, listAnnouncements, resolveAudience } from '@convene/projections';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { handleCommand } from '../commands/execute';
import { commandRouteSchema, countCommand } from '../commands/plugin';
import { commandSchemas } from '../commands/schemas';
import { ConsistencyQuerySchema, waitUntilCaughtUp } from '../http/consistency';
import { notReadyResponse } from '../http/declared-responses';
import { HttpProblem } from '../http/problem';
import { keysetOf, listPage, listQuery } from '../http/list';
import { pageSchema } from '../http/pagination';
import type { Principal } from '../auth/keys';
import { CollabParams, consistentReads, notFound, nullableString, READERS, readErrors, uuid } from '../http/read-routes';

/** Who reads the feed: the convener's staff (admins, coaches), auditors, and agencies (what reached them). */
const FEED_READERS = READERS;
/** An agency key reads what reached its agency; the convener's staff and auditors read every announcement. */
const feedAgencies = (principal: Principal): string[] | null => (principal.role === 'agency' ? principal.agencyIds : null);

export const AnnouncementSchema = z
  .object({
    announcementId: z.string(), collaborativeId: z.string(), subject: z.string(), body: z.string(),
    audience: z.string().describe('all_agencies, cohort, executive_sponsors, change_leaders, stakeholders or mentors'),
    cohortId: nullableString, sentAt: z.string(), recipientCount: z.number().int().describe('People it was sent to'),
    agencies: z.array(z.object({ agencyId: z.string(), roles: z.array(z.string()) })).describe('The agencies it reached and to whom there (an agency key sees its own only)'),
  })
  .meta({ id: 'Announcement' });

export const announcementRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const send = commandSchemas.SendAnnouncement;

  app.route({
    method: 'POST',
    url: send.spec.path,
    schema: {
      ...commandRouteSchema(send),
      description: `${commandRouteSchema(send).description} The audience is resolved when it is sent, from the directory: its people are recorded in the event and each gets the e-mail once (422 \`audience_empty\` when nobody with an address is in it).`,
      // Resolving the audience reads the read models: they may lag or be rebuilding (found by the fuzz at 40 runs per operation).
      response: {
        ...commandRouteSchema(send).response,
        503: notReadyResponse('not_yet_consistent (the directory has not caught up with the latest changes) or read_model_not_ready (a read model the audience is resolved from is being built); retry after Retry-After'),
      },
    },
    onResponse: countCommand('SendAnnouncement'),
    preHandler: [requireRole('admin')],
    handler: async (request, reply) => {
      const params = request.params as unknown as { collaborativeId: string };
      const body = request.body as { audience: AnnouncementAudience; cohortId?: string } & Record<string, unknown>;
      assertInScope(principalOf(request), { collaborativeId: params.collaborativeId });
      // The audience is who is in it now: the read models it resolves from first take in every
      // event already stored (a Change Leader named a moment ago is reached), bounded like consistentWith.
      const head = await lastSettledPosition(db);
      const current = await waitUntilCaughtUp(head, { isCaughtUp: (p) => isCaughtUp(db, p, ['directory', 'progress', 'network']), maxWaitMs: app.deps.config.CONSISTENCY_WAIT_MS });
      if (!current) throw new HttpProblem(503, 'not_yet_consistent', 'The directory has not caught up with the latest changes yet; retry', { headers: { 'retry-after': '1' } });
      const recipients = await resolveAudience(db, { collaborativeId: params.collaborativeId, audience: body.audience, ...(body.cohortId ? { cohortId: body.cohortId } : {}) });
      // The fingerprint is the request: a retry under the same Idempotency-Key answers the first send.
      await handleCommand(request, reply, send, params, { ...body, recipients }, request.headers as never, { fingerprintBody: body });
      return reply;
    },
  });

  app.get('/v1/collaboratives/:collaborativeId/announcements', {
    schema: {
      operationId: 'listAnnouncements', summary: 'Announcements sent to the collaborative\'s audiences (an agency: those that reached it)', tags: ['announcements'],
      description: 'Newest last by default (`sort=-sentAt` for newest first). An agency key reads the announcements that reached its agency, with its own recipients\' roles only; admins, coaches and auditors read all.',
      params: CollabParams,
      querystring: listQuery({ sorts: ['sentAt'], defaultSort: 'sentAt' }),
      response: { 200: pageSchema(AnnouncementSchema), ...readErrors },
    },
    preHandler: [requireRole(...FEED_READERS), consistentReads(app)],
  }, async (request) => {
    const principal = principalOf(request);
    const { collaborativeId } = request.params;
    assertInScope(principal, { collaborativeId });
    const page = await listAnnouncements(db, { collaborativeId, keyset: keysetOf(request.query), agencyIds: feedAgencies(principal) });
    return listPage(request.query.sort, page);
  });

  app.get('/v1/collaboratives/:collaborativeId/announcements/:announcementId', {
    schema: {
      operationId: 'getAnnouncement', summary: 'One announcement (the Location SendAnnouncement answers)', tags: ['announcements'],
      description: 'As in the feed; an agency key reads it only when it reached its agency (else 404).',
      params: CollabParams.extend({ announcementId: uuid.describe('The announcement') }),
      querystring: ConsistencyQuerySchema,
      response: { 200: AnnouncementSchema, ...readErrors },
    },
    preHandler: [requireRole(...FEED_READERS), consistentReads(app)],
  }, async (request) => {
    const principal = principalOf(request);
    const { collaborativeId, announcementId } = request.params;
    assertInScope(principal, { collaborativeId });
    const item = await getAnnouncement(db, { collaborativeId, announcementId, agencyIds: feedAgencies(principal) });
    if (!item) throw notFound('announcement');
    return item;
  });
};
