// Issue 15: strata and categorical counts in the analyst export (pure). Strata rows are the measure
// report's strata; for random submissions no hidden stratum cell can be solved for from the
// published categories and the measure's own published row (their margin); categorical measures
// export each category's summed counts; text measures never appear.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { CatalogueEntry } from '@convene/domain';
import { catalogueMeasureReport } from '@convene/projections';
import { catalogueExportRows, type CatalogueExportRow, type SubmissionRow } from './catalogue-export';
import { recoverableCells, type Grid } from './suppression';

const PAYERS = ['medicaid', 'private', 'none'];
const screened: CatalogueEntry = {
  id: 'screened', name: 'Screened', definition: 'd', type: 'proportion', unit: 'clients', direction: 'higher', period: 'monthly', required: false,
  stratification: [{ dimension: 'payer', name: 'Payer', categories: PAYERS }],
};
const referral: CatalogueEntry = { id: 'referral', name: 'Referral', definition: 'd', type: 'categorical', unit: 'clients', period: 'monthly', required: false, categories: ['self', 'court'] };
const notes: CatalogueEntry = { id: 'notes', name: 'Notes', definition: 'd', type: 'text', unit: 'notes', period: 'monthly', required: false };
const CATALOGUE = [screened, referral, notes];
const MONTHS = ['2025-04', '2025-05'];

type Strata = [number, number][]; // [numerator, denominator] per payer
const arbStrata = fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 })).map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)]), { minLength: 3, maxLength: 3 });
const cellOf = (s: Strata) => ({
  numerator: s.reduce((x, [n]) => x + n, 0), denominator: s.reduce((x, [, d]) => x + d, 0),
  strata: { payer: Object.fromEntries(s.map(([numerator, denominator], i) => [PAYERS[i]!, { numerator, denominator }])) },
});
const arbAgencies = fc.array(fc.array(arbStrata, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 4 });
const rowsOf = (agencies: Strata[][]): SubmissionRow[] =>
  agencies.flatMap((cells, a) => cells.map((s, j) => ({
    agency_id: `a${a}`, cohort_id: `c${a % 2}`, period: j === 0 ? 'baseline' : MONTHS[j - 1], period_from: j === 0 ? '2025-01-01' : null, period_to: j === 0 ? '2025-03-31' : null,
    status: 'submitted', submitted_values: { screened: cellOf(s), referral: { counts: { self: s[0]![0], court: s[1]![0] } }, notes: { text: 'free text' } },
  })));

const find = (rows: CatalogueExportRow[], m: string, category: string, period: string, dimension = '') =>
  rows.find((r) => r.measureId === m && r.dimension === dimension && r.category === category && r.cohortId === 'all' && r.period === period);

describe('issue 15: strata and categorical measures in the catalogue export', () => {
  it('issue 15: strata rows are the measure report\'s strata (collaborative-wide); categorical rows sum each category; text is never exported', () => {
    fc.assert(fc.property(arbAgencies, (agencies) => {
      const rows = catalogueExportRows('c', CATALOGUE, rowsOf(agencies), null);
      expect(rows.some((r) => r.measureId === 'notes')).toBe(false);
      expect(rows.filter((r) => r.dimension !== '').every((r) => r.cohortId === 'all')).toBe(true);
      const report = catalogueMeasureReport(screened, agencies.map((cells, a) => ({
        agencyId: `a${a}`, baseline: { from: '2025-01-01', to: '2025-03-31', values: { screened: cellOf(cells[0]!) } },
        periods: MONTHS.map((period, j) => ({ period, values: { screened: cellOf(cells[j + 1]!) } })),
      })));
      for (const s of report.strata)
        for (const p of s.points) expect([find(rows, 'screened', s.category, p.period, 'payer')?.numerator, find(rows, 'screened', s.category, p.period, 'payer')?.denominator]).toEqual([p.numerator, p.denominator]);
      for (const [k, category] of ['self', 'court'].entries())
        for (const [j, month] of MONTHS.entries()) expect(find(rows, 'referral', category, month)?.numerator).toBe(agencies.reduce((x, cells) => x + cells[j + 1]![k]![0], 0));
    }));
  });

  it('issue 15: analysts: no hidden stratum numerator or denominator can be solved for from the published categories and the measure\'s own row', () => {
    fc.assert(fc.property(arbAgencies, (agencies) => {
      const full = catalogueExportRows('c', CATALOGUE, rowsOf(agencies), null);
      const shown = catalogueExportRows('c', CATALOGUE, rowsOf(agencies), 11);
      const cols = [...MONTHS, 'total'];
      for (const field of ['numerator', 'denominator'] as const) {
        // Categories x periods (+ total), the measure's own `all` row as the margin.
        const lines = [...PAYERS.map((c) => ['payer', c]), ['', '']];
        const grid: Grid = lines.map(([d, c]) => cols.map((p) => find(full, 'screened', c!, p, d)?.[field] ?? null));
        const hidden = lines.map(([d, c]) => cols.map((p) => { const r = find(shown, 'screened', c!, p, d); return r !== undefined && r[field] === null; }));
        expect(recoverableCells(grid, hidden)).toEqual([]);
        for (const [i, row] of grid.entries()) for (const [j, v] of row.entries()) if (field === 'numerator' && v !== null && v > 0 && v < 11) expect(hidden[i]![j]).toBe(true);
      }
    }), { numRuns: 60 });
  });
});
