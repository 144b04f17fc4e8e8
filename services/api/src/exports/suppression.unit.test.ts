import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { recoverableCells, suppress, type Grid } from './suppression';

/** Cells plus a total column and a total row. */
const withTotals = (cells: number[][]): Grid => {
  const rows = cells.map((r) => [...r, r.reduce((a, b) => a + b, 0)]);
  const totals = rows[0]!.map((_, c) => rows.reduce((sum, r) => sum + r[c]!, 0));
  return [...rows, totals];
};
const count = (s: boolean[][]) => s.flat().filter(Boolean).length;

describe('suppression', () => {
  it('publishes a table with no small counts untouched', () => {
    const grid = withTotals([[20, 30], [40, 50]]);
    expect(count(suppress(grid, { threshold: 11 }))).toBe(0);
  });

  it('suppresses a small count and a complement in its row and its column', () => {
    const grid = withTotals([[5, 30, 25], [40, 50, 60]]);
    const s = suppress(grid, { threshold: 11 });
    expect(s[0]![0]).toBe(true);
    // Its row and its column each hold another suppressed entry, so neither total gives it away.
    expect(s[0]!.filter(Boolean).length).toBeGreaterThanOrEqual(2);
    expect(s.map((r) => r[0]).filter(Boolean).length).toBeGreaterThanOrEqual(2);
    expect(recoverableCells(grid, s)).toEqual([]);
  });

  it('a lone small count in a one-column table hides its total too (or the table)', () => {
    const grid = withTotals([[3], [40]]);
    const s = suppress(grid, { threshold: 11 });
    expect(s[0]![0]).toBe(true);
    expect(recoverableCells(grid, s)).toEqual([]);
  });

  it('zero is published, the threshold is configurable', () => {
    const grid = withTotals([[0, 30], [40, 50]]);
    expect(count(suppress(grid, { threshold: 11 }))).toBe(0);
    expect(count(suppress(withTotals([[12, 30], [40, 50]]), { threshold: 20 }))).toBeGreaterThan(0);
  });

  it('detects a recoverable cell (the checker itself can fail)', () => {
    const grid = withTotals([[5, 30], [40, 50]]);
    const only = grid.map((r, i) => r.map((_, j) => i === 0 && j === 0));
    expect(recoverableCells(grid, only)).toEqual([[0, 0]]);
  });

  it('property: no suppressed entry of any table can be solved from the published totals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((rows) =>
          fc.array(fc.array(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 200 })), { minLength: 1, maxLength: 6 }).map((r) => r), { minLength: rows, maxLength: rows }),
        ),
        (ragged) => {
          const width = Math.min(...ragged.map((r) => r.length));
          const cells = ragged.map((r) => r.slice(0, width));
          const grid = withTotals(cells);
          const s = suppress(grid, { threshold: 11 });
          for (let r = 0; r < grid.length; r++) for (let c = 0; c < grid[0]!.length; c++) {
            const v = grid[r]![c]!;
            if (v > 0 && v < 11) expect(s[r]![c]).toBe(true);
          }
          expect(recoverableCells(grid, s)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
