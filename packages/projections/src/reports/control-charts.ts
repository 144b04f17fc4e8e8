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
