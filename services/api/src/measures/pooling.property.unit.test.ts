// Issue 15.4 (Must show), property: for random catalogues, agencies and submissions, each pooled
// value equals the sum of numerators over the sum of denominators, stratified cells sum to the
// unstratified figure, and suppression never lets a suppressed cell be recomputed from the others.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { CatalogueEntry, MeasureValue } from '@convene/domain';
import { validateValues } from '@convene/domain';
import { catalogueMeasureReport, type AgencySubmissions } from '@convene/projections';
import { recoverableCells } from '../exports/suppression';
import { suppressionMasks } from './visibility';

const TYPES = ['proportion', 'rate', 'mean', 'count'] as const;
const categories = ['a', 'b', 'c'];
const measureOf = (type: (typeof TYPES)[number], i: number): CatalogueEntry => ({
  id: `m${i}`, name: `M${i}`, definition: 'd', type, unit: 'u', direction: 'higher', period: 'monthly', required: false,
  ...(type === 'rate' ? { perUnits: 1000 } : {}),
  stratification: [{ dimension: 'payer', name: 'Payer', categories }],
});
const periods = ['2025-01', '2025-02', '2025-03', '2025-04'];

/** Per stratum (a, b, c) a numerator part and a denominator part; the total is their sum. */
const cellArb = fc.array(fc.tuple(fc.nat(30), fc.nat(40)), { minLength: 3, maxLength: 3 });
const valueOf = (type: (typeof TYPES)[number], strata: [number, number][]): MeasureValue => {
  const cell = (n: number, extra: number) =>
    type === 'proportion' ? { numerator: n, denominator: n + extra } : type === 'rate' ? { count: n, exposure: n + extra } : type === 'mean' ? { total: n, cases: n + extra } : { count: n };
  const total = strata.reduce(([a, b], [n, e]) => [a + n, b + e], [0, 0]);
  return { ...cell(total[0]!, total[1]!), strata: { payer: Object.fromEntries(strata.map(([n, e], k) => [categories[k]!, cell(n, e)])) } } as MeasureValue;
};
const parts = (type: string, v: MeasureValue): [number, number] =>
  type === 'proportion' ? [v.numerator!, v.denominator!] : type === 'rate' ? [v.count!, v.exposure!] : type === 'mean' ? [v.total!, v.cases!] : [v.count!, 1];

const world = fc.record({
  types: fc.array(fc.constantFrom(...TYPES), { minLength: 1, maxLength: 3 }),
  agencies: fc.integer({ min: 2, max: 6 }),
  // agency x period: reported? and its strata
  cells: fc.array(fc.array(fc.option(cellArb, { freq: 4 }), { minLength: periods.length, maxLength: periods.length }), { minLength: 6, maxLength: 6 }),
});

describe('issue 15.4: pooling, strata and suppression (property)', () => {
  it('issue 15.4: pooled = Σnum/Σden, strata sum to the unstratified figure, no suppressed cell is recoverable', () => {
    fc.assert(
      fc.property(world, ({ types, agencies, cells }) => {
        types.forEach((type, i) => {
          const m = measureOf(type, i);
          const subs: AgencySubmissions[] = Array.from({ length: agencies }, (_, a) => ({
            agencyId: `agency-${a}`,
            baseline: null,
            periods: periods.flatMap((period, p) => {
              const c = cells[a]![p];
              return c ? [{ period, values: { [m.id]: valueOf(type, c as [number, number][]) } }] : [];
            }),
          }));
          // Every generated submission is valid against the catalogue (strata sum to the total).
          for (const s of subs) for (const p of s.periods) expect(validateValues([m], p.values, { period: 'monthly', complete: false })).toEqual([]);
          const report = catalogueMeasureReport(m, subs);
          for (const point of report.points) {
            const reported = subs.flatMap((s) => s.periods.filter((p) => p.period === point.period).map((p) => parts(type, p.values[m.id]!)));
            const num = reported.reduce((x, [n]) => x + n, 0);
            const den = reported.reduce((x, [, d]) => x + d, 0);
            expect(point.numerator).toBe(num);
            // Counts pool as a sum per period (denominator: one period).
            expect(point.denominator).toBe(type === 'count' ? 1 : den);
            const expected = type === 'count' ? num : (num / den) * (type === 'rate' ? 1000 : 1);
            expect(point.value).toBeCloseTo(expected, 12);
            // Strata: the cells of a period sum to the unstratified numerator and denominator.
            const strata = report.strata.map((s) => s.points.find((x) => x.period === point.period));
            expect(strata.reduce((x, s) => x + (s?.numerator ?? 0), 0)).toBe(num);
            if (type !== 'count') expect(strata.reduce((x, s) => x + (s?.denominator ?? 0), 0)).toBe(den);
          }
          // Suppression of the per-agency series: nothing suppressed can be solved for from the
          // published cells and the row and column totals (the pooled figures).
          const { den, num, denMask, numMask } = suppressionMasks(report.agencySeries, periods, { countsOnly: type === 'count' });
          expect(recoverableCells(den, denMask)).toEqual([]);
          expect(recoverableCells(num, numMask)).toEqual([]);
          // A hidden denominator always hides its numerator; small published cells do not exist.
          denMask.forEach((row, r) => row.forEach((hidden, c) => hidden && expect(numMask[r]![c]).toBe(true)));
          for (const [grid, mask] of [[den, denMask], [num, numMask]] as const)
            grid.forEach((row, r) => row.forEach((v, c) => {
              if (type === 'count' && grid === den) return;
              if (v !== null && v > 0 && v < 11) expect(mask[r]![c]).toBe(true);
            }));
        });
      }),
      { numRuns: 150 },
    );
  });
});
