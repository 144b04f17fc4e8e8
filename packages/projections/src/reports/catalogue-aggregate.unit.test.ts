// Issue 15: what an analyst's pooled report withholds (pure): a hidden period's cells are left out
// before pooling (no centre or baseline from them), a hidden stratum point and a hidden category
// count are removed, and `suppressed` names the periods.
import { describe, expect, it } from '@jest/globals';
import type { CatalogueEntry } from '@convene/domain';
import { catalogueAggregate, hideParts } from './catalogue-aggregate';
import { catalogueMeasureReport, type AgencySubmissions } from './measure-report';

const screened: CatalogueEntry = {
  id: 'screened', name: 'Screened', definition: 'd', type: 'proportion', unit: 'clients', direction: 'higher', period: 'monthly', required: false,
  stratification: [{ dimension: 'payer', name: 'Payer', categories: ['medicaid', 'private'] }],
};
const referral: CatalogueEntry = { id: 'referral', name: 'Referral', definition: 'd', type: 'categorical', unit: 'clients', period: 'monthly', required: false, categories: ['self', 'court'] };
const cell = (n: number, d: number) => ({ numerator: n, denominator: d, strata: { payer: { medicaid: { numerator: n - 1, denominator: d - 2 }, private: { numerator: 1, denominator: 2 } } } });
const agencies: AgencySubmissions[] = ['a', 'b'].map((agencyId, i) => ({
  agencyId,
  baseline: { from: '2025-01-01', to: '2025-02-28', values: { screened: cell(10 + i, 30) } },
  periods: ['2025-03', '2025-04', '2025-05'].map((period, j) => ({ period, values: { screened: cell(12 + i + j, 30 + j), referral: { counts: { self: 20 + j, court: 2 + i } } } })),
}));

describe('issue 15: the pooled report without the hidden cells', () => {
  const hidden = (m: string, period: string, part: { dimension?: string; category?: string } = {}) =>
    (m === 'screened' && !part.dimension && period === '2025-04') || (part.dimension === 'payer' && part.category === 'private' && period === '2025-03') || (part.category === 'court' && period === '2025-05');
  it('issue 15: a hidden period is not pooled: the centre line and points are those of the published periods only', () => {
    const [r, c] = catalogueAggregate([screened, referral], agencies, {}, hidden);
    expect(r!.suppressed).toEqual(['2025-04']);
    expect(r!.points.map((p) => p.period)).toEqual(['2025-03', '2025-05']);
    const published = catalogueMeasureReport(screened, agencies.map((a) => ({ ...a, periods: a.periods.filter((p) => p.period !== '2025-04') })));
    expect(r!.points.map((p) => p.limits)).toEqual(published.points.map((p) => p.limits));
    expect(r!.baseline).toEqual(published.baseline);
    // The categorical measure: the court count of May is gone, the rest stays.
    expect(c!.suppressed).toEqual(['2025-05']);
    expect(c!.categories.find((x) => x.period === '2025-05')!.counts).toEqual({ self: 44 });
    expect(c!.categories.find((x) => x.period === '2025-03')!.counts).toEqual({ self: 40, court: 5 });
  });
  it('issue 15: a hidden stratum point is removed from the measure report', () => {
    const report = hideParts(screened, catalogueMeasureReport(screened, agencies), hidden);
    expect(report.strata.find((s) => s.category === 'private')!.points.map((p) => p.period)).toEqual(['2025-04', '2025-05']);
    expect(report.strata.find((s) => s.category === 'medicaid')!.points.map((p) => p.period)).toEqual(['2025-03', '2025-04', '2025-05']);
  });
});
