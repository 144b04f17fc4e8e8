// Participation queries: agencies of a collaborative (every stage), applications, coaching notes.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { agencyDetail } from '@convene/projections';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from '../http/consistency';
import { CollabParams, consistentReads, notFound, READERS, readErrors, uuid } from '../http/read-routes';
import { AgencyDetailSchema } from './schemas';

export const participationReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const consistent = consistentReads(app);

  app.get('/v1/collaboratives/:collaborativeId/agencies/:agencyId', {
    schema: {
      operationId: 'getAgency', summary: 'An agency in a collaborative: progress, roles, projects, site visits', tags: ['participation'],
      description: 'The agency at every stage from applied to completed or withdrawn: its contact and role holders (person data: not for analysts), coach and peer mentor, walk-through, baseline period, months reported and missing, change projects and site visits. The `Location` of `SubmitApplication`.',
      params: CollabParams.extend({ agencyId: uuid }),
      querystring: ConsistencyQuerySchema,
      response: { 200: AgencyDetailSchema, ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId, agencyId } = request.params;
    assertInScope(principalOf(request), { collaborativeId, agencyId });
    const detail = await agencyDetail(db, { collaborativeId, agencyId });
    if (!detail) throw notFound('agency in this collaborative');
    return detail;
  });
};
