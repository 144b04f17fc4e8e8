// State-IT exports: the NIATx monthly report and the catalogue measures report (issue 15: every
// measure of any catalogue, with the baseline), per collaborative / cohort / period, as JSON or CSV (same
// rows), incremental (`since` a position or `sinceDate`), with ETags. Small counts are suppressed,
// with complementary suppression, for analyst keys.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { stringify } from 'csv-stringify/sync';
import { foldProjection, measuresProjection, progressProjection } from '@convene/projections';
import type { CatalogueEntry } from '@convene/domain';
import type { RecordedEvent } from '@convene/eventstore';
import { z } from 'zod';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { ProblemSchema } from '../http/problem';
import { occurredAt, readWholeFeed } from '../audit/events';
import { ALL_COHORTS, ALL_MONTHS, buildReport, COUNT_COLUMNS, RATE_NAMES, RATES, rateOf, type AgencyMonthRow, type CountColumn, type ReportCell } from './report';
import { suppress, type Grid } from './suppression';
import { CATALOGUE_EXPORT_COLUMNS, catalogueExportRows, type CatalogueExportRow, type SubmissionRow } from './catalogue-export';
import { monthlyColumns, monthlyRows } from './monthly-catalogue';
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

const ExportQuery = z.object({
  format: z.enum(['json', 'csv']).default('json'),
  since: strictInt({ description: 'Only rows changed by events after this global position' }).optional(),
  sinceDate: z.iso.datetime({ offset: true }).or(z.iso.date()).optional().describe('Only rows changed by events that occurred after this instant'),
  threshold: strictInt({ min: 1, max: 1000, description: 'Suppression threshold (analysts: never below the configured one)' }).optional(),
});

const ExportRowSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));

const foldMonths = (events: readonly RecordedEvent[]) => (foldProjection(progressProjection, events).agency_months ?? []) as unknown as AgencyMonthRow[];

/** The catalogue (the last launched or extended one folded), its template and the submitted submissions. */
function foldCatalogue(collaborativeId: string, events: readonly RecordedEvent[]): { template: string | null; catalogue: CatalogueEntry[]; submissions: SubmissionRow[] } {
  const model = foldProjection(measuresProjection, events);
  const row = (model.catalogues ?? []).find((c) => c.id === collaborativeId);
  return { template: (row?.template as string | undefined) ?? null, catalogue: (row?.measures ?? []) as CatalogueEntry[], submissions: (model.submissions ?? []) as unknown as SubmissionRow[] };
}

interface ExportSpec<R extends object> {
  path: string;
  operationId: string;
  summary: string;
  description: string;
  eventTypes: string[];
  rows: (collaborativeId: string, events: readonly RecordedEvent[], threshold: number | null) => R[];
  key: (row: R) => string;
  /** The CSV columns: fixed, or following the collaborative's catalogue. */
  columns: readonly (keyof R & string)[] | ((collaborativeId: string, events: readonly RecordedEvent[]) => readonly string[]);
  filename: string;
}

export function exportsPlugin(options: { threshold?: number } = {}): FastifyPluginAsyncZod {
  // `||`: an empty CONVENE_SUPPRESSION_THRESHOLD (as .env.example has it) means the default, not 0 (no suppression).
  const configured = options.threshold ?? Number(process.env.CONVENE_SUPPRESSION_THRESHOLD || DEFAULT_SUPPRESSION_THRESHOLD);
  return async (app) => {
    const route = <R extends object>(spec: ExportSpec<R>) =>
      app.get(
        spec.path,
        {
          schema: {
            operationId: spec.operationId,
            tags: ['exports'],
            summary: spec.summary,
            description: spec.description,
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
          const events = (await readWholeFeed(app.deps.eventStore, { types: spec.eventTypes, collaborativeId })).filter(
            (e) => (e.data as { collaborativeId?: unknown } | null)?.collaborativeId === collaborativeId,
          );
          const position = events.at(-1)?.globalPosition ?? 0;
          const etag = `W/"${createHash('sha256').update(JSON.stringify([spec.operationId, collaborativeId, position, threshold, format, since ?? null, sinceDate ?? null])).digest('base64url').slice(0, 22)}"`;
          reply.header('etag', etag).header('cache-control', 'private, no-cache').header('convene-position', String(position));
          if (request.headers['if-none-match'] === etag) return reply.code(304).send(null);
          let rows = spec.rows(collaborativeId, events, threshold);
          if (since !== undefined || sinceDate !== undefined) {
            const bound = sinceDate ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(sinceDate) ? `${sinceDate}T23:59:59.999Z` : sinceDate) : undefined;
            const before = events.filter((e) => (since === undefined || e.globalPosition <= since) && (bound === undefined || occurredAt(e) <= bound));
            const old = new Map(spec.rows(collaborativeId, before, threshold).map((r) => [spec.key(r), JSON.stringify(r)]));
            rows = rows.filter((r) => old.get(spec.key(r)) !== JSON.stringify(r));
          }
          if (format === 'csv') {
            const columns = typeof spec.columns === 'function' ? spec.columns(collaborativeId, events) : (spec.columns as readonly string[]);
            const csv = stringify(rows.map((r) => columns.map((c) => ((r as Record<string, unknown>)[c] as unknown) ?? '')), { header: true, columns: [...columns] });
            return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${spec.filename}-${collaborativeId}.csv"`).send(csv as never);
          }
          return { collaborativeId, position, threshold, rows: rows as unknown as Record<string, string | number | null>[] };
        },
      );

    route<Record<string, string | number | null>>({
      path: '/v1/exports/collaboratives/:collaborativeId/monthly-report',
      operationId: 'exportMonthlyReport',
      summary: 'Counts and pooled values per cohort and month, by the catalogue (JSON or CSV); small counts suppressed for analysts',
      description: 'For state IT: no person data; `since` limits the rows to those changed after a global position. A niatx collaborative keeps the fixed NIATx count and rate columns (unchanged); every other monthly measure of the catalogue adds `<id>_numerator`, `<id>_denominator` and `<id>` (pooled by type, suppressed as in the measures report export). Quarterly measures and baselines are in the measures report export.',
      eventTypes: [...new Set([...progressProjection.eventTypes, ...measuresProjection.eventTypes])],
      rows: (c, events, threshold) => {
        const { template, catalogue, submissions } = foldCatalogue(c, events);
        return monthlyRows(c, exportRows(c, foldMonths(events), threshold), template, catalogue, submissions, threshold);
      },
      key: (r) => `${r.cohortId}|${r.month}`,
      columns: (c, events) => {
        const { template, catalogue } = foldCatalogue(c, events);
        return monthlyColumns(EXPORT_COLUMNS, template, catalogue);
      },
      filename: 'report',
    });

    route<CatalogueExportRow>({
      path: '/v1/exports/collaboratives/:collaborativeId/measures-report',
      operationId: 'exportMeasuresReport',
      summary: "Every catalogue measure pooled per cohort and reporting period, with each cohort's baseline (JSON or CSV); small cells suppressed for analysts",
      description: "For state IT and analysts, any catalogue: one row per measure, cohort (`all`: the collaborative) and period (a month or a quarter by the measure; `total`: every period; `baseline`: the pooled baseline, so change against baseline can be rebuilt). Pooled by type: numerator and denominator are the sums (counts: the sum and the periods pooled; rates: count and exposure, value per `perUnits`; medians: approximate, the case-weighted mean). Categorical measures: one set of rows per category (`category`), its counts summed. Strata: rows per `dimension` and `category` for the collaborative as a whole (cohort `all`). Text measures are never exported. Analysts: cells under the threshold hidden with complementary suppression (`suppressed` names the hidden fields; strata with the measure's own row as their margin). No person data; `since`/`sinceDate` limit the rows to those changed after.",
      eventTypes: measuresProjection.eventTypes,
      rows: (c, events, threshold) => {
        const { catalogue, submissions } = foldCatalogue(c, events);
        return catalogueExportRows(c, catalogue, submissions, threshold);
      },
      key: (r) => `${r.measureId}|${r.dimension}|${r.category}|${r.cohortId}|${r.period}`,
      columns: CATALOGUE_EXPORT_COLUMNS,
      filename: 'measures',
    });
  };
}
