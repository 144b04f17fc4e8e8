import { describe, expect, it } from '@jest/globals';
import type { CatalogueEntry } from '@convene/domain';
import { catalogueMeasureReport, type AgencySubmissions } from './measure-report';

const m: CatalogueEntry = { id: 'x', name: 'X', definition: 'd', type: 'proportion', unit: 'u', direction: 'higher', period: 'monthly', required: false };
const months = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
// 20% for six months, then 40% (a sustained shift after a change).
const numerators = [20, 21, 19, 20, 22, 18, 40, 41, 39, 42, 40, 38];
const one: AgencySubmissions[] = [{ agencyId: 'a', baseline: null, periods: months.map((period, i) => ({ period, values: { x: { numerator: numerators[i]!, denominator: 100 } } })) }];

describe('issue 15.4: chart phases (frozen limits, a new phase after a shift)', () => {
  it('without phases the limits come from every point; frozen over the first six months the later points stand out', () => {
    const plain = catalogueMeasureReport(m, one);
    expect(plain.phases).toEqual([]);
    expect(plain.points[0]!.limits.centre).toBeCloseTo(360 / 1200, 12);
    const frozen = catalogueMeasureReport(m, one, { phases: [{ startsWith: '2025-01', freezeThrough: '2025-06' }] });
    const p = 120 / 600;
    for (const point of frozen.points) expect(point.limits.centre).toBeCloseTo(p, 12);
    expect(frozen.points[11]!.limits.upper).toBeCloseTo(p + 3 * Math.sqrt((p * (1 - p)) / 100), 12);
    // Every point after the freeze lies above the frozen upper limit (0.32): astronomical signals.
    expect(frozen.runChart.astronomical).toEqual([6, 7, 8, 9, 10, 11]);
    expect(frozen.points.filter((x) => x.signal).map((x) => x.period)).toEqual(expect.arrayContaining(months.slice(6)));
  });
  it('a new phase after the shift gets its own centre and limits, and its own run-chart rules', () => {
    const r = catalogueMeasureReport(m, one, { phases: [{ startsWith: '2025-01', freezeThrough: '2025-06' }, { startsWith: '2025-07', freezeThrough: null }] });
    expect(r.points.map((x) => x.phase)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(r.points[6]!.limits.centre).toBeCloseTo(240 / 600, 12);
    expect(r.phases.map((x) => [x.startsWith, x.from, x.runChart.astronomical])).toEqual([['2025-01', 0, []], ['2025-07', 6, []]]);
    expect(r.points.some((x) => x.signal)).toBe(false);
  });
});
