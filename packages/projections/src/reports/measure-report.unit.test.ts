import { describe, expect, it } from '@jest/globals';
import { catalogueFromTemplate, type CatalogueEntry } from '@convene/domain';
import { catalogueMeasureReport, type AgencySubmissions } from './measure-report';

const niatx = catalogueFromTemplate('niatx', ['continuation_30']);
const byId = (id: string) => niatx.find((m) => m.id === id)!;
const agency = (agencyId: string, n30: number, den: number): AgencySubmissions => ({
  agencyId,
  baseline: { from: '2025-01-01', to: '2025-02-28', values: { continuation_30: { numerator: n30 - 2, denominator: den } } },
  periods: ['2025-03', '2025-04'].map((period) => ({ period, values: { continuation_30: { numerator: n30, denominator: den } } })),
});

describe('issue 15.3: 30-day continuation without a 60-day count', () => {
  it('issue 15.3: the 30-day rate pools; the 60-day rate reports no data (no points, null values, every agency "no data")', () => {
    const agencies = [agency('a', 6, 10), agency('b', 3, 5)];
    const r30 = catalogueMeasureReport(byId('continuation_30'), agencies);
    expect(r30.points.map((p) => [p.period, p.numerator, p.denominator, p.value])).toEqual([['2025-03', 9, 15, 0.6], ['2025-04', 9, 15, 0.6]]);
    expect(r30.agencies).toEqual({ improved: 2, notImproved: 0, noData: 0 });
    const r60 = catalogueMeasureReport(byId('continuation_60'), agencies);
    expect(r60.points).toEqual([]);
    expect(r60.baseline.value).toBeNull();
    expect(r60.latest).toBeNull();
    expect(r60.change).toBeNull();
    expect(r60.agencies).toEqual({ improved: 0, notImproved: 0, noData: 2 });
  });
});

describe('issue 15.4: pooling by type', () => {
  const m = (type: CatalogueEntry['type'], extra: Partial<CatalogueEntry> = {}): CatalogueEntry => ({ id: 'x', name: 'X', definition: 'd', unit: 'u', type, period: 'monthly', required: false, direction: 'lower', ...extra });
  const subs = (cells: object[][]): AgencySubmissions[] =>
    cells.map((periods, i) => ({ agencyId: `a${i}`, baseline: null, periods: periods.map((v, k) => ({ period: `2025-0${k + 1}`, values: { x: v } })) }));
  it('rate per unit: Σcount / Σexposure × perUnits (u-chart)', () => {
    const r = catalogueMeasureReport(m('rate', { perUnits: 1000 }), subs([[{ count: 3, exposure: 1000 }], [{ count: 7, exposure: 4000 }]]));
    expect(r.chart).toBe('u');
    expect(r.points[0]!.value).toBe(2);
  });
  it('mean: Σtotal / Σcases (XmR); median: approximate, case-weighted', () => {
    expect(catalogueMeasureReport(m('mean'), subs([[{ total: 100, cases: 10 }], [{ total: 20, cases: 10 }]])).points[0]!.value).toBe(6);
    const med = catalogueMeasureReport(m('median'), subs([[{ median: 10, cases: 30 }], [{ median: 2, cases: 10 }]]));
    expect([med.chart, med.points[0]!.value]).toEqual(['xmr', 8]);
  });
  it('categorical: counts per category, no pooled value; text: never pooled', () => {
    const r = catalogueMeasureReport(m('categorical', { categories: ['self', 'court'], direction: undefined }), subs([[{ counts: { self: 2, court: 1 } }], [{ counts: { self: 4 } }]]));
    expect([r.chart, r.points, r.categories]).toEqual([null, [], [{ period: '2025-01', counts: { self: 6, court: 1 } }]]);
    expect(catalogueMeasureReport(m('text', { direction: undefined }), subs([[{ text: 'Transport' }]])).points).toEqual([]);
  });
});
