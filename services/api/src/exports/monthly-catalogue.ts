// The monthly report follows the catalogue (issue 15): its rows are cohort x month cells (with the
// `all` and `total` margins); a niatx catalogue keeps its fixed NIATx count and rate columns, to the
// last digit as before, and every other monthly measure of the catalogue (a niatx catalogue's own
// additions, or every monthly measure of another template) adds three columns, `<id>_numerator`,
// `<id>_denominator` and `<id>` (the pooled value by type), pooled and suppressed exactly as the
// measures report export does (catalogue-export.ts: complementary suppression per measure over
// the same cohort x month table). Quarterly measures have no month: they are in the measures report. Pure.
import { measureTemplates, type CatalogueEntry } from '@convene/domain';
import { catalogueExportRows, type SubmissionRow } from './catalogue-export';
import type { ExportRow } from './routes';

const NIATX_IDS = new Set(measureTemplates.niatx.map((m) => m.id));

/** The catalogue measures that get their own monthly columns. */
export function monthlyCatalogueMeasures(template: string | null, catalogue: readonly CatalogueEntry[]): CatalogueEntry[] {
  return catalogue.filter((m) => m.period === 'monthly' && m.type !== 'text' && m.type !== 'categorical' && !(template === 'niatx' && NIATX_IDS.has(m.id)));
}

/** Column names of the catalogue measures' monthly columns, in catalogue order. */
export const catalogueColumns = (measures: readonly CatalogueEntry[]): string[] => measures.flatMap((m) => [`${m.id}_numerator`, `${m.id}_denominator`, m.id]);

/**
 * The monthly rows: the NIATx rows (null NIATx columns for other templates' rows) joined, by cohort
 * and month, with the catalogue columns; a cell only the catalogue has gets a row of its own.
 */
export function monthlyRows(
  collaborativeId: string,
  niatxRows: readonly ExportRow[],
  template: string | null,
  catalogue: readonly CatalogueEntry[],
  submissions: readonly SubmissionRow[],
  threshold: number | null,
): Record<string, string | number | null>[] {
  const measures = monthlyCatalogueMeasures(template, catalogue);
  const keepNiatx = template === null || template === 'niatx';
  const columns = catalogueColumns(measures);
  const cells = new Map<string, Record<string, string | number | null>>();
  const keyOf = (cohortId: string, month: string) => `${cohortId}|${month}`;
  for (const r of niatxRows) {
    const { collaborativeId: _c, cohortId, month, agencies, suppressed, ...niatx } = r;
    cells.set(keyOf(cohortId, month), { collaborativeId, cohortId, month, agencies, ...(keepNiatx ? niatx : {}), ...Object.fromEntries(columns.map((c) => [c, null])), suppressed });
  }
  if (measures.length === 0) return [...cells.values()];
  const rows = catalogueExportRows(collaborativeId, measures, submissions, threshold).filter((r) => r.period !== 'baseline');
  for (const r of rows) {
    const key = keyOf(r.cohortId, r.period);
    const cell = cells.get(key) ?? { collaborativeId, cohortId: r.cohortId, month: r.period, agencies: r.agencies, ...Object.fromEntries(columns.map((c) => [c, null])), suppressed: '' };
    cell[`${r.measureId}_numerator`] = r.numerator;
    cell[`${r.measureId}_denominator`] = r.denominator;
    cell[r.measureId] = r.value;
    if (r.suppressed) cell.suppressed = [cell.suppressed, ...r.suppressed.split(';').map((f) => `${r.measureId}_${f}`)].filter(Boolean).join(';');
    cells.set(key, cell);
  }
  // Cohorts in order, `all` last; months in order, `total` last (as the NIATx rows are).
  const order = (a: unknown, last: string) => (a === last ? '\uffff' : String(a));
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...cells.values()].sort((a, b) => cmp(order(a.cohortId, 'all'), order(b.cohortId, 'all')) || cmp(order(a.month, 'total'), order(b.month, 'total')));
}

/** The CSV columns of the monthly report for a catalogue. */
export function monthlyColumns(niatxColumns: readonly string[], template: string | null, catalogue: readonly CatalogueEntry[]): string[] {
  const extra = catalogueColumns(monthlyCatalogueMeasures(template, catalogue));
  const head = template === null || template === 'niatx' ? niatxColumns.filter((c) => c !== 'suppressed') : ['collaborativeId', 'cohortId', 'month', 'agencies'];
  return [...head, ...extra, 'suppressed'];
}
