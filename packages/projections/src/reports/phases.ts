// Chart phases (issue 15): a convener freezes the centre line and limits over a chosen span and
// starts a new phase after a sustained shift. Each phase's centre and limits come from its
// calibration points (the frozen span, else the whole phase); later points of the phase are judged
// against them. p and u limits still follow each point's own denominator. Pure.
import { chartFor, type CatalogueEntry } from '@convene/domain';
import { cChart, iChart, type Limits } from './control-charts';
import { runChart, type RunChart } from './run-chart';

export interface ChartPhase {
  /** First period of the phase. */
  startsWith: string;
  /** Last period whose points set the phase's centre and limits (frozen); null: the whole phase. */
  freezeThrough: string | null;
}
interface Point {
  period: string;
  numerator: number;
  denominator: number;
  value: number;
}

function phaseLimits(m: CatalogueEntry, calibration: Point[], points: Point[]): Limits[] {
  if (calibration.length === 0) return points.map(() => ({ centre: 0, lower: 0, upper: 0 }));
  const num = calibration.reduce((s, p) => s + p.numerator, 0);
  const den = calibration.reduce((s, p) => s + p.denominator, 0);
  switch (chartFor(m.type)) {
    case 'p': {
      // As pChart, with the centre from the calibration points.
      if (den === 0) return points.map(() => ({ centre: 0, lower: 0, upper: 1 }));
      const p = num / den;
      return points.map(({ denominator: n }) => {
        if (n === 0) return { centre: p, lower: 0, upper: 1 };
        const sigma = Math.sqrt((p * (1 - p)) / n);
        return { centre: p, lower: Math.max(0, p - 3 * sigma), upper: Math.min(1, p + 3 * sigma) };
      });
    }
    case 'u': {
      // As uChart (then scaled per units), with the centre from the calibration points.
      const scale = m.perUnits ?? 1;
      if (den === 0) return points.map(() => ({ centre: 0, lower: 0, upper: 0 }));
      const u = num / den;
      return points.map(({ denominator: n }) => {
        if (n === 0) return { centre: u * scale, lower: 0, upper: u * scale };
        const sigma = Math.sqrt(u / n);
        return { centre: u * scale, lower: Math.max(0, u - 3 * sigma) * scale, upper: (u + 3 * sigma) * scale };
      });
    }
    case 'c':
      return points.map(() => cChart(calibration.map((c) => c.value))[0]!);
    case 'xmr':
      return points.map(() => iChart(calibration.map((c) => c.value))[0]!);
    default:
      return points.map(() => ({ centre: 0, lower: 0, upper: 0 }));
  }
}

export interface Phased {
  limits: Limits[];
  phaseOf: number[];
  runCharts: (RunChart & { startsWith: string; freezeThrough: string | null; from: number })[];
}

/** Limits and run-chart rules per phase; without phases, one phase over every point. */
export function phased(m: CatalogueEntry, points: Point[], phases: readonly ChartPhase[]): Phased {
  const starts = [...phases].sort((a, b) => a.startsWith.localeCompare(b.startsWith));
  if (starts.length === 0 || (points[0] && starts[0]!.startsWith > points[0].period)) starts.unshift({ startsWith: points[0]?.period ?? '', freezeThrough: null });
  const limits: Limits[] = [];
  const phaseOf: number[] = [];
  const runCharts: Phased['runCharts'] = [];
  starts.forEach((phase, i) => {
    const next = starts[i + 1]?.startsWith;
    const from = points.findIndex((p) => p.period >= phase.startsWith && (!next || p.period < next));
    if (from < 0) return;
    const seg = points.filter((p) => p.period >= phase.startsWith && (!next || p.period < next));
    const calibration = phase.freezeThrough ? seg.filter((p) => p.period <= phase.freezeThrough!) : seg;
    const l = phaseLimits(m, calibration, seg);
    limits.push(...l);
    phaseOf.push(...seg.map(() => i));
    const rc = runChart(seg.map((p) => p.value), chartFor(m.type) ? l : undefined);
    runCharts.push({ ...rc, startsWith: phase.startsWith, freezeThrough: phase.freezeThrough, from });
  });
  return { limits, phaseOf, runCharts };
}
