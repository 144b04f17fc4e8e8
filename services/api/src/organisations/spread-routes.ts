// GET /v1/spread (issue 16): network coverage now, per collaborative and over time. Counts only.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { networkSpread } from '@convene/projections';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from '../http/consistency';
import { consistentReads, REPORT_READERS, readErrors, uuid } from '../http/read-routes';
import { isoDate } from '@convene/domain';
import { HttpProblem } from '../http/problem';
import { SpreadSchema } from './schemas';

export const spreadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  app.get('/v1/spread', {
    schema: {
      operationId: 'getSpread', summary: 'How far process improvement has spread over the network', tags: ['organisations'],
      description:
        'Provider organisations known, ever enrolled, completed, mentoring and mentoring an active agency: for the network, per collaborative (applied, enrolled, active, completed, withdrawn, mentees, mentors, mentors from earlier collaboratives) and cumulatively at the end of each `interval` (month or quarter) from `from` to `to` (default: the first enrolment to today). ' +
        'A scoped key counts its collaboratives only; `collaborativeId` narrows to one. Counts only: analysts may read it.',
      querystring: ConsistencyQuerySchema.extend({
        interval: z.enum(['month', 'quarter']).default('quarter'), collaborativeId: uuid.optional(), from: isoDate.optional(), to: isoDate.optional(),
      }).strict(),
      response: { 200: SpreadSchema, ...readErrors },
    },
    preHandler: [requireRole(...REPORT_READERS), consistentReads(app)],
  }, async (request) => {
    const principal = principalOf(request);
    const { interval, collaborativeId, from, to } = request.query;
    if (from && to && from > to)
      throw new HttpProblem(400, 'validation_error', 'query.to: must not be before from', { errors: [{ path: 'query.to', message: 'must not be before from' }] });
    if (collaborativeId) assertInScope(principal, { collaborativeId });
    const collaborativeIds = collaborativeId ? [collaborativeId] : principal.collaborativeIds;
    const today = (app.deps.clock ?? (() => new Date()))().toISOString().slice(0, 10);
    return networkSpread(db, { collaborativeIds, interval, today, ...(from ? { from } : {}), ...(to ? { to } : {}) });
  });
};
