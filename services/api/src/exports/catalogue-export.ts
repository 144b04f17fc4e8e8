// The analyst export for any catalogue (issue 15): one row per measure, cohort and reporting period
// (a month or a quarter, by the measure), pooled by the measure's type, with the cohort "all" and
// the column "total" as margins, and each cohort's pooled BASELINE, so "change against baseline"
// can be rebuilt from the export. Small cells are suppressed for analysts with complementary
// suppression (suppression.ts): denominators first, then numerators (a numerator whose denominator
// is hidden is hidden too); the period table and the baseline table are suppressed separately,
// since no published total links them. Pure.
import { periodBounds, periodsInSpan, type CatalogueEntry, type MeasureValues } from '@convene/domain';
import { poolCells } from '@convene/projections';
import { suppress, type Grid } from './suppression';
import { ALL_COHORTS, ALL_MONTHS } from './report';

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
  'collaborativeId', 'measureId', 'measureType', 'reportingPeriod', 'cohortId', 'period', 'periodFrom', 'periodTo', 'agencies', 'numerator', 'denominator', 'value', 'suppressed',
] as const satisfies readonly (keyof CatalogueExportRow)[];

interface Cell {
  agencies: number;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  from: string | null;
  to: string | null;
}

type Entry = { agencyId: string; period: string; cell: MeasureValues[string]; periods: number; from: string; to: string };

/**
 * Pools one measure's agency cells. A count is per reporting period: summed, then divided by the
 * periods pooled (a baseline: the agencies' mean span in periods, as the measure report does; the
 * total column: the periods with data).
 */
function poolOf(m: CatalogueEntry, cells: readonly Entry[], baseline: boolean): Cell {
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
function masks(m: CatalogueEntry, grid: Cell[][], threshold: number | null) {
  const none = grid.map((row) => row.map(() => false));
  if (threshold === null) return { den: none, num: none };
  const field = (f: 'numerator' | 'denominator'): Grid => grid.map((row) => row.map((c) => c[f]));
  // Count measures: the denominator is a number of periods, not people; only the counts are cells.
  const den = m.type === 'count' ? none : suppress(field('denominator'), { threshold });
  const num = suppress(field('numerator'), { threshold, initial: den });
  return { den, num };
}

/**
 * The export rows of a catalogue, suppressed with `threshold` when given. Categorical and text
 * measures have no pooled value and are left out.
 */
export function catalogueExportRows(collaborativeId: string, catalogue: readonly CatalogueEntry[], submissions: readonly SubmissionRow[], threshold: number | null): CatalogueExportRow[] {
  const submitted = submissions.filter((s) => s.status === 'submitted' && typeof s.period === 'string' && s.cohort_id != null);
  const cohorts = [...new Set(submitted.map((s) => String(s.cohort_id)))].sort();
  const rowKeys = [...cohorts, ALL_COHORTS];
  const out: CatalogueExportRow[] = [];
  for (const m of catalogue) {
    if (m.type === 'categorical' || m.type === 'text') continue;
    const entries: Entry[] = submitted.flatMap((s) => {
      const cell = (s.submitted_values as MeasureValues | null)?.[m.id];
      if (!cell) return [];
      const period = String(s.period);
      const span = period === BASELINE ? { from: String(s.period_from), to: String(s.period_to) } : periodBounds(period);
      return [{ agencyId: String(s.agency_id), period, cell, periods: period === BASELINE ? periodsInSpan(span.from, span.to, m.period) : 1, ...span }];
    });
    if (entries.length === 0) continue;
    const periods = [...new Set(entries.filter((e) => e.period !== BASELINE).map((e) => e.period))].sort();
    const cohortOf = new Map(submitted.map((s) => [String(s.agency_id), String(s.cohort_id)]));
    const inRow = (r: string) => entries.filter((e) => r === ALL_COHORTS || cohortOf.get(e.agencyId) === r);
    // Periods table: cohorts (+ all) x periods (+ total). The total of a count is per period (periods with data).
    const colKeys = [...periods, ALL_MONTHS];
    const periodGrid = rowKeys.map((r) =>
      colKeys.map((c) => {
        const cells = inRow(r).filter((e) => e.period !== BASELINE && (c === ALL_MONTHS || e.period === c));
        return poolOf(m, cells, false);
      }),
    );
    // Baseline table: cohorts (+ all) x one column; as a grid its row total is the cell itself.
    const baselineGrid = rowKeys.map((r) => {
      const b = poolOf(m, inRow(r).filter((e) => e.period === BASELINE), true);
      return [b, b];
    });
    const pm = masks(m, periodGrid, threshold);
    const bm = masks(m, baselineGrid, threshold);
    const row = (cohortId: string, period: string, c: Cell, hideDen: boolean, hideNum: boolean): CatalogueExportRow => ({
      collaborativeId, measureId: m.id, measureType: m.type, reportingPeriod: m.period, cohortId, period, periodFrom: c.from, periodTo: c.to, agencies: c.agencies,
      numerator: hideNum || hideDen ? null : c.numerator, denominator: hideDen ? null : c.denominator, value: hideNum || hideDen ? null : c.value,
      suppressed: [hideNum || hideDen ? 'numerator' : '', hideDen ? 'denominator' : ''].filter(Boolean).join(';'),
    });
    rowKeys.forEach((r, i) => {
      const b = baselineGrid[i]![0]!;
      if (b.agencies > 0) out.push(row(r, BASELINE, b, bm.den[i]![0]! || bm.den[i]![1]!, bm.num[i]![0]! || bm.num[i]![1]!));
      colKeys.forEach((c, j) => {
        const cell = periodGrid[i]![j]!;
        if (cell.agencies > 0) out.push(row(r, c, cell, pm.den[i]![j]!, pm.num[i]![j]!));
      });
    });
  }
  return out;
}
