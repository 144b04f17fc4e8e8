// IHI run-chart rules (Perla, Provost & Murray, BMJ Qual Saf 2011). Pure.

export interface Signal {
  /** Indexes into the points, inclusive. */
  from: number;
  to: number;
}

export interface RunChart {
  median: number | null;
  /** 6 or more consecutive points above (or below) the median; points on the median are skipped. */
  shifts: (Signal & { side: 'above' | 'below' })[];
  /** 5 or more consecutive points all going up (or down); equal neighbours count once. */
  trends: (Signal & { direction: 'up' | 'down' })[];
  runs: {
    count: number;
    /** Points not on the median. */
    usefulObservations: number;
    /** Limits from the published table; null when there are too few useful observations for it. */
    lower: number | null;
    upper: number | null;
    tooFew: boolean;
    tooMany: boolean;
  };
  /** Indexes of points outside the control limits given (3-sigma), if any were given. */
  astronomical: number[];
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const choose = (n: number, k: number): number => {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
};

/**
 * Limits for the number of runs with n useful observations: the Swed-Eisenhart distribution of
 * runs (n/2 points on each side of the median), 2.5% in each tail, from which the published IHI
 * table (Perla, Provost & Murray 2011, Table 1) is drawn. Computed for 10..100 observations.
 */
export function runsLimits(n: number): [number, number] | null {
  if (n < 10 || n > 100) return null;
  const n1 = Math.floor(n / 2);
  const n2 = n - n1;
  const total = choose(n, n1);
  const p: number[] = [];
  for (let r = 2; r <= n; r++) {
    const k = Math.floor(r / 2);
    p[r] = (r % 2 === 0
      ? 2 * choose(n1 - 1, k - 1) * choose(n2 - 1, k - 1)
      : choose(n1 - 1, k) * choose(n2 - 1, k - 1) + choose(n1 - 1, k - 1) * choose(n2 - 1, k)) / total;
  }
  let lower = 2;
  for (let cum = 0, r = 2; r <= n; r++) {
    if (cum + (p[r] ?? 0) > 0.025) {
      lower = r;
      break;
    }
    cum += p[r] ?? 0;
  }
  let upper = n;
  for (let cum = 0, r = n; r >= 2; r--) {
    if (cum + (p[r] ?? 0) > 0.025) {
      upper = r;
      break;
    }
    cum += p[r] ?? 0;
  }
  return [lower, upper];
}

export const SHIFT_LENGTH = 6;
export const TREND_LENGTH = 5;

export function shifts(values: readonly number[], centre: number): RunChart['shifts'] {
  const out: RunChart['shifts'] = [];
  let side: 'above' | 'below' | null = null;
  let count = 0;
  let from = -1;
  let last = -1;
  const close = () => {
    if (side && count >= SHIFT_LENGTH) out.push({ from, to: last, side });
  };
  values.forEach((v, i) => {
    if (v === centre) return; // neither counts nor breaks the run
    const s = v > centre ? 'above' : 'below';
    if (s !== side) {
      close();
      side = s;
      count = 0;
      from = i;
    }
    count++;
    last = i;
  });
  close();
  return out;
}

export function trends(values: readonly number[]): RunChart['trends'] {
  // Equal neighbours count once: keep the first of each stretch of equal values.
  const kept: number[] = [];
  values.forEach((v, i) => {
    if (i === 0 || v !== values[i - 1]) kept.push(i);
  });
  const out: RunChart['trends'] = [];
  let dir: 'up' | 'down' | null = null;
  let start = 0; // index into kept of the trend's first point
  for (let k = 1; k <= kept.length; k++) {
    const d = k < kept.length ? (values[kept[k]!]! > values[kept[k - 1]!]! ? 'up' : 'down') : null;
    if (d !== dir) {
      if (dir && k - start >= TREND_LENGTH) out.push({ from: kept[start]!, to: kept[k - 1]!, direction: dir });
      dir = d;
      start = k - 1;
    }
  }
  return out;
}

export function runs(values: readonly number[], centre: number): RunChart['runs'] {
  const sides = values.filter((v) => v !== centre).map((v) => v > centre);
  let count = sides.length > 0 ? 1 : 0;
  for (let i = 1; i < sides.length; i++) if (sides[i] !== sides[i - 1]) count++;
  const limits = runsLimits(sides.length);
  return {
    count,
    usefulObservations: sides.length,
    lower: limits?.[0] ?? null,
    upper: limits?.[1] ?? null,
    tooFew: limits ? count < limits[0] : false,
    tooMany: limits ? count > limits[1] : false,
  };
}

/** The run chart of a series; `limits` (per point) mark astronomical points when given. */
export function runChart(values: readonly number[], limits?: readonly { lower: number; upper: number }[]): RunChart {
  const centre = median(values);
  const astronomical = limits ? values.flatMap((v, i) => (limits[i] && (v > limits[i]!.upper || v < limits[i]!.lower) ? [i] : [])) : [];
  if (centre === null) return { median: null, shifts: [], trends: [], runs: runs([], 0), astronomical };
  return { median: centre, shifts: shifts(values, centre), trends: trends(values), runs: runs(values, centre), astronomical };
}
