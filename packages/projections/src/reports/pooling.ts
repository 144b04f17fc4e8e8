// Pooling catalogue values across agencies (issue 15; MEASURES.md): sums of numerators over sums
// of denominators per type, never the mean of agency rates. Pure.
import type { CatalogueEntry, StratumValue } from '@convene/domain';

export interface PooledValue {
  numerator: number;
  denominator: number;
  /** null: no data (nothing reported, or a zero denominator). */
  value: number | null;
  /** Cells (agency values) that went in. */
  n: number;
}

/** The numerator and denominator a cell adds for its type; null when the cell lacks them. */
export function parts(m: CatalogueEntry, v: StratumValue | undefined): [number, number] | null {
  if (!v) return null;
  const pair = (a: number | undefined, b: number | undefined): [number, number] | null => (a === undefined || b === undefined ? null : [a, b]);
  switch (m.type) {
    case 'count':
      return pair(v.count, 1);
    case 'proportion':
      return pair(v.numerator, v.denominator);
    case 'rate':
      return pair(v.count, v.exposure);
    case 'mean':
      return pair(v.total, v.cases);
    case 'median':
      // Approximate (documented): the case-weighted mean of the agencies' medians.
      return v.median === undefined || v.cases === undefined ? null : [v.median * v.cases, v.cases];
    default:
      return null;
  }
}

/**
 * Pools cells of one measure. count: the sum (per period; `periods` divides a baseline spanning
 * several); proportion Σnum/Σden; rate Σcount/Σexposure × perUnits; mean Σtotal/Σcases; median
 * approximate (case-weighted mean of medians). Categorical and text measures have no pooled value.
 */
export function poolCells(m: CatalogueEntry, cells: readonly (StratumValue | undefined)[], periods = 1): PooledValue {
  let numerator = 0;
  let denominator = 0;
  let n = 0;
  for (const c of cells) {
    const p = parts(m, c);
    if (!p) continue;
    numerator += p[0];
    denominator += p[1];
    n++;
  }
  if (n === 0) return { numerator, denominator, value: null, n };
  if (m.type === 'count') return { numerator, denominator: periods, value: numerator / periods, n };
  if (denominator === 0) return { numerator, denominator, value: null, n };
  const scale = m.type === 'rate' ? (m.perUnits ?? 1) : 1;
  return { numerator, denominator, value: (numerator / denominator) * scale, n };
}

/** Categorical measures: counts per category summed over the cells. */
export function poolCategories(cells: readonly (StratumValue | undefined)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cells) for (const [k, x] of Object.entries(c?.counts ?? {})) out[k] = (out[k] ?? 0) + x;
  return out;
}
