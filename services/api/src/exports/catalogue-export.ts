// The analyst export for any catalogue (issue 15): one row per measure, cohort and reporting period
// (a month or a quarter, by the measure), pooled by the measure's type, with the cohort "all" and
// the column "total" as margins, and each cohort's pooled BASELINE, so "change against baseline"
// can be rebuilt from the export. Small cells are suppressed for analysts with complementary
// suppression (suppression.ts): denominators first, then numerators (a numerator whose denominator
// is hidden is hidden too); the period table and the baseline table are suppressed separately,
// since no published total links them. Categorical measures export each category's counts as a
// count table of its own (the categories' sum is not published, so the tables are independent);
// strata are exported for the collaborative as a whole (catalogue-export-strata.ts). Text measures
// are never exported (qualitative, per agency, never pooled: read them through the submissions). Pure.
import { periodBounds, periodsInSpan, type CatalogueEntry, type MeasureValues } from '@convene/domain';
import { poolCells } from '@convene/projections';
import { suppress, type Grid } from './suppression';
import { ALL_COHORTS, ALL_MONTHS } from './report';
import { strataRows } from './catalogue-export-strata';

export const BASELINE = 'baseline';

/** A submitted submission row of the measures read model. */
export interface SubmissionRow {
  agency_id: unknown;
  cohort_id: unknown;
  period: unknown;
  period_from: unknown;
  period_to: unknown;
  status: unknown;
  submitted_values: unknown;
}

export interface CatalogueExportRow {
  collaborativeId: string;
  measureId: string;
  measureType: string;
  reportingPeriod: string;
  cohortId: string;
  /** A stratum's dimension (empty for the measure's own rows). */
  dimension: string;
  /** A stratum's category, or a categorical measure's category (empty otherwise). */
  category: string;
  /** A month, a quarter, `total` (every period of the row's cohort) or `baseline`. */
  period: string;
  periodFrom: string | null;
  periodTo: string | null;
  agencies: number;
  numerator: number | null;
  /** Counts: the number of reporting periods pooled (a baseline: the agencies' mean span in periods). */
  denominator: number | null;
  value: number | null;
  /** `numerator`, `denominator` or both (`;`), hidden for small cells. */
  suppressed: string;
}

export const CATALOGUE_EXPORT_COLUMNS = [
  'collaborativeId', 'measureId', 'measureType', 'reportingPeriod', 'dimension', 'category', 'cohortId', 'period', 'periodFrom', 'periodTo', 'agencies', 'numerator', 'denominator', 'value', 'suppressed',
] as const satisfies readonly (keyof CatalogueExportRow)[];

export interface Cell {
  agencies: number;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  from: string | null;
  to: string | null;
}

export type Entry = { agencyId: string; period: string; cell: MeasureValues[string]; periods: number; from: string; to: string };

/**
 * Pools one measure's agency cells. A count is per reporting period: summed, then divided by the
 * periods pooled (a baseline: the agencies' mean span in periods, as the measure report does; the
 * total column: the periods with data).
 */
export function poolOf(m: CatalogueEntry, cells: readonly Entry[], baseline: boolean): Cell {
  const withData = cells.filter((c) => poolCells(m, [c.cell]).n > 0);
  if (withData.length === 0) return { agencies: 0, numerator: null, denominator: null, value: null, from: null, to: null };
  const periods = baseline ? withData.reduce((s, c) => s + c.periods, 0) / withData.length : new Set(withData.map((c) => c.period)).size;
  const p = poolCells(m, withData.map((c) => c.cell), Math.max(1, periods));
  return {
    agencies: new Set(withData.map((c) => c.agencyId)).size, numerator: p.numerator, denominator: p.denominator, value: p.value,
    from: withData.map((c) => c.from).sort()[0]!, to: withData.map((c) => c.to).sort().at(-1)!,
  };
}

/** Masks of hidden denominators and numerators of a (cohorts + all) x (columns + total) table. */
export function masks(m: CatalogueEntry, grid: Cell[][], threshold: number | null, initial?: { den: boolean[][]; num: boolean[][] }) {
  const none = grid.map((row) => row.map(() => false));
  if (threshold === null) return { den: none, num: none };
  const field = (f: 'numerator' | 'denominator'): Grid => grid.map((row) => row.map((c) => c[f]));
  // Count measures: the denominator is a number of periods, not people; only the counts are cells.
  const den = m.type === 'count' ? none : suppress(field('denominator'), { threshold, ...(initial ? { initial: initial.den } : {}) });
  const num = suppress(field('numerator'), { threshold, initial: den.map((row, i) => row.map((x, j) => x || (initial?.num[i]?.[j] ?? false))) });
  return { den, num };
}

/** A cell of the export: what is hidden of it, as the row says. */
export function exportRow(
  base: Pick<CatalogueExportRow, 'collaborativeId' | 'measureId' | 'measureType' | 'reportingPeriod' | 'dimension' | 'category'>,
  cohortId: string, period: string, c: Cell, hideDen: boolean, hideNum: boolean,
): CatalogueExportRow {
  return {
    ...base, cohortId, period, periodFrom: c.from, periodTo: c.to, agencies: c.agencies,
    numerator: hideNum || hideDen ? null : c.numerator, denominator: hideDen ? null : c.denominator, value: hideNum || hideDen ? null : c.value,
    suppressed: [hideNum || hideDen ? 'numerator' : '', hideDen ? 'denominator' : ''].filter(Boolean).join(';'),
  };
}

/** One measure's tables (cohorts + all x periods + total, and the baseline column), pooled and suppressed. */
export function measureTables(m: CatalogueEntry, entries: readonly Entry[], cohortOf: Map<string, string>, rowKeys: string[], threshold: number | null) {
  const periods = [...new Set(entries.filter((e) => e.period !== BASELINE).map((e) => e.period))].sort();
  const inRow = (r: string) => entries.filter((e) => r === ALL_COHORTS || cohortOf.get(e.agencyId) === r);
  // Periods table: cohorts (+ all) x periods (+ total). The total of a count is per period (periods with data).
  const colKeys = [...periods, ALL_MONTHS];
  const periodGrid = rowKeys.map((r) => colKeys.map((c) => poolOf(m, inRow(r).filter((e) => e.period !== BASELINE && (c === ALL_MONTHS || e.period === c)), false)));
  // Baseline table: cohorts (+ all) x one column; as a grid its row total is the cell itself.
  const baselineGrid = rowKeys.map((r) => {
    const b = poolOf(m, inRow(r).filter((e) => e.period === BASELINE), true);
    return [b, b];
  });
  return { colKeys, periodGrid, baselineGrid, pm: masks(m, periodGrid, threshold), bm: masks(m, baselineGrid, threshold) };
}

/** The rows of a measure's tables, baseline first, in cohort order. */
export function tableRows(base: Parameters<typeof exportRow>[0], rowKeys: string[], t: ReturnType<typeof measureTables>): CatalogueExportRow[] {
  const out: CatalogueExportRow[] = [];
  rowKeys.forEach((r, i) => {
    const b = t.baselineGrid[i]![0]!;
    if (b.agencies > 0) out.push(exportRow(base, r, BASELINE, b, t.bm.den[i]![0]! || t.bm.den[i]![1]!, t.bm.num[i]![0]! || t.bm.num[i]![1]!));
    t.colKeys.forEach((c, j) => {
      const cell = t.periodGrid[i]![j]!;
      if (cell.agencies > 0) out.push(exportRow(base, r, c, cell, t.pm.den[i]![j]!, t.pm.num[i]![j]!));
    });
  });
  return out;
}

/** A measure's agency cells (submitted values) with their periods and spans. */
function entriesOf(m: CatalogueEntry, submitted: readonly SubmissionRow[], cellOf: (v: MeasureValues[string]) => MeasureValues[string] | undefined): Entry[] {
  return submitted.flatMap((s) => {
    const own = (s.submitted_values as MeasureValues | null)?.[m.id];
    const cell = own ? cellOf(own) : undefined;
    if (!cell) return [];
    const period = String(s.period);
    const span = period === BASELINE ? { from: String(s.period_from), to: String(s.period_to) } : periodBounds(period);
    return [{ agencyId: String(s.agency_id), period, cell, periods: period === BASELINE ? periodsInSpan(span.from, span.to, m.period) : 1, ...span }];
  });
}

/**
 * The export rows of a catalogue, suppressed with `threshold` when given: each measure's rows,
 * a categorical measure's rows per category, then the strata of the collaborative. Text measures
 * are left out.
 */
export function catalogueExportRows(collaborativeId: string, catalogue: readonly CatalogueEntry[], submissions: readonly SubmissionRow[], threshold: number | null): CatalogueExportRow[] {
  const submitted = submissions.filter((s) => s.status === 'submitted' && typeof s.period === 'string' && s.cohort_id != null);
  const cohorts = [...new Set(submitted.map((s) => String(s.cohort_id)))].sort();
  const rowKeys = [...cohorts, ALL_COHORTS];
  const cohortOf = new Map(submitted.map((s) => [String(s.agency_id), String(s.cohort_id)]));
  const out: CatalogueExportRow[] = [];
  for (const m of catalogue) {
    if (m.type === 'text') continue;
    const base = { collaborativeId, measureId: m.id, measureType: m.type, reportingPeriod: m.period, dimension: '', category: '' };
    if (m.type === 'categorical') {
      // Each category a count table (sum per period; denominator: the periods pooled).
      const asCount: CatalogueEntry = { ...m, type: 'count' };
      for (const category of m.categories ?? []) {
        const entries = entriesOf(m, submitted, (v) => (v.counts?.[category] === undefined ? undefined : { count: v.counts[category] }));
        if (entries.length > 0) out.push(...tableRows({ ...base, category }, rowKeys, measureTables(asCount, entries, cohortOf, rowKeys, threshold)));
      }
      continue;
    }
    const entries = entriesOf(m, submitted, (v) => v);
    if (entries.length === 0) continue;
    const tables = measureTables(m, entries, cohortOf, rowKeys, threshold);
    out.push(...tableRows(base, rowKeys, tables));
    out.push(...strataRows(m, entries, tables, rowKeys.length - 1, base, threshold));
  }
  return out;
}
