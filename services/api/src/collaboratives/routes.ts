// Collaborative queries: collaboratives, cohorts, the people directory, expenditures.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { expendituresByCategory } from '@convene/projections';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from '../http/consistency';
import { CollabParams, consistentReads, readErrors } from '../http/read-routes';
import { ExpendituresSchema } from './schemas';

export const collaborativeReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const consistent = consistentReads(app);

  app.get('/v1/collaboratives/:collaborativeId/expenditures', {
    schema: {
      operationId: 'getExpendituresByCategory', summary: 'Expenditures by category', tags: ['collaboratives'],
      description: 'Total spent (in cents) and the count of expenditures per category. No notes: analysts read it.',
      params: CollabParams, querystring: ConsistencyQuerySchema, response: { 200: ExpendituresSchema, ...readErrors },
    },
    preHandler: [requireRole('admin', 'coach', 'analyst', 'auditor'), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    assertInScope(principalOf(request), { collaborativeId });
    return expendituresByCategory(db, { collaborativeId });
  });
};
