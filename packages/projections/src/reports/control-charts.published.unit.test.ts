// Issue 15.4 (Must show): each chart type checked against a published worked example. The data
// and the figures are those printed in D. C. Montgomery, "Introduction to Statistical Quality
// Control" (6th ed., Wiley 2009): Example 7.1 (p chart), Example 7.3 (c chart), Example 7.4
// (u chart) and Example 6.5 (individuals and moving-range chart). The run-chart rules follow
// Perla, Provost & Murray, "The run chart", BMJ Qual Saf 2011 (and Provost & Murray, "The Health
// Care Data Guide", 2011), whose Table 1 gives the runs limits checked in run-chart.unit.test.ts.
import { describe, expect, it } from '@jest/globals';
import { cChart, pChart, uChart, xmrChart } from './control-charts';
import { runChart } from './run-chart';

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

describe('issue 15.4: control charts against published worked examples', () => {
  it('p chart: Montgomery Example 7.1, orange-juice cans (30 samples of n = 50): p-bar 0.2313, limits 0.0524-0.4102, samples 15 and 23 out', () => {
    const nonconforming = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6];
    const points = nonconforming.map((numerator) => ({ numerator, denominator: 50 }));
    const limits = pChart(points);
    expect(round(limits[0]!.centre, 4)).toBe(0.2313);
    expect(round(limits[0]!.upper, 4)).toBe(0.4102);
    expect(round(limits[0]!.lower, 4)).toBe(0.0524);
    const out = runChart(points.map((p) => p.numerator / 50), limits).astronomical.map((i) => i + 1);
    expect(out).toEqual([15, 23]);
  });

  it('c chart: Montgomery Example 7.3, nonconformities in 26 samples of 100 circuit boards: c-bar 19.85, limits 6.48-33.22, samples 6 and 20 out', () => {
    const c = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39, 30, 24, 16, 19, 17, 15];
    const limits = cChart(c);
    expect(round(limits[0]!.centre, 2)).toBe(19.85);
    // The book computes the limits from c-bar rounded to 19.85 (19.85 + 3·sqrt(19.85) = 33.22);
    // from the unrounded 516/26 the upper limit is 33.211.
    expect(Math.abs(limits[0]!.upper - 33.22)).toBeLessThan(0.01);
    expect(round(limits[0]!.lower, 2)).toBe(6.48);
    expect(runChart(c, limits).astronomical.map((i) => i + 1)).toEqual([6, 20]);
  });

  it('u chart: Montgomery Example 7.4, nonconformities in 20 samples of 5 computers: u-bar 1.93, limits 0.07-3.79, in control', () => {
    const totals = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5];
    const limits = uChart(totals.map((count) => ({ count, exposure: 5 })));
    expect(round(limits[0]!.centre, 2)).toBe(1.93);
    expect(round(limits[0]!.upper, 2)).toBe(3.79);
    expect(round(limits[0]!.lower, 2)).toBe(0.07);
    expect(runChart(totals.map((t) => t / 5), limits).astronomical).toEqual([]);
    // Unequal exposure: the limits widen where the exposure is smaller.
    const unequal = uChart([{ count: 4, exposure: 2 }, { count: 10, exposure: 8 }]);
    expect(unequal[0]!.upper - unequal[0]!.centre).toBeGreaterThan(unequal[1]!.upper - unequal[1]!.centre);
  });

  it('XmR: Montgomery Example 6.5, cost of mortgage-loan processing over 20 weeks: x-bar 300.5, MR-bar 7.79, limits 279.78-321.22 (MR upper 25.45)', () => {
    const costs = [310, 288, 297, 298, 307, 303, 294, 297, 308, 306, 294, 299, 297, 299, 314, 295, 293, 306, 301, 304];
    const { x, mr } = xmrChart(costs);
    expect(x[0]!.centre).toBe(300.5);
    expect(round(mr.centre, 2)).toBe(7.79);
    expect(round(x[0]!.upper, 2)).toBe(321.22);
    expect(round(x[0]!.lower, 2)).toBe(279.78);
    expect(round(mr.upper, 2)).toBe(25.45);
    expect(runChart(costs, x).astronomical).toEqual([]);
  });
});
