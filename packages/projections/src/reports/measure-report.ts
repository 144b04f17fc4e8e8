// Reports for any catalogue (issue 15): per measure and period pooled across agencies, change
// against baseline, each agency's series, run-chart signals (IHI rules) and the control chart that
// fits the type (p, u, c, XmR), stratified views and the PDSA cycles aimed at the measure. Pure.
import { chartFor, periodKind, periodsInSpan, type CatalogueEntry, type MeasureValue, type MeasureValues, type StratumValue } from '@convene/domain';
import { change, improved, type Change } from './aggregate';
import type { Limits } from './control-charts';
import { phased, type ChartPhase } from './phases';
import { poolCategories, poolCells, type PooledValue } from './pooling';
import { runChart, type RunChart } from './run-chart';

export interface AgencySubmissions {
  agencyId: string;
  baseline: { from: string; to: string; values: MeasureValues } | null;
  /** Submitted periods, corrections applied. */
  periods: { period: string; values: MeasureValues }[];
}
export interface PdsaMarker {
  projectId: string;
  agencyId: string;
  cycleNumber: number;
  beginsOn: string;
  endsOn: string;
  decision: string;
}
export interface SeriesPoint {
  period: string;
  agencies: number;
  numerator: number;
  denominator: number;
  value: number;
}
export interface MeasureSeriesReport {
  measure: Pick<CatalogueEntry, 'id' | 'name' | 'type' | 'unit' | 'direction' | 'period' | 'target'>;
  chart: 'p' | 'u' | 'c' | 'xmr' | null;
  baseline: PooledValue;
  latest: (PooledValue & { period: string }) | null;
  change: Change | null;
  agencies: { improved: number; notImproved: number; noData: number };
  points: (SeriesPoint & { limits: Limits; signal: boolean; phase: number })[];
  /** The current (last) phase's run chart; `phases` has each phase's. */
  runChart: RunChart;
  phases: (ChartPhase & { from: number; runChart: RunChart })[];
  /** Categorical measures: counts per category and period. */
  categories: { period: string; counts: Record<string, number> }[];
  agencySeries: { agencyId: string; baseline: number | null; latest: number | null; points: SeriesPoint[] }[];
  strata: { dimension: string; category: string; points: SeriesPoint[] }[];
  pdsa: PdsaMarker[];
}

const cellOf = (values: MeasureValues | undefined, id: string): MeasureValue | undefined => values?.[id];

/** Pooled points, one per period with data, in period order. */
function series(m: CatalogueEntry, rows: { period: string; cell: StratumValue | undefined }[]): SeriesPoint[] {
  const byPeriod = new Map<string, (StratumValue | undefined)[]>();
  for (const r of rows) if (r.cell) byPeriod.set(r.period, [...(byPeriod.get(r.period) ?? []), r.cell]);
  return [...byPeriod.keys()].sort().flatMap((period) => {
    const p = poolCells(m, byPeriod.get(period)!);
    return p.value === null ? [] : [{ period, agencies: p.n, numerator: p.numerator, denominator: p.denominator, value: p.value }];
  });
}

const baselineCell = (m: CatalogueEntry, a: AgencySubmissions) => {
  const cell = cellOf(a.baseline?.values, m.id);
  const periods = a.baseline && m.type === 'count' ? periodsInSpan(a.baseline.from, a.baseline.to, m.period) : 1;
  return { cell, periods };
};

const stripPhase = ({ startsWith: _s, freezeThrough: _f, from: _i, ...r }: RunChart & { startsWith: string; freezeThrough: string | null; from: number }): RunChart => r;

export function catalogueMeasureReport(
  m: CatalogueEntry,
  agencies: readonly AgencySubmissions[],
  options: { pdsa?: readonly PdsaMarker[]; phases?: readonly ChartPhase[] } = {},
): MeasureSeriesReport {
  const rows = agencies.flatMap((a) => a.periods.map((p) => ({ agencyId: a.agencyId, period: p.period, values: p.values, cell: cellOf(p.values, m.id) })));
  const points = series(m, rows);
  const { limits, phaseOf, runCharts } = phased(m, points, options.phases ?? []);
  const empty = runChart([], undefined);
  const rc = runCharts.at(-1) ?? { ...empty, startsWith: '', freezeThrough: null, from: 0 };
  const flagged = new Set<number>();
  for (const r of runCharts) {
    for (const i of r.astronomical) flagged.add(r.from + i);
    for (const s of [...r.shifts, ...r.trends]) for (let i = s.from; i <= s.to; i++) flagged.add(r.from + i);
  }

  // Baseline: count measures per reporting period (a baseline spans several).
  const withBaseline = agencies.map((a) => baselineCell(m, a)).filter((b) => b.cell && poolCells(m, [b.cell]).n > 0);
  const spanPeriods = withBaseline.reduce((s, b) => s + b.periods, 0);
  const baseline = poolCells(m, withBaseline.map((b) => b.cell), m.type === 'count' ? Math.max(1, spanPeriods / Math.max(1, withBaseline.length)) : 1);
  const last = points.at(-1);
  const latest = last ? { period: last.period, numerator: last.numerator, denominator: last.denominator, value: last.value, n: last.agencies } : null;

  const tally = { improved: 0, notImproved: 0, noData: 0 };
  const agencySeries = agencies.map((a) => {
    const own = series(m, rows.filter((r) => r.agencyId === a.agencyId));
    const b = baselineCell(m, a);
    const base = b.cell ? poolCells(m, [b.cell], b.periods).value : null;
    // The agency's latest period of the measure's kind (no data there: no comparison).
    const lastPeriod = a.periods.filter((p) => periodKind(p.period) === m.period).map((p) => p.period).sort().at(-1);
    const lastCell = lastPeriod ? cellOf(a.periods.find((p) => p.period === lastPeriod)!.values, m.id) : undefined;
    const lastOwn = lastCell ? poolCells(m, [lastCell]).value : null;
    const i = m.direction ? improved({ better: m.direction } as Parameters<typeof improved>[0], base, lastOwn) : null;
    if (i === null) tally.noData++;
    else if (i) tally.improved++;
    else tally.notImproved++;
    return { agencyId: a.agencyId, baseline: base, latest: lastOwn, points: own };
  });

  const strata = (m.stratification ?? []).flatMap((dim) =>
    dim.categories.map((category) => ({
      dimension: dim.dimension,
      category,
      points: series(m, rows.map((r) => ({ period: r.period, cell: r.cell?.strata?.[dim.dimension]?.[category] }))),
    })),
  );
  const categories =
    m.type === 'categorical'
      ? [...new Set(rows.filter((r) => r.cell).map((r) => r.period))].sort().map((period) => ({ period, counts: poolCategories(rows.filter((r) => r.period === period).map((r) => r.cell)) }))
      : [];

  const { id, name, type, unit, direction, period, target } = m;
  return {
    measure: { id, name, type, unit, direction, period, target },
    chart: chartFor(m.type),
    baseline,
    latest,
    change: change(baseline.value, latest?.value ?? null),
    agencies: tally,
    points: points.map((p, i) => ({ ...p, limits: limits[i]!, signal: flagged.has(i), phase: phaseOf[i]! })),
    runChart: stripPhase(rc),
    phases: (options.phases?.length ? runCharts : []).map((r) => ({ startsWith: r.startsWith, freezeThrough: r.freezeThrough, from: r.from, runChart: stripPhase(r) })),
    categories,
    agencySeries,
    strata,
    pdsa: [...(options.pdsa ?? [])].sort((a, b) => a.beginsOn.localeCompare(b.beginsOn) || a.agencyId.localeCompare(b.agencyId)),
  };
}
