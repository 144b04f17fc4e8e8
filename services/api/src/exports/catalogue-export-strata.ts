// Strata in the analyst export (issue 15): for each stratification dimension of a measure, one row
// per category and period (and `total`, `baseline`) pooled over the collaborative as a whole. A
// dimension's categories add up to the measure's own pooled cell, which the export publishes, so
// the suppression runs over the table categories x periods with the measure's `all` row as the
// margin: a hidden category cannot be had as the total less the others. The margin starts with
// the cells the measure's own table hides; should the complements reach a margin cell the
// measure's table publishes, the whole dimension is hidden (both tables must agree). Per-cohort
// strata are not exported: with cohorts the table would be three-way. Pure.
import type { CatalogueEntry, MeasureValues } from '@convene/domain';
import { ALL_COHORTS } from './report';
import { BASELINE, exportRow, masks, poolOf, type CatalogueExportRow, type Cell, type Entry, type measureTables } from './catalogue-export';

type Tables = ReturnType<typeof measureTables>;
type Masks = { den: boolean[][]; num: boolean[][] };

/** Masks of a categories + margin table; everything hidden when a published margin cell would be hidden. */
function stratumMasks(m: CatalogueEntry, grid: Cell[][], margin: Masks, threshold: number | null): Masks {
  const last = grid.length - 1;
  const initial = (which: 'den' | 'num') => grid.map((row, i) => row.map((_, j) => (i === last ? margin[which][0]![j]! : false)));
  const got = masks(m, grid, threshold, { den: initial('den'), num: initial('num') });
  const marginMoved = grid[last]!.some((_, j) => (got.den[last]![j]! && !margin.den[0]![j]!) || (got.num[last]![j]! && !margin.num[0]![j]!));
  if (!marginMoved) return got;
  const all = grid.map((row) => row.map((c) => c.numerator !== null));
  return { den: m.type === 'count' ? grid.map((row) => row.map(() => false)) : all, num: all };
}

export function strataRows(
  m: CatalogueEntry,
  entries: readonly Entry[],
  tables: Tables,
  allIndex: number,
  base: Parameters<typeof exportRow>[0],
  threshold: number | null,
): CatalogueExportRow[] {
  const out: CatalogueExportRow[] = [];
  const pick = (masks: Masks, i: number): Masks => ({ den: [masks.den[i]!], num: [masks.num[i]!] });
  for (const dim of m.stratification ?? []) {
    const byCategory = dim.categories.map((category) => ({
      category,
      entries: entries.flatMap((e) => {
        const cell = (e.cell as MeasureValues[string]).strata?.[dim.dimension]?.[category];
        return cell ? [{ ...e, cell }] : [];
      }),
    }));
    if (byCategory.every((c) => c.entries.length === 0)) continue;
    const periodGrid = [
      ...byCategory.map((c) => tables.colKeys.map((col, j) => (j === tables.colKeys.length - 1 ? poolOf(m, c.entries.filter((e) => e.period !== BASELINE), false) : poolOf(m, c.entries.filter((e) => e.period === col), false)))),
      tables.periodGrid[allIndex]!,
    ];
    const baselineGrid = [
      ...byCategory.map((c) => {
        const b = poolOf(m, c.entries.filter((e) => e.period === BASELINE), true);
        return [b, b];
      }),
      tables.baselineGrid[allIndex]!,
    ];
    const pm = stratumMasks(m, periodGrid, pick(tables.pm, allIndex), threshold);
    const bm = stratumMasks(m, baselineGrid, pick(tables.bm, allIndex), threshold);
    byCategory.forEach(({ category }, i) => {
      const row = { ...base, dimension: dim.dimension, category };
      const b = baselineGrid[i]![0]!;
      if (b.agencies > 0) out.push(exportRow(row, ALL_COHORTS, BASELINE, b, bm.den[i]![0]! || bm.den[i]![1]!, bm.num[i]![0]! || bm.num[i]![1]!));
      tables.colKeys.forEach((col, j) => {
        const cell = periodGrid[i]![j]!;
        if (cell.agencies > 0) out.push(exportRow(row, ALL_COHORTS, col, cell, pm.den[i]![j]!, pm.num[i]![j]!));
      });
    });
  }
  return out;
}
