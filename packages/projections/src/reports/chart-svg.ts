// A measure's chart as an SVG picture (issue 15): Vega-Lite compiled to Vega and rendered on the
// server (no canvas). Run chart (median) or control chart (centre and limits of the type's chart),
// pooled or one agency's series; signal points drawn red, PDSA cycles as dashed rules at the
// period they began. Each mark carries an aria description (`point <period> ...`, `pdsa ...`) so
// that screen readers, and tests, can read the picture.
import { periodOf, type ReportingPeriod } from '@convene/domain';
import type { MeasureSeriesReport, PdsaMarker } from './measure-report';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface ChartPoint {
  period: string;
  value: number;
  signal: boolean;
  centre: number | null;
  lower: number | null;
  upper: number | null;
}
export interface ChartInput {
  title: string;
  kind: 'run' | 'control';
  period: ReportingPeriod;
  points: ChartPoint[];
  pdsa: PdsaMarker[];
}

const fmt = (x: number | null) => (x === null ? '' : String(Math.round(x * 10000) / 10000));

export function chartSpec(input: ChartInput): TopLevelSpec {
  const periods = input.points.map((p) => p.period);
  const rows = input.points.map((p) => ({ ...p, description: `point ${p.period} ${fmt(p.value)}${p.signal ? ' signal' : ''}` }));
  const pdsa = input.pdsa
    .map((c) => ({ period: periodOf(c.beginsOn, input.period), beginsOn: c.beginsOn, description: `pdsa ${periodOf(c.beginsOn, input.period)} ${c.beginsOn} cycle ${c.cycleNumber} ${c.decision}` }))
    .filter((c) => periods.includes(c.period));
  const x = { field: 'period', type: 'ordinal' as const, title: null, scale: { domain: periods }, sort: periods };
  const line = (field: 'centre' | 'lower' | 'upper', dash: number[]) => ({
    data: { values: rows.filter((r) => r[field] !== null).map((r) => ({ period: r.period, y: r[field], description: `${field} ${r.period} ${fmt(r[field])}` })) },
    mark: { type: 'line' as const, interpolate: 'step' as const, color: '#777', strokeDash: dash },
    encoding: { x, y: { field: 'y', type: 'quantitative' as const }, description: { field: 'description' } },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: input.title,
    width: Math.max(240, 40 * periods.length),
    height: 240,
    background: 'white',
    layer: [
      line('centre', []),
      ...(input.kind === 'control' ? [line('lower', [4, 4]), line('upper', [4, 4])] : []),
      { data: { values: rows }, mark: { type: 'line', color: '#1f5fa8' }, encoding: { x, y: { field: 'value', type: 'quantitative', title: null } } },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x, y: { field: 'value', type: 'quantitative' },
          color: { field: 'signal', type: 'nominal', scale: { domain: [false, true], range: ['#1f5fa8', '#d62728'] }, legend: null },
          description: { field: 'description' },
        },
      },
      ...(pdsa.length
        ? [{ data: { values: pdsa }, mark: { type: 'rule' as const, color: '#2ca02c', strokeDash: [2, 2] }, encoding: { x, description: { field: 'description' } } }]
        : []),
    ],
  } as TopLevelSpec;
}

async function renderSpec(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export const renderChart = (input: ChartInput): Promise<string> => renderSpec(chartSpec(input));

/** Several series on one run chart (issue 18: an agency's series against its pool's), each its own colour, named in a legend. */
export interface ComparisonInput {
  title: string;
  period: ReportingPeriod;
  series: { name: string; points: { period: string; value: number }[] }[];
  pdsa: PdsaMarker[];
}

export function comparisonSpec(input: ComparisonInput): TopLevelSpec {
  const periods = [...new Set(input.series.flatMap((s) => s.points.map((p) => p.period)))].sort();
  const rows = input.series.flatMap((s) => s.points.map((p) => ({ series: s.name, period: p.period, value: p.value, description: `${s.name} ${p.period} ${fmt(p.value)}` })));
  const pdsa = input.pdsa
    .map((c) => ({ period: periodOf(c.beginsOn, input.period), description: `pdsa ${periodOf(c.beginsOn, input.period)} ${c.beginsOn} cycle ${c.cycleNumber} ${c.decision}` }))
    .filter((c) => periods.includes(c.period));
  const x = { field: 'period', type: 'ordinal' as const, title: null, scale: { domain: periods }, sort: periods };
  const color = { field: 'series', type: 'nominal' as const, title: null, scale: { domain: input.series.map((s) => s.name), range: ['#1f5fa8', '#999999', '#2ca02c', '#9467bd'] }, legend: { orient: 'bottom' as const } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: input.title,
    width: Math.max(240, 40 * periods.length),
    height: 220,
    background: 'white',
    layer: [
      { data: { values: rows }, mark: { type: 'line' }, encoding: { x, y: { field: 'value', type: 'quantitative', title: null }, color } },
      { data: { values: rows }, mark: { type: 'point', filled: true, size: 50 }, encoding: { x, y: { field: 'value', type: 'quantitative' }, color, description: { field: 'description' } } },
      ...(pdsa.length
        ? [{ data: { values: pdsa }, mark: { type: 'rule' as const, color: '#2ca02c', strokeDash: [2, 2] }, encoding: { x, description: { field: 'description' } } }]
        : []),
    ],
  } as TopLevelSpec;
}

export const renderComparisonChart = (input: ComparisonInput): Promise<string> => renderSpec(comparisonSpec(input));

/** The chart's points from a report: pooled, or one agency's series (run chart against its own median). */
export function chartInput(report: MeasureSeriesReport, options: { kind: 'run' | 'control'; agencyId?: string }): ChartInput {
  const median = report.runChart.median;
  if (options.agencyId) {
    const s = report.agencySeries.find((a) => a.agencyId === options.agencyId);
    const values = s?.points ?? [];
    const sorted = values.map((p) => p.value).sort((a, b) => a - b);
    const mid = sorted.length ? (sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2) : null;
    return {
      title: `${report.measure.name} (one agency)`, kind: 'run', period: report.measure.period,
      points: values.map((p) => ({ period: p.period, value: p.value, signal: false, centre: mid, lower: null, upper: null })),
      pdsa: report.pdsa.filter((c) => c.agencyId === options.agencyId),
    };
  }
  return {
    title: `${report.measure.name}${options.kind === 'control' && report.chart ? ` (${report.chart === 'xmr' ? 'XmR' : `${report.chart}-chart`})` : ' (run chart)'}`,
    kind: options.kind,
    period: report.measure.period,
    points: report.points.map((p) => ({
      period: p.period, value: p.value, signal: p.signal,
      centre: options.kind === 'control' ? p.limits.centre : median, lower: options.kind === 'control' ? p.limits.lower : null, upper: options.kind === 'control' ? p.limits.upper : null,
    })),
    pdsa: report.pdsa,
  };
}
