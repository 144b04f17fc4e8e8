// Control-chart limits (MEASURES.md): p-chart for proportions, c-chart for counts, I-chart for mean days. Pure.

export interface Limits {
  centre: number;
  lower: number;
  upper: number;
}

/** p-chart: centre = pooled p (sum numerators / sum denominators), limits p ± 3·sqrt(p(1-p)/n_i) clipped to [0, 1]. */
export function pChart(points: readonly { numerator: number; denominator: number }[]): Limits[] {
  const num = points.reduce((s, p) => s + p.numerator, 0);
  const den = points.reduce((s, p) => s + p.denominator, 0);
  if (den === 0) return points.map(() => ({ centre: 0, lower: 0, upper: 1 }));
  const p = num / den;
  return points.map(({ denominator: n }) => {
    if (n === 0) return { centre: p, lower: 0, upper: 1 };
    const sigma = Math.sqrt((p * (1 - p)) / n);
    return { centre: p, lower: Math.max(0, p - 3 * sigma), upper: Math.min(1, p + 3 * sigma) };
  });
}

/** c-chart: centre = mean count, limits c ± 3·sqrt(c), the lower clipped at 0. */
export function cChart(counts: readonly number[]): Limits[] {
  if (counts.length === 0) return [];
  const c = counts.reduce((s, x) => s + x, 0) / counts.length;
  const l = { centre: c, lower: Math.max(0, c - 3 * Math.sqrt(c)), upper: c + 3 * Math.sqrt(c) };
  return counts.map(() => l);
}

/** I-chart: centre = mean, sigma = mean moving range / 1.128. */
export function iChart(values: readonly number[]): Limits[] {
  if (values.length === 0) return [];
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  let mr = 0;
  for (let i = 1; i < values.length; i++) mr += Math.abs(values[i]! - values[i - 1]!);
  const sigma = values.length > 1 ? mr / (values.length - 1) / 1.128 : 0;
  const l = { centre: mean, lower: mean - 3 * sigma, upper: mean + 3 * sigma };
  return values.map(() => l);
}

/** u-chart (rates per unit of exposure): centre = Σcounts / Σexposure, limits u ± 3·sqrt(u/n_i), the lower clipped at 0. */
export function uChart(points: readonly { count: number; exposure: number }[]): Limits[] {
  const c = points.reduce((s, p) => s + p.count, 0);
  const n = points.reduce((s, p) => s + p.exposure, 0);
  if (n === 0) return points.map(() => ({ centre: 0, lower: 0, upper: 0 }));
  const u = c / n;
  return points.map(({ exposure }) => {
    if (exposure === 0) return { centre: u, lower: 0, upper: u };
    const sigma = Math.sqrt(u / exposure);
    return { centre: u, lower: Math.max(0, u - 3 * sigma), upper: u + 3 * sigma };
  });
}

/** XmR: the individuals chart (iChart) and its moving-range chart (centre MR-bar, upper 3.267·MR-bar, D4 for n = 2). */
export function xmrChart(values: readonly number[]): { x: Limits[]; movingRanges: number[]; mr: Limits } {
  const movingRanges = values.slice(1).map((v, i) => Math.abs(v - values[i]!));
  const mrBar = movingRanges.length ? movingRanges.reduce((s, x) => s + x, 0) / movingRanges.length : 0;
  return { x: iChart(values), movingRanges, mr: { centre: mrBar, lower: 0, upper: 3.267 * mrBar } };
}
