// The measures context's reads (issue 15): the catalogue, a measure's report and chart, the coach's
// review lists and the assessment history. Commands (define, retire, draft, submit, correct,
// assess) are domain commands in the command table.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dueSubmissions, getCatalogue, listAssessments, listSubmissions, measureReportOf, type HiddenCell } from '@convene/projections';
import { analystThreshold, hiddenCells } from '../reports/suppressed-cells';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from '../http/consistency';
import { keysetOf, listPage, listQuery } from '../http/list';
import { pageSchema } from '../http/pagination';
import { HttpProblem } from '../http/problem';
import { CollabParams, consistentReads, notFound, READERS, readErrors, uuid } from '../http/read-routes';
import { visibleAgencyIds } from '../http/scope';

// The agencies a key sees by name (undefined: every agency).
const listedAgencies = (principal: Parameters<typeof visibleAgencyIds>[0]) => visibleAgencyIds(principal) ?? undefined;
import { chartInput, renderChart } from './chart';
import { AssessmentSchema, CatalogueSchema, DuePeriodSchema, MeasureReportSchema, SubmissionSchema } from './schemas';
import { visibleReport } from './visibility';

const ALL_ROLES = ['admin', 'coach', 'agency', 'analyst', 'auditor'] as const;
// Path segments are not pattern-checked: an id the catalogue does not hold is a 404.
const measureId = z.string().min(1).max(63).describe('A measure id of the catalogue');
const periodKey = z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$|^baseline$/).describe('A month YYYY-MM, a quarter YYYY-Qn or baseline');

export const measureReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const consistent = consistentReads(app);
  const clock = () => app.deps.clock?.() ?? new Date();

  app.get('/v1/collaboratives/:collaborativeId/catalogue', {
    schema: {
      operationId: 'getMeasureCatalogue', summary: "The collaborative's measure catalogue", tags: ['measures'],
      description: 'Every measure (active and retired) with its definition, type, unit, direction, period, target, whether required and its stratification. No person data: every role of the collaborative reads it.',
      params: CollabParams, querystring: ConsistencyQuerySchema, response: { 200: CatalogueSchema, ...readErrors },
    },
    preHandler: [requireRole(...ALL_ROLES), consistent],
  }, async (request) => {
    assertInScope(principalOf(request), { collaborativeId: request.params.collaborativeId });
    const c = await getCatalogue(db, request.params.collaborativeId);
    if (!c) throw notFound('collaborative');
    return c;
  });

  const reportOf = async (collaborativeId: string, id: string, cohortId: string | undefined, hidden?: HiddenCell) => {
    const report = await measureReportOf(db, { collaborativeId, measureId: id, ...(cohortId ? { cohortId } : {}) }, hidden);
    if (!report) throw notFound('measure in this catalogue');
    return report;
  };

  app.get('/v1/collaboratives/:collaborativeId/measures/:measureId/report', {
    schema: {
      operationId: 'getMeasureReport', summary: 'One measure pooled per period, against baseline, with signals, control limits and each agency\'s series', tags: ['measures'],
      description: 'Pooled across the collaborative (or `cohortId`): sum of numerators over sum of denominators per type, change against the pooled baseline, agencies improved, IHI run-chart signals and the control chart of the type (p, u, c, XmR), strata and the PDSA cycles aimed at the measure. Agency keys see their own series by id and the others anonymised (coach keys limited to some agencies: theirs by id); analysts see per-agency series with complementary small-cell suppression (cells under 11).',
      params: CollabParams.extend({ measureId }), querystring: ConsistencyQuerySchema.extend({ cohortId: uuid.optional() }).strict(),
      response: { 200: MeasureReportSchema, ...readErrors },
    },
    preHandler: [requireRole(...ALL_ROLES), consistent],
  }, async (request) => {
    const { collaborativeId, measureId: id } = request.params;
    const principal = principalOf(request);
    assertInScope(principal, { collaborativeId });
    // Analysts: the pooled cells, strata and category counts the analyst export hides are withheld here too.
    const hidden = principal.role === 'analyst' ? await hiddenCells(db, collaborativeId, request.query.cohortId, analystThreshold()) : undefined;
    return visibleReport(await reportOf(collaborativeId, id, request.query.cohortId, hidden), principal);
  });

  app.get('/v1/collaboratives/:collaborativeId/charts/:chart', {
    schema: {
      operationId: 'getMeasureChart', summary: 'A measure\'s run or control chart as an SVG picture', tags: ['measures'],
      description: '`{measureId}.svg`: the pooled series with its control limits (`kind=control`, the default; p, u, c or XmR by type) or median (`kind=run`), signal points in red and PDSA cycles aimed at the measure as dashed rules at the period they began. `agencyId` draws one agency\'s run chart (an agency key: its own only).',
      params: CollabParams.extend({ chart: z.string().min(5).max(67).describe('{measureId}.svg') }),
      querystring: ConsistencyQuerySchema.extend({ cohortId: uuid.optional(), agencyId: uuid.optional(), kind: z.enum(['run', 'control']).default('control') }).strict(),
      // The picture itself (an SVG document), not JSON.
      produces: ['image/svg+xml'],
      response: { 200: z.string().describe('The chart as an SVG document (image/svg+xml)'), ...readErrors },
    },
    preHandler: [requireRole(...ALL_ROLES), consistent],
  }, async (request, reply) => {
    const { collaborativeId, chart } = request.params;
    const principal = principalOf(request);
    const { agencyId, cohortId, kind } = request.query;
    assertInScope(principal, agencyId ? { collaborativeId, agencyId } : { collaborativeId });
    if (agencyId && principal.role === 'analyst') throw new HttpProblem(403, 'out_of_scope', 'Analysts read per-agency series through the suppressed report');
    if (!chart.endsWith('.svg')) throw notFound('chart (charts are {measureId}.svg)');
    const hidden = principal.role === 'analyst' ? await hiddenCells(db, collaborativeId, cohortId, analystThreshold()) : undefined;
    const report = await reportOf(collaborativeId, chart.slice(0, -4), cohortId, hidden);
    const svg = await renderChart(chartInput(report, { kind, ...(agencyId ? { agencyId } : {}) }));
    return reply.type('image/svg+xml; charset=utf-8').send(svg);
  });

  app.get('/v1/collaboratives/:collaborativeId/submissions', {
    schema: {
      operationId: 'listMeasureSubmissions', summary: 'Submissions of measures: drafts, submitted values, corrections, assessments', tags: ['measures'],
      description: 'The coach\'s review queue with `awaitingAssessment=true` (submitted, not yet assessed). Filters: agencyId, status, period. Sorted by the end of the period (`period`) or `submittedAt`. Agency keys see their own agency, coaches with assigned agencies theirs.',
      params: CollabParams,
      querystring: listQuery({ sorts: ['period', 'submittedAt'], defaultSort: 'period' }).extend({
        agencyId: uuid.optional(), status: z.enum(['draft', 'submitted']).optional(), period: periodKey.optional(),
        awaitingAssessment: z.enum(['true', 'false']).optional().describe('true: submitted and not assessed; false: assessed'),
      }),
      response: { 200: pageSchema(SubmissionSchema), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    const principal = principalOf(request);
    const q = request.query;
    assertInScope(principal, q.agencyId ? { collaborativeId, agencyId: q.agencyId } : { collaborativeId });
    const agencyIds = listedAgencies(principal);
    const page = await listSubmissions(db, {
      collaborativeId, keyset: keysetOf(q), ...(agencyIds ? { agencyIds } : {}), ...(q.agencyId ? { agencyId: q.agencyId } : {}),
      ...(q.status ? { status: q.status } : {}), ...(q.period ? { period: q.period } : {}),
      ...(q.awaitingAssessment ? { awaitingAssessment: q.awaitingAssessment === 'true' } : {}),
    });
    return listPage(q.sort, page);
  });

  app.get('/v1/collaboratives/:collaborativeId/submissions/due', {
    schema: {
      operationId: 'listDueSubmissions', summary: 'Reporting periods ended and not submitted, with the contact to chase', tags: ['measures'],
      description: 'For each active agency with a baseline: every month or quarter (by the catalogue\'s measures) that has ended since the baseline without a submission, whether a draft is saved, and the Change Leader (else the application contact) to chase. By agency name, then period.',
      params: CollabParams, querystring: ConsistencyQuerySchema.extend({ today: z.iso.date().optional().describe('Default: the server date') }).strict(),
      response: { 200: z.object({ items: z.array(DuePeriodSchema) }), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    const principal = principalOf(request);
    assertInScope(principal, { collaborativeId });
    const agencyIds = listedAgencies(principal);
    const today = request.query.today ?? clock().toISOString().slice(0, 10);
    return { items: await dueSubmissions(db, { collaborativeId, today, ...(agencyIds ? { agencyIds } : {}) }) };
  });

  app.get('/v1/collaboratives/:collaborativeId/agencies/:agencyId/assessments', {
    schema: {
      operationId: 'listProgressAssessments', summary: "The coach's progress assessments of an agency (IHI scale, comment)", tags: ['measures'],
      description: 'One item per assessment (agency and period, score 0.5-5.0, comment, coach, time), by time. Visible to the agency.',
      params: CollabParams.extend({ agencyId: uuid }), querystring: listQuery({ sorts: ['assessedAt'], defaultSort: 'assessedAt' }),
      response: { 200: pageSchema(AssessmentSchema), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId, agencyId } = request.params;
    assertInScope(principalOf(request), { collaborativeId, agencyId });
    return listPage(request.query.sort, await listAssessments(db, { collaborativeId, agencyId, keyset: keysetOf(request.query) }));
  });
};
