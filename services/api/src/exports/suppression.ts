// Small-cell suppression with complementary suppression, for a table with row and column totals.
// Pure. The grid is (R+1) x (C+1): the last row and column are the totals, so every line (a row
// or a column, its total included) satisfies: sum of its cells = its total. A published table
// must not let anyone solve for a suppressed value from these equations.

/** null: no value (nothing reported), known to all, never suppressed. */
export type Grid = (number | null)[][];

export interface SuppressionOptions {
  /** Values 1..threshold-1 are suppressed (default 11). Zero is published. */
  threshold: number;
  /** Entries hidden whatever their value (e.g. a numerator whose denominator is hidden); complements follow. */
  initial?: boolean[][];
}

type Cell = [number, number];

/** The lines of the grid: every row and every column, totals included, and which entry is the total. */
function lines(rows: number, cols: number): { cells: Cell[]; total: Cell }[] {
  const out: { cells: Cell[]; total: Cell }[] = [];
  for (let r = 0; r < rows; r++) out.push({ cells: Array.from({ length: cols - 1 }, (_, c) => [r, c] as Cell), total: [r, cols - 1] });
  for (let c = 0; c < cols; c++) out.push({ cells: Array.from({ length: rows - 1 }, (_, r) => [r, c] as Cell), total: [rows - 1, c] });
  return out;
}

/** Rank of a small dense matrix (Gaussian elimination; entries are small integers). */
function rank(matrix: number[][]): number {
  const m = matrix.map((row) => [...row]);
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && r < m.length; c++) {
    let pivot = -1;
    for (let i = r; i < m.length; i++) if (Math.abs(m[i]![c]!) > 1e-9) pivot = i;
    if (pivot < 0) continue;
    [m[r], m[pivot]] = [m[pivot]!, m[r]!];
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const f = m[i]![c]! / m[r]![c]!;
      if (f !== 0) for (let k = c; k < cols; k++) m[i]![k]! -= f * m[r]![k]!;
    }
    r++;
  }
  return r;
}

/**
 * The suppressed entries whose value follows from the published ones: x_k is determined exactly
 * when the unit vector e_k lies in the row space of the line equations over the unknowns.
 */
export function recoverableCells(grid: Grid, suppressed: boolean[][]): Cell[] {
  const rows = grid.length;
  const cols = grid[0]?.length ?? 0;
  const unknowns: Cell[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (suppressed[r]![c]) unknowns.push([r, c]);
  if (unknowns.length === 0) return [];
  const index = new Map(unknowns.map(([r, c], i) => [`${r},${c}`, i]));
  const equations = lines(rows, cols)
    .map(({ cells, total }) => {
      const row = new Array<number>(unknowns.length).fill(0);
      for (const [r, c] of cells) {
        const i = index.get(`${r},${c}`);
        if (i !== undefined) row[i]! += 1;
      }
      const t = index.get(`${total[0]},${total[1]}`);
      if (t !== undefined) row[t]! -= 1;
      return row;
    })
    .filter((row) => row.some((v) => v !== 0));
  const base = rank(equations);
  return unknowns.filter((_, k) => {
    const unit = new Array<number>(unknowns.length).fill(0);
    unit[k] = 1;
    return rank([...equations, unit]) === base;
  });
}

/** Which entries to suppress: small counts, then complements until nothing can be recovered. */
export function suppress(grid: Grid, options: SuppressionOptions): boolean[][] {
  const rows = grid.length;
  const cols = grid[0]?.length ?? 0;
  const value = (r: number, c: number) => grid[r]![c]!;
  const s = grid.map((row, r) => row.map((v, c) => v !== null && ((options.initial?.[r]?.[c] ?? false) || (v > 0 && v < options.threshold))));
  const all = lines(rows, cols);
  /** Suppress the smallest published non-null entry of a line (other than `except`); false if none. */
  const complement = (entries: Cell[]): boolean => {
    const candidates = entries.filter(([r, c]) => !s[r]![c] && value(r, c) !== null);
    if (candidates.length === 0) return false;
    // Prefer a non-zero cell: a suppressed zero next to a small count hides less.
    candidates.sort(([ar, ac], [br, bc]) => Number(value(ar, ac) === 0) - Number(value(br, bc) === 0) || value(ar, ac)! - value(br, bc)!);
    const [r, c] = candidates[0]!;
    s[r]![c] = true;
    return true;
  };
  for (let guard = 0; guard < rows * cols + 1; guard++) {
    let changed = false;
    for (const { cells, total } of all) {
      const entries = [...cells, total];
      if (entries.filter(([r, c]) => s[r]![c]).length === 1) changed = complement(entries) || changed;
    }
    if (changed) continue;
    const recoverable = recoverableCells(grid, s);
    const first = recoverable[0];
    if (!first) return s;
    // Break the chain that determines it: suppress another entry of its row (or else its column).
    const [r, c] = first;
    const rowLine = all[r]!;
    const colLine = all[rows + c]!;
    if (!complement([...rowLine.cells, rowLine.total]) && !complement([...colLine.cells, colLine.total])) {
      // Nothing left to hide in either line: hide the whole table.
      return grid.map((row) => row.map((v) => v !== null));
    }
  }
  return grid.map((row) => row.map((v) => v !== null));
}
