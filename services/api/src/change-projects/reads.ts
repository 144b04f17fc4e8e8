// Change-project queries: one project (the Location of StartChangeProject) and a collaborative's projects.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changeProjectSorts, getChangeProject, listChangeProjectResources } from '@convene/projections';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from '../http/consistency';
import { keysetOf, listPage, listQuery } from '../http/list';
import { pageSchema } from '../http/pagination';
import { CollabParams, consistentReads, notFound, READERS, readErrors, uuid } from '../http/read-routes';
import { listedAgencies } from '../site-visits/reads';
import { ChangeProjectItemSchema, ChangeProjectResourceSchema } from './resource';

export const changeProjectReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const consistent = consistentReads(app);

  const readProject = async (projectId: string, collaborativeId: string | undefined, request: Parameters<typeof principalOf>[0]) => {
    const project = await getChangeProject(db, projectId);
    if (!project || (collaborativeId && project.collaborativeId !== collaborativeId)) throw notFound('change project');
    assertInScope(principalOf(request), { collaborativeId: project.collaborativeId, agencyId: project.agencyId });
    return project;
  };

  app.get('/v1/change-projects/:projectId', {
    schema: {
      operationId: 'getChangeProject', summary: 'A change project: aim, team, PDSA cycles', tags: ['change-projects'],
      description: 'The project StartChangeProject created (its Location). Readable by its agency, its coaches, admins and auditors.',
      params: z.object({ projectId: uuid }), querystring: ConsistencyQuerySchema, response: { 200: ChangeProjectResourceSchema, ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => readProject(request.params.projectId, undefined, request));

  app.get('/v1/collaboratives/:collaborativeId/change-projects/:projectId', {
    schema: {
      operationId: 'getChangeProjectTimeline', summary: 'A change project with its PDSA cycles (deprecated: GET /v1/change-projects/{projectId})', tags: ['change-projects'],
      description: 'The same resource under the collaborative; kept for one version.', deprecated: true,
      params: CollabParams.extend({ projectId: uuid }), querystring: ConsistencyQuerySchema, response: { 200: ChangeProjectResourceSchema, ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => readProject(request.params.projectId, request.params.collaborativeId, request));

  app.get('/v1/collaboratives/:collaborativeId/change-projects', {
    schema: {
      operationId: 'listChangeProjects', summary: 'Change projects of a collaborative', tags: ['change-projects'],
      description: 'Filters: agency, status. Sorted by start (default), target date or title, then id. Agency keys see their own projects, coaches with assigned agencies theirs.',
      params: CollabParams,
      querystring: listQuery({ sorts: changeProjectSorts, defaultSort: 'startedAt' }).extend({
        agencyId: uuid.optional(), status: ChangeProjectItemSchema.shape.status.optional(),
      }),
      response: { 200: pageSchema(ChangeProjectItemSchema), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    const principal = principalOf(request);
    const q = request.query;
    assertInScope(principal, q.agencyId ? { collaborativeId, agencyId: q.agencyId } : { collaborativeId });
    const agencyIds = listedAgencies(principal);
    const page = await listChangeProjectResources(db, {
      collaborativeId, keyset: keysetOf(q),
      ...(agencyIds ? { agencyIds } : {}), ...(q.agencyId ? { agencyId: q.agencyId } : {}), ...(q.status ? { status: q.status } : {}),
    });
    return listPage(q.sort, page);
  });
};
