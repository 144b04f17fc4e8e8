// Cohort progress and the aggregate report of a collaborative as they were at a date: the
// read-model team's progress projection folded in memory over the events that occurred by then.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { RecordedEvent } from '@convene/eventstore';
import { foldProjection, progressProjection } from '@convene/projections';
import { z } from 'zod';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { HttpProblem, ProblemSchema } from '../http/problem';
import { buildReport, rateOf, RATE_NAMES, type AgencyMonthRow } from '../exports/report';
import { occurredAt, readWholeFeed } from './events';

const Params = z.object({ collaborativeId: z.uuid() });
const AtQuery = z.object({
  at: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('An instant, or a date (its end, UTC); now when absent'),
});

/** End of the given day when a bare date is given. */
export const asOfInstant = (at: string | undefined): Date =>
  at === undefined ? new Date() : /^\d{4}-\d{2}-\d{2}$/.test(at) ? new Date(`${at}T23:59:59.999Z`) : new Date(at);

/** The progress tables of one collaborative folded from the events that occurred by `until`. */
export async function progressAsOf(events: readonly RecordedEvent[], collaborativeId: string, until: Date) {
  const mine = events.filter(
    (e) => (e.data as { collaborativeId?: unknown } | null)?.collaborativeId === collaborativeId && occurredAt(e) <= until,
  );
  const tables = foldProjection(progressProjection, mine);
  const of = (name: string) => (tables[name] ?? []).filter((r) => r.collaborative_id === collaborativeId || r.id === collaborativeId);
  return {
    position: mine.at(-1)?.globalPosition ?? 0,
    collaborative: of('collaboratives')[0] ?? null,
    cohorts: of('cohorts'),
    agencies: of('agencies'),
    agencyMonths: of('agency_months'),
  };
}

const Rows = z.array(z.record(z.string(), z.unknown()));

export const asOfRoutes: FastifyPluginAsyncZod = async (app) => {
  const load = async (collaborativeId: string, at: string | undefined, request: Parameters<typeof principalOf>[0]) => {
    assertInScope(principalOf(request), { collaborativeId });
    const events = await readWholeFeed(app.deps.eventStore, { types: progressProjection.eventTypes, collaborativeId });
    const until = asOfInstant(at);
    const progress = await progressAsOf(events, collaborativeId, until);
    if (!progress.collaborative) throw new HttpProblem(404, 'not_found', 'No such collaborative at that time');
    return { until, progress };
  };

  app.get(
    '/v1/audit/collaboratives/:collaborativeId/progress',
    {
      schema: {
        operationId: 'getCohortProgressAsOf',
        tags: ['audit'],
        summary: 'Cohort progress as it was at a date, rebuilt from the events up to it',
        description: 'Admins and auditors. Folds the feed up to the end of `at` (by the command clock), so later corrections do not show.',
        params: Params,
        querystring: AtQuery,
        response: {
          200: z.object({ asOf: z.string(), position: z.number().int(), collaborative: z.record(z.string(), z.unknown()), cohorts: Rows, agencies: Rows }),
          400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema,
        },
      },
      preHandler: requireRole('admin', 'auditor'),
    },
    async (request) => {
      const { until, progress } = await load(request.params.collaborativeId, request.query.at, request);
      return { asOf: until.toISOString(), position: progress.position, collaborative: progress.collaborative!, cohorts: progress.cohorts, agencies: progress.agencies };
    },
  );

  app.get(
    '/v1/audit/collaboratives/:collaborativeId/report',
    {
      schema: {
        operationId: 'getAggregateReportAsOf',
        tags: ['audit'],
        summary: 'The aggregate report per cohort and month (pooled counts and rates) as it was at a date',
        description: 'Admins and auditors. The monthly report as the events up to `at` made it.',
        params: Params,
        querystring: AtQuery,
        response: {
          200: z.object({ asOf: z.string(), position: z.number().int(), cells: Rows }),
          400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema,
        },
      },
      preHandler: requireRole('admin', 'auditor'),
    },
    async (request) => {
      const { until, progress } = await load(request.params.collaborativeId, request.query.at, request);
      const { cells } = buildReport(request.params.collaborativeId, progress.agencyMonths as unknown as AgencyMonthRow[]);
      return {
        asOf: until.toISOString(),
        position: progress.position,
        cells: cells.map((c) => ({ ...c, rates: Object.fromEntries(RATE_NAMES.map((r) => [r, rateOf(c.counts, r)])) })),
      };
    },
  );
};
