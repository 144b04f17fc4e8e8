// TO BE MOVED by the reads-schedule engineer (issue 14): the change-project, site-visit and meeting
// query routes still live here, together, only until they move into change-projects/, site-visits/
// and meetings/ (each context's routes beside its schemas), in the list style of http/list.ts
// (`listQuery`, `keysetOf`, `listPage`: sort by business date, then id). Delete this file then.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changeProjectTimeline, listChangeProjects, listMeetings, listSiteVisits } from '@convene/projections';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from '../http/consistency';
import { decodeCursor, encodeCursor, PageQuerySchema, pageSchema } from '../http/pagination';
import { HttpProblem } from '../http/problem';
import { agencyFilter, CollabParams, consistentReads, READERS, readErrors as errors, uuid } from '../http/read-routes';
import { ChangeProjectSchema, TimelineSchema } from '../change-projects/schemas';
import { MeetingSchema } from '../meetings/schemas';
import { SiteVisitSchema } from '../site-visits/schemas';

const ListQuery = PageQuerySchema.extend(ConsistencyQuerySchema.shape);
const afterOf = (cursor: string | undefined) => {
  const key = decodeCursor(cursor, 1)?.[0];
  return typeof key === 'string' ? key : undefined;
};
const cursorOf = (nextAfter: string | null) => (nextAfter ? encodeCursor([nextAfter]) : null);

export const scheduleReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const consistent = consistentReads(app);
  const typed = app;

  typed.get('/v1/collaboratives/:collaborativeId/change-projects', {
    schema: { operationId: 'listChangeProjects', summary: 'Change projects', tags: ['reports'], params: CollabParams, querystring: ListQuery.extend({ agencyId: uuid.optional(), status: z.enum(['active', 'completed', 'abandoned']).optional() }), response: { 200: pageSchema(ChangeProjectSchema), ...errors } },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    const agencyId = agencyFilter(request, collaborativeId, request.query.agencyId);
    const page = await listChangeProjects(db, { collaborativeId, ...(agencyId ? { agencyId } : {}), ...(request.query.status ? { status: request.query.status } : {}), limit: request.query.limit, after: afterOf(request.query.cursor) });
    return { items: page.items, nextCursor: cursorOf(page.nextAfter) };
  });

  typed.get('/v1/collaboratives/:collaborativeId/change-projects/:projectId', {
    schema: { operationId: 'getChangeProjectTimeline', summary: 'A change project with its PDSA cycles', tags: ['reports'], params: CollabParams.extend({ projectId: uuid }), querystring: ConsistencyQuerySchema, response: { 200: TimelineSchema, ...errors } },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId, projectId } = request.params;
    const timeline = await changeProjectTimeline(db, { collaborativeId, projectId });
    if (!timeline) throw new HttpProblem(404, 'not_found', 'No such change project');
    assertInScope(principalOf(request), { collaborativeId, agencyId: timeline.agencyId });
    return timeline;
  });

  typed.get('/v1/collaboratives/:collaborativeId/site-visits', {
    schema: { operationId: 'listSiteVisits', summary: 'Site-visit schedule', tags: ['reports'], params: CollabParams, querystring: ListQuery.extend({ agencyId: uuid.optional(), status: z.enum(['scheduled', 'cancelled', 'completed']).optional() }), response: { 200: pageSchema(SiteVisitSchema), ...errors } },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    const agencyId = agencyFilter(request, collaborativeId, request.query.agencyId);
    const page = await listSiteVisits(db, { collaborativeId, ...(agencyId ? { agencyId } : {}), ...(request.query.status ? { status: request.query.status } : {}), limit: request.query.limit, after: afterOf(request.query.cursor) });
    return { items: page.items, nextCursor: cursorOf(page.nextAfter) };
  });

  typed.get('/v1/collaboratives/:collaborativeId/meetings', {
    schema: { operationId: 'listMeetings', summary: 'Meeting calendar with attendance and minutes status', tags: ['reports'], params: CollabParams, querystring: ListQuery, response: { 200: pageSchema(MeetingSchema), ...errors } },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    assertInScope(principalOf(request), { collaborativeId });
    const page = await listMeetings(db, { collaborativeId, limit: request.query.limit, after: afterOf(request.query.cursor) });
    return { items: page.items, nextCursor: cursorOf(page.nextAfter) };
  });

};
