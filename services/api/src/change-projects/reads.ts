// Change-project queries: one project (the Location of StartChangeProject) and a collaborative's
// projects, in the one shape of the ChangeProject resource.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { changeProjectSorts, getChangeProject, listChangeProjectResources } from '@convene/projections';
import { requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from '../http/consistency';
import { agencyResourceReads } from '../http/agency-resources';
import { CollabParams, READERS, readErrors, uuid } from '../http/read-routes';
import { ChangeProjectSchema } from './resource';

export const changeProjectReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const { readOne, consistent } = agencyResourceReads(app, {
    name: 'change project', tag: 'change-projects', schema: ChangeProjectSchema,
    get: {
      path: '/v1/change-projects/:projectId', idParam: 'projectId', operationId: 'getChangeProject',
      summary: 'A change project: aim, team, PDSA cycles',
      description: 'The project StartChangeProject created (its Location). Readable by its agency, its coaches, admins and auditors.',
      load: (id) => getChangeProject(db, id),
    },
    list: {
      segment: 'change-projects', operationId: 'listChangeProjects', summary: 'Change projects of a collaborative, each with its team and PDSA cycles',
      description: "Filters: agency, status, owner (`agency` or `system`: the system-level Change Team's projects on the payer's processes, beside the agencies'). Sorted by start (default), target date or title, then id. Agency keys see their own projects, coaches with assigned agencies theirs; every key of the collaborative sees the system-level ones.",
      sorts: changeProjectSorts, defaultSort: 'startedAt',
      filters: { status: ChangeProjectSchema.shape.status.optional(), owner: ChangeProjectSchema.shape.owner.optional() },
      load: (q) => listChangeProjectResources(db, q),
    },
  });

  app.get('/v1/collaboratives/:collaborativeId/change-projects/:projectId', {
    schema: {
      operationId: 'getChangeProjectTimeline', summary: 'A change project with its PDSA cycles (deprecated: GET /v1/change-projects/{projectId})', tags: ['change-projects'],
      description: 'The same resource under the collaborative; kept for one version.', deprecated: true,
      params: CollabParams.extend({ projectId: uuid }), querystring: ConsistencyQuerySchema, response: { 200: ChangeProjectSchema, ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => readOne(request, request.params.projectId, request.params.collaborativeId));
};
