// State-IT export: the aggregate report per collaborative / cohort / month, as JSON or CSV (same
// rows), incremental (`since` a position or `sinceDate`), with ETags. Small counts are suppressed,
// with complementary suppression, for analyst keys.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { stringify } from 'csv-stringify/sync';
import { foldProjection, progressProjection } from '@convene/projections';
import type { RecordedEvent } from '@convene/eventstore';
import { z } from 'zod';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { ProblemSchema } from '../http/problem';
import { occurredAt, readWholeFeed } from '../audit/events';
import { ALL_COHORTS, ALL_MONTHS, buildReport, COUNT_COLUMNS, RATE_NAMES, RATES, rateOf, type AgencyMonthRow, type CountColumn, type ReportCell } from './report';
import { suppress, type Grid } from './suppression';
import { strictInt } from '../http/query';

export const DEFAULT_SUPPRESSION_THRESHOLD = 11;

export type ExportRow = {
  collaborativeId: string;
  cohortId: string;
  month: string;
  agencies: number;
  suppressed: string;
} & Record<CountColumn, number | null> & Record<(typeof RATE_NAMES)[number], number | null>;

export const EXPORT_COLUMNS = ['collaborativeId', 'cohortId', 'month', 'agencies', ...COUNT_COLUMNS, ...RATE_NAMES, 'suppressed'] as const;

/** The report rows, suppressed with `threshold` when given. Pure. */
export function exportRows(collaborativeId: string, agencyMonths: readonly AgencyMonthRow[], threshold: number | null): ExportRow[] {
  const { cohorts, months, cells } = buildReport(collaborativeId, agencyMonths);
  const rowKeys = [...cohorts, ALL_COHORTS];
  const colKeys = [...months, ALL_MONTHS];
  const byKey = new Map(cells.map((c) => [`${c.cohortId}|${c.month}`, c]));
  const hidden = new Map<string, Set<CountColumn>>();
  if (threshold !== null) {
    for (const column of COUNT_COLUMNS) {
      const grid: Grid = rowKeys.map((r) => colKeys.map((m) => byKey.get(`${r}|${m}`)?.counts[column] ?? null));
      const s = suppress(grid, { threshold });
      rowKeys.forEach((r, i) =>
        colKeys.forEach((m, j) => {
          if (!s[i]![j]) return;
          const key = `${r}|${m}`;
          hidden.set(key, (hidden.get(key) ?? new Set()).add(column));
        }),
      );
    }
  }
  return cells.map((c: ReportCell) => {
    const gone = hidden.get(`${c.cohortId}|${c.month}`) ?? new Set<CountColumn>();
    const counts = Object.fromEntries(COUNT_COLUMNS.map((col) => [col, gone.has(col) ? null : c.counts[col]])) as Record<CountColumn, number | null>;
    const rates = Object.fromEntries(
      RATE_NAMES.map((r) => [r, RATES[r].some((col) => gone.has(col)) ? null : rateOf(counts, r)]),
    ) as Record<(typeof RATE_NAMES)[number], number | null>;
    return { collaborativeId, cohortId: c.cohortId, month: c.month, agencies: c.agencies, ...counts, ...rates, suppressed: [...gone].join(';') };
  });
}

export function toCsv(rows: readonly ExportRow[]): string {
  return stringify(rows.map((r) => EXPORT_COLUMNS.map((c) => r[c] ?? '')), { header: true, columns: [...EXPORT_COLUMNS] });
}

const ExportQuery = z.object({
  format: z.enum(['json', 'csv']).default('json'),
  since: strictInt({ description: 'Only rows changed by events after this global position' }).optional(),
  sinceDate: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('Only rows changed by events that occurred after this instant'),
  threshold: strictInt({ min: 1, max: 1000, description: 'Suppression threshold (analysts: never below the configured one)' }).optional(),
});

const ExportRowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

const fold = (events: readonly RecordedEvent[]) => (foldProjection(progressProjection, events).agency_months ?? []) as unknown as AgencyMonthRow[];

export function exportsPlugin(options: { threshold?: number } = {}): FastifyPluginAsyncZod {
  const configured = options.threshold ?? Number(process.env.CONVENE_SUPPRESSION_THRESHOLD ?? DEFAULT_SUPPRESSION_THRESHOLD);
  return async (app) => {
    app.get(
      '/v1/exports/collaboratives/:collaborativeId/monthly-report',
      {
        schema: {
          operationId: 'exportMonthlyReport',
          tags: ['exports'],
          summary: 'Aggregate counts and pooled rates per cohort and month (JSON or CSV); small counts suppressed for analysts',
          description: 'For state IT: no person data; `since` limits the rows to those changed after a global position.',
          params: z.object({ collaborativeId: z.uuid() }),
          querystring: ExportQuery,
          response: {
            200: z.object({ collaborativeId: z.string(), position: z.number().int(), threshold: z.number().int().nullable(), rows: z.array(ExportRowSchema) }).describe('JSON; with format=csv the same rows as text/csv'),
            304: z.null().describe('Not modified (If-None-Match)'),
            400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema,
          },
        },
        preHandler: requireRole('admin', 'auditor', 'analyst'),
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { collaborativeId } = request.params;
        assertInScope(principal, { collaborativeId });
        const { format, since, sinceDate } = request.query;
        const threshold = principal.role === 'analyst' ? Math.max(configured, request.query.threshold ?? configured) : (request.query.threshold ?? null);
        const events = (await readWholeFeed(app.deps.eventStore, { types: progressProjection.eventTypes, collaborativeId })).filter(
          (e) => (e.data as { collaborativeId?: unknown } | null)?.collaborativeId === collaborativeId,
        );
        const position = events.at(-1)?.globalPosition ?? 0;
        const etag = `W/"${createHash('sha256').update(JSON.stringify([collaborativeId, position, threshold, format, since ?? null, sinceDate ?? null])).digest('base64url').slice(0, 22)}"`;
        reply.header('etag', etag).header('cache-control', 'private, no-cache').header('convene-position', String(position));
        if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
        let rows = exportRows(collaborativeId, fold(events), threshold);
        if (since !== undefined || sinceDate !== undefined) {
          const bound = sinceDate ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(sinceDate) ? `${sinceDate}T23:59:59.999Z` : sinceDate) : undefined;
          const before = events.filter((e) => (since === undefined || e.globalPosition <= since) && (bound === undefined || occurredAt(e) <= bound));
          const old = new Map(exportRows(collaborativeId, fold(before), threshold).map((r) => [`${r.cohortId}|${r.month}`, JSON.stringify(r)]));
          rows = rows.filter((r) => old.get(`${r.cohortId}|${r.month}`) !== JSON.stringify(r));
        }
        if (format === 'csv') {
          return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="report-${collaborativeId}.csv"`).send(toCsv(rows) as never);
        }
        return { collaborativeId, position, threshold, rows };
      },
    );
  };
}
