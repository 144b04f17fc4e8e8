// Site-visit queries: one visit (the Location of ScheduleSiteVisit) and a collaborative's visits.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getSiteVisit, listSiteVisitResources } from '@convene/projections';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import type { Principal } from '../auth/keys';
import { ConsistencyQuerySchema } from '../http/consistency';
import { keysetOf, listPage, listQuery } from '../http/list';
import { pageSchema } from '../http/pagination';
import { CollabParams, consistentReads, notFound, READERS, readErrors, uuid } from '../http/read-routes';
import { DateOrTime } from '../meetings/reads';
import { SiteVisitResourceSchema } from './resource';

/** The agencies a key's lists are limited to: its own (agency), its assigned ones (coach), else all (undefined). */
export function listedAgencies(principal: Principal): string[] | undefined {
  if (principal.role === 'agency') return principal.agencyIds;
  if (principal.role === 'coach' && principal.agencyIds.length > 0) return principal.agencyIds;
  return undefined;
}

export const siteVisitReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const consistent = consistentReads(app);

  app.get('/v1/site-visits/:visitId', {
    schema: {
      operationId: 'getSiteVisit', summary: 'A site visit: coach, agency, agenda, reschedules, status, summary report', tags: ['site-visits'],
      description: 'The visit ScheduleSiteVisit created (its Location). Readable by the agency visited, its coaches, admins and auditors.',
      params: z.object({ visitId: uuid }), querystring: ConsistencyQuerySchema, response: { 200: SiteVisitResourceSchema, ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const visit = await getSiteVisit(db, request.params.visitId);
    if (!visit) throw notFound('site visit');
    assertInScope(principalOf(request), { collaborativeId: visit.collaborativeId, agencyId: visit.agencyId });
    return visit;
  });

  app.get('/v1/collaboratives/:collaborativeId/site-visits', {
    schema: {
      operationId: 'listSiteVisits', summary: 'Site visits of a collaborative, by visit time', tags: ['site-visits'],
      description: 'Filters: agency, coach, status, visit time range (`from` inclusive, `to` exclusive; a date `to` includes that day). Sorted by the visit instant (UTC), then id. Agency keys see their own visits, coaches with assigned agencies theirs.',
      params: CollabParams,
      querystring: listQuery({ sorts: ['scheduledAt'], defaultSort: 'scheduledAt' }).extend({
        agencyId: uuid.optional(), coachId: uuid.optional(),
        status: SiteVisitResourceSchema.shape.status.optional(),
        from: DateOrTime.optional().describe('Visits at or after (date or date-time)'),
        to: DateOrTime.optional().describe('Visits before (a date: through that day)'),
      }),
      response: { 200: pageSchema(SiteVisitResourceSchema), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    const principal = principalOf(request);
    const q = request.query;
    assertInScope(principal, q.agencyId ? { collaborativeId, agencyId: q.agencyId } : { collaborativeId });
    const agencyIds = listedAgencies(principal);
    const page = await listSiteVisitResources(db, {
      collaborativeId, keyset: keysetOf(q),
      ...(agencyIds ? { agencyIds } : {}), ...(q.agencyId ? { agencyId: q.agencyId } : {}), ...(q.coachId ? { coachId: q.coachId } : {}),
      ...(q.status ? { status: q.status } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}),
    });
    return listPage(q.sort, page);
  });
};
