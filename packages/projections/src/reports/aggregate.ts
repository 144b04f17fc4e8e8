// Aggregate reports (MEASURES.md): rates pooled from counts, change against baseline, run and control charts. Pure.
import type { MeasureCounts } from '@convene/domain';
import { cChart, iChart, pChart, type Limits } from './control-charts';
import { runChart, type RunChart } from './run-chart';

type CountField = Exclude<keyof MeasureCounts, 'medianDaysToTreatment'>;
export type Counts = Partial<Record<CountField, number | null>>;

export interface ReportMeasure {
  key: string;
  label: string;
  kind: 'proportion' | 'mean' | 'count';
  numerator: CountField;
  denominator: CountField | null;
  better: 'lower' | 'higher';
}

export const reportMeasures: ReportMeasure[] = [
  { key: 'waiting_time', label: 'Mean days from first contact to treatment', kind: 'mean', numerator: 'totalDaysToTreatment', denominator: 'clientsTreated', better: 'lower' },
  { key: 'intake_no_show', label: 'Intake no-show rate', kind: 'proportion', numerator: 'intakeNoShows', denominator: 'intakeScheduled', better: 'lower' },
  { key: 'first_post_admission_no_show', label: 'First post-admission no-show rate', kind: 'proportion', numerator: 'firstPostAdmissionNoShows', denominator: 'firstPostAdmissionScheduled', better: 'lower' },
  { key: 'admissions', label: 'Admissions per month', kind: 'count', numerator: 'admissions', denominator: null, better: 'higher' },
  { key: 'continuation_30', label: 'Continuation at 30 days', kind: 'proportion', numerator: 'retained30', denominator: 'admittedInWindow', better: 'higher' },
  { key: 'continuation_60', label: 'Continuation at 60 days', kind: 'proportion', numerator: 'retained60', denominator: 'admittedInWindow', better: 'higher' },
];

export interface Pooled {
  numerator: number;
  denominator: number;
  value: number | null;
}

/**
 * Pools counts: sum of numerators over sum of denominators (never the mean of agency rates).
 * Rows without the measure's counts are left out. Count measures are per month: `months` divides.
 */
export function pool(rows: readonly Counts[], m: ReportMeasure, months = 1): Pooled {
  let numerator = 0;
  let denominator = 0;
  let any = false;
  for (const r of rows) {
    const n = r[m.numerator];
    const d = m.denominator ? r[m.denominator] : 1;
    if (n === null || n === undefined || d === null || d === undefined) continue;
    any = true;
    numerator += n;
    denominator += d;
  }
  if (!any) return { numerator, denominator, value: null };
  if (m.kind === 'count') return { numerator, denominator: months, value: numerator / months };
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

/** The mean of per-agency rates: what a report must NOT show as the collaborative's rate (kept for comparison). */
export function meanOfRates(rows: readonly Counts[], m: ReportMeasure): number | null {
  const rates = rows.map((r) => pool([r], m).value).filter((v): v is number => v !== null);
  return rates.length === 0 ? null : rates.reduce((s, v) => s + v, 0) / rates.length;
}

export interface Change {
  absolute: number;
  /** Relative to the baseline; null when the baseline is 0. */
  relative: number | null;
}

export const change = (baseline: number | null, latest: number | null): Change | null =>
  baseline === null || latest === null ? null : { absolute: latest - baseline, relative: baseline === 0 ? null : (latest - baseline) / baseline };

export const improved = (m: ReportMeasure, baseline: number | null, latest: number | null): boolean | null =>
  baseline === null || latest === null ? null : m.better === 'lower' ? latest < baseline : latest > baseline;

export interface AgencyCounts {
  agencyId: string;
  /** Baseline counts and how many months the baseline period spans. */
  baseline: Counts | null;
  baselineMonths: number;
  latest: Counts | null;
}

export interface ReportInput {
  /** Counts summed over the agencies, per month, in month order. */
  months: { month: string; agencies: number; counts: Counts }[];
  agencies: AgencyCounts[];
}

export interface MeasureReport {
  key: string;
  label: string;
  kind: ReportMeasure['kind'];
  better: ReportMeasure['better'];
  chart: 'p' | 'c' | 'i';
  baseline: Pooled;
  latest: (Pooled & { month: string }) | null;
  change: Change | null;
  agencies: { improved: number; notImproved: number; noData: number };
  points: { month: string; agencies: number; numerator: number; denominator: number; value: number; limits: Limits }[];
  runChart: RunChart;
}

export function measureReport(m: ReportMeasure, input: ReportInput): MeasureReport {
  const baselineRows = input.agencies.filter((a) => a.baseline).map((a) => a.baseline!);
  const baselineMonths = m.kind === 'count' ? input.agencies.filter((a) => a.baseline && a.baseline[m.numerator] != null).reduce((s, a) => s + a.baselineMonths, 0) : 1;
  // Count measures: per agency-month, so the pooled baseline is the mean monthly count per agency times agencies.
  const baseline = pool(baselineRows, m, m.kind === 'count' ? Math.max(1, baselineMonths / Math.max(1, baselineRows.length)) : 1);
  const points = input.months.flatMap(({ month, agencies, counts }) => {
    const p = pool([counts], m);
    return p.value === null ? [] : [{ month, agencies, numerator: p.numerator, denominator: p.denominator, value: p.value }];
  });
  const chart = m.kind === 'proportion' ? 'p' : m.kind === 'count' ? 'c' : 'i';
  const limits =
    chart === 'p' ? pChart(points) : chart === 'c' ? cChart(points.map((p) => p.value)) : iChart(points.map((p) => p.value));
  const last = points.at(-1);
  const latest = last ? { month: last.month, numerator: last.numerator, denominator: last.denominator, value: last.value } : null;
  const tally = { improved: 0, notImproved: 0, noData: 0 };
  for (const a of input.agencies) {
    const b = a.baseline ? pool([a.baseline], m, m.kind === 'count' ? Math.max(1, a.baselineMonths) : 1).value : null;
    const l = a.latest ? pool([a.latest], m).value : null;
    const i = improved(m, b, l);
    if (i === null) tally.noData++;
    else if (i) tally.improved++;
    else tally.notImproved++;
  }
  return {
    key: m.key,
    label: m.label,
    kind: m.kind,
    better: m.better,
    chart,
    baseline,
    latest,
    change: change(baseline.value, latest?.value ?? null),
    agencies: tally,
    points: points.map((p, i) => ({ ...p, limits: limits[i]! })),
    runChart: runChart(points.map((p) => p.value), limits),
  };
}

export const buildAggregateReport = (input: ReportInput): MeasureReport[] => reportMeasures.map((m) => measureReport(m, input));

/** Months from the month after `from` to `to`, inclusive (YYYY-MM). */
export function monthsBetween(fromExclusive: string, toInclusive: string): string[] {
  const out: string[] = [];
  let [y, m] = fromExclusive.split('-').map(Number) as [number, number];
  for (let i = 0; i < 600; i++) {
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
    const s = `${y}-${String(m).padStart(2, '0')}`;
    if (s > toInclusive) break;
    out.push(s);
  }
  return out;
}

/** Months a period (ISO dates) spans, counting partial months. */
export const periodMonths = (from: string, to: string): number => monthsBetween(from.slice(0, 7), to.slice(0, 7)).length + 1;
