// The aggregate report per collaborative / cohort / month, pooled from the raw counts of the
// progress read model's agency_months rows (MEASURES.md: sums of counts, never mean of rates). Pure.
import { countColumns } from '@convene/projections';

export const COUNT_COLUMNS = Object.keys(countColumns) as (keyof typeof countColumns)[];
export type CountColumn = (typeof COUNT_COLUMNS)[number];

/** Rates computed from pooled counts: [numerator, denominator]. */
export const RATES = {
  waiting_time_mean_days: ['total_days_to_treatment', 'clients_treated'],
  intake_no_show_rate: ['intake_no_shows', 'intake_scheduled'],
  fpa_no_show_rate: ['fpa_no_shows', 'fpa_scheduled'],
  continuation30_rate: ['retained30', 'admitted_in_window'],
  continuation60_rate: ['retained60', 'admitted_in_window'],
} as const satisfies Record<string, readonly [CountColumn, CountColumn]>;
export type RateName = keyof typeof RATES;
export const RATE_NAMES = Object.keys(RATES) as RateName[];

export interface AgencyMonthRow {
  collaborative_id: unknown;
  cohort_id: unknown;
  agency_id: unknown;
  month: unknown;
  [column: string]: unknown;
}

/** A cell: one cohort and month; `cohortId` "all" and `month` "total" are the margins. */
export interface ReportCell {
  collaborativeId: string;
  cohortId: string;
  month: string;
  agencies: number;
  counts: Record<CountColumn, number | null>;
}

export const ALL_COHORTS = 'all';
export const ALL_MONTHS = 'total';

const emptyCounts = (): Record<CountColumn, number | null> =>
  Object.fromEntries(COUNT_COLUMNS.map((c) => [c, null])) as Record<CountColumn, number | null>;

/** Cohort x month cells of one collaborative, with row, column and grand totals. */
export function buildReport(collaborativeId: string, rows: readonly AgencyMonthRow[]): { cohorts: string[]; months: string[]; cells: ReportCell[] } {
  const mine = rows.filter((r) => r.collaborative_id === collaborativeId && typeof r.month === 'string');
  const cohorts = [...new Set(mine.map((r) => String(r.cohort_id ?? 'none')))].sort();
  const months = [...new Set(mine.map((r) => String(r.month)))].sort();
  const cells = new Map<string, ReportCell & { agencySet: Set<string> }>();
  const cell = (cohortId: string, month: string) => {
    const key = `${cohortId}|${month}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { collaborativeId, cohortId, month, agencies: 0, counts: emptyCounts(), agencySet: new Set() }));
    return c;
  };
  for (const r of mine) {
    const cohortId = String(r.cohort_id ?? 'none');
    const month = String(r.month);
    for (const c of [cell(cohortId, month), cell(cohortId, ALL_MONTHS), cell(ALL_COHORTS, month), cell(ALL_COHORTS, ALL_MONTHS)]) {
      c.agencySet.add(String(r.agency_id));
      for (const column of COUNT_COLUMNS) {
        const v = r[column];
        if (typeof v === 'number') c.counts[column] = (c.counts[column] ?? 0) + v;
      }
    }
  }
  const order = (x: string, list: string[], total: string) => (x === total ? list.length : list.indexOf(x));
  const out = [...cells.values()]
    .map(({ agencySet, ...c }) => ({ ...c, agencies: agencySet.size }))
    .sort((a, b) => order(a.cohortId, cohorts, ALL_COHORTS) - order(b.cohortId, cohorts, ALL_COHORTS) || order(a.month, months, ALL_MONTHS) - order(b.month, months, ALL_MONTHS));
  return { cohorts, months, cells: out };
}

/** A pooled rate, null when a count is missing, suppressed or the denominator is 0. */
export function rateOf(counts: Record<CountColumn, number | null>, rate: RateName): number | null {
  const [n, d] = RATES[rate];
  const num = counts[n];
  const den = counts[d];
  if (num === null || den === null || den === 0) return null;
  return Math.round((num / den) * 10000) / 10000;
}
