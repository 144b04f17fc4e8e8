// Report queries: cohort progress and the pooled aggregate report. Neither holds person data, so
// analysts read them.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { aggregateReport, catalogueAggregateOf, changeProjectSummary, cohortProgress } from '@convene/projections';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from '../http/consistency';
import { keysetOf, listPage, listQuery } from '../http/list';
import { CollabParams, consistentReads, notFound, readErrors, REPORT_READERS, uuid } from '../http/read-routes';
import { AggregateReportSchema, CohortProgressSchema } from './schemas';
import { analystThreshold, hiddenCells } from './suppressed-cells';

const monthParam = z.string().regex(/^\d{4}-\d{2}$/);

export const reportRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const consistent = consistentReads(app);

  app.get('/v1/collaboratives/:collaborativeId/cohorts/:cohortId/progress', {
    schema: {
      operationId: 'getCohortProgress', summary: 'Progress of every agency of a cohort', tags: ['reports'],
      description: 'One item per agency of the cohort: stage, roles filled (not who), walk-through, baseline, months reported and missing, projects, cycles, attendance and each measure at baseline and latest. No person data.',
      params: CollabParams.extend({ cohortId: uuid }),
      querystring: listQuery({ sorts: ['agencyName', 'stage'], defaultSort: 'agencyName', maxLimit: 500 }),
      response: { 200: CohortProgressSchema, ...readErrors },
    },
    preHandler: [requireRole(...REPORT_READERS), consistent],
  }, async (request) => {
    const { collaborativeId, cohortId } = request.params;
    assertInScope(principalOf(request), { collaborativeId });
    const page = await cohortProgress(db, { collaborativeId, cohortId, keyset: keysetOf(request.query) });
    if (!page.cohort) throw notFound('cohort');
    return { collaborativeId, cohortId, ...listPage(request.query.sort, page) };
  });

  app.get('/v1/collaboratives/:collaborativeId/reports/aggregate', {
    schema: {
      operationId: 'getAggregateReport', summary: 'Pooled measures, change against baseline, run charts (no person data)', tags: ['reports'],
      description: '`catalogue`: every measure of the collaborative\'s catalogue pooled per reporting period by its type (sum of numerators over sum of denominators; counts summed), its change against the pooled baseline, how many agencies improved, run-chart signals and the control limits of its chart. `measures`: the NIATx counts report of a niatx collaborative (the same figures as before the catalogue; empty for other templates). `from`/`to` bound the months (YYYY-MM; a quarter counts when all its months lie within). Analysts: the pooled cells the analyst export hides (small cells under the threshold, with complementary suppression) are left out before pooling, in both parts; `suppressed` lists a measure\'s withheld periods. `changeProjects`: the agencies\' change projects tallied (of the cohort when given) beside the system-level Change Team\'s (issue 16), which are listed.',
      params: CollabParams,
      querystring: ConsistencyQuerySchema.extend({ cohortId: uuid.optional(), from: monthParam.optional(), to: monthParam.optional() }),
      response: { 200: AggregateReportSchema, ...readErrors },
    },
    preHandler: [requireRole(...REPORT_READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    const principal = principalOf(request);
    assertInScope(principal, { collaborativeId });
    const { cohortId, from, to } = request.query;
    const q = { collaborativeId, ...(cohortId ? { cohortId } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) };
    // Analysts: the cells the analyst export hides are left out before pooling (both parts).
    const hidden = principal.role === 'analyst' ? await hiddenCells(db, collaborativeId, cohortId, analystThreshold()) : undefined;
    const [legacy, catalogue, changeProjects] = await Promise.all([
      aggregateReport(db, q, hidden), catalogueAggregateOf(db, q, hidden), changeProjectSummary(db, { collaborativeId, ...(cohortId ? { cohortId } : {}) }),
    ]);
    // The fixed NIATx report only where the catalogue is NIATx's (it names NIATx counts).
    const niatx = (catalogue?.template ?? 'niatx') === 'niatx';
    return { ...legacy, template: catalogue?.template ?? null, catalogue: catalogue?.measures ?? [], ...(niatx ? {} : { months: [], measures: [] }), changeProjects };
  });
};
