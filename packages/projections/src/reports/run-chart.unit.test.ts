import { describe, it, expect } from '@jest/globals';
import { median, runChart, runs, runsLimits, shifts, trends } from './run-chart';
import { cChart, iChart, pChart } from './control-charts';

describe('IHI run-chart rules', () => {
  it('finds a 6-point shift on each side of the median', () => {
    const v = [9, 10, 9, 11, 10, 9, 4, 5, 4, 5, 4, 5];
    // sorted: 4 4 4 5 5 5 | 9 9 9 10 10 11 -> median (5 + 9) / 2 = 7
    expect(median(v)).toBe(7);
    expect(shifts(v, 7)).toEqual([
      { from: 0, to: 5, side: 'above' },
      { from: 6, to: 11, side: 'below' },
    ]);
    // five points are not a shift
    expect(shifts([9, 10, 9, 11, 10, 4, 5, 4, 5, 4], 7)).toEqual([]);
  });

  it('skips points on the median: they neither count nor break a shift', () => {
    const v = [1, 2, 1, 5, 2, 5, 8, 9, 5, 8, 9, 8, 9];
    // sorted: 1 1 2 2 5 5 [5] 8 8 8 9 9 9 -> median 5, hit by points 3, 5 and 8
    expect(median(v)).toBe(5);
    // above: 6, 7, (8 on the median), 9, 10, 11, 12 -> six points, one shift spanning 6..12
    expect(shifts(v, 5)).toEqual([{ from: 6, to: 12, side: 'above' }]);
    const chart = runChart(v);
    expect(chart.runs.usefulObservations).toBe(10);
    expect(chart.runs.count).toBe(2); // below (0,1,2,4) then above (6..12)
  });

  it('finds a 5-point trend, counting equal neighbours once', () => {
    expect(trends([3, 4, 5, 5, 6, 7, 2])).toEqual([{ from: 0, to: 5, direction: 'up' }]);
    // 3 4 5 5 6: only four distinct steps -> no trend
    expect(trends([3, 4, 5, 5, 6, 2])).toEqual([]);
    expect(trends([10, 9, 8, 7, 6, 8])).toEqual([{ from: 0, to: 4, direction: 'down' }]);
  });

  it('flags too many and too few runs against the table', () => {
    const alternating = [1, 9, 1, 9, 1, 9, 1, 9, 1, 9];
    expect(runs(alternating, 5)).toMatchObject({ count: 10, lower: 3, upper: 9, tooMany: true, tooFew: false });
    expect(runs([1, 1, 1, 1, 1, 9, 9, 9, 9, 9], 5)).toMatchObject({ count: 2, tooFew: true, tooMany: false });
    expect(runs([1, 9, 9, 1, 1, 9, 9, 1, 1, 9], 5)).toMatchObject({ count: 6, tooFew: false, tooMany: false });
    // fewer than 10 useful observations: the table does not apply
    expect(runs([1, 9, 1], 5)).toMatchObject({ lower: null, tooFew: false, tooMany: false });
  });

  it('computes the published runs limits (Perla, Provost & Murray 2011)', () => {
    expect(runsLimits(10)).toEqual([3, 9]);
    expect(runsLimits(16)).toEqual([5, 13]);
    expect(runsLimits(30)).toEqual([11, 21]);
    expect(runsLimits(40)).toEqual([15, 27]);
    expect(runsLimits(60)).toEqual([24, 38]);
  });

  it('marks astronomical points outside the control limits', () => {
    const v = [0.2, 0.21, 0.19, 0.9, 0.2];
    const limits = v.map(() => ({ lower: 0.05, upper: 0.35 }));
    expect(runChart(v, limits).astronomical).toEqual([3]);
  });
});

describe('control charts', () => {
  it('p-chart: pooled centre and 3-sigma limits per subgroup size, clipped to [0, 1]', () => {
    const l = pChart([
      { numerator: 10, denominator: 100 },
      { numerator: 20, denominator: 100 },
      { numerator: 30, denominator: 100 },
      { numerator: 1, denominator: 4 },
    ]);
    // p = 61 / 304
    const p = 61 / 304;
    expect(l[0]!.centre).toBeCloseTo(p, 12);
    expect(l[0]!.upper).toBeCloseTo(p + 3 * Math.sqrt((p * (1 - p)) / 100), 12);
    expect(l[0]!.lower).toBeCloseTo(p - 3 * Math.sqrt((p * (1 - p)) / 100), 12);
    expect(l[3]!.lower).toBe(0); // p - 3 sigma(n=4) < 0
  });

  it('c-chart and I-chart', () => {
    expect(cChart([4, 4, 4])[0]).toEqual({ centre: 4, lower: 0, upper: 10 });
    const i = iChart([10, 12, 11, 13])[0]!;
    // mean 11.5, mean moving range (2 + 1 + 2) / 3, sigma = that / 1.128
    const sigma = 5 / 3 / 1.128;
    expect(i.centre).toBe(11.5);
    expect(i.upper).toBeCloseTo(11.5 + 3 * sigma, 12);
  });
});
