// Issue 15: the catalogue export (pure): its pooled figures are the measure report's, the baseline
// row rebuilds change against baseline (counts per period over a multi-period baseline), and for
// random submissions no suppressed cell can be solved for from the published cells and margins.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { CatalogueEntry, MeasureValues } from '@convene/domain';
import { catalogueMeasureReport, type AgencySubmissions } from '@convene/projections';
import { catalogueExportRows, type CatalogueExportRow, type SubmissionRow } from './catalogue-export';
import { recoverableCells, type Grid } from './suppression';

const measure = (id: string, type: 'count' | 'proportion' | 'rate'): CatalogueEntry => ({
  id, name: id, definition: 'd', type, unit: 'u', direction: 'higher', period: 'monthly', required: false, ...(type === 'rate' ? { perUnits: 1000 } : {}),
});
const CATALOGUE = [measure('admissions', 'count'), measure('screened', 'proportion'), measure('falls', 'rate')];
const MONTHS = ['2025-04', '2025-05', '2025-06'];
const COHORTS = ['c1', 'c2'];

interface Agency { agencyId: string; cohortId: string; baseline: { from: string; to: string; values: MeasureValues }; periods: { period: string; values: MeasureValues }[] }
const rowsOf = (agencies: Agency[]): SubmissionRow[] =>
  agencies.flatMap((a) => [
    { agency_id: a.agencyId, cohort_id: a.cohortId, period: 'baseline', period_from: a.baseline.from, period_to: a.baseline.to, status: 'submitted', submitted_values: a.baseline.values },
    ...a.periods.map((p) => ({ agency_id: a.agencyId, cohort_id: a.cohortId, period: p.period, period_from: null, period_to: null, status: 'submitted', submitted_values: p.values })),
  ]);
const asReport = (agencies: Agency[]): AgencySubmissions[] => agencies.map(({ cohortId: _c, ...a }) => a);

const values = (n: number, d: number): MeasureValues => ({ admissions: { count: n }, screened: { numerator: n, denominator: d }, falls: { count: n, exposure: d * 30 } });
const arbAgency = (i: number) =>
  fc.record({
    cohort: fc.constantFrom(...COHORTS),
    spanMonths: fc.integer({ min: 1, max: 3 }),
    cells: fc.array(fc.option(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 })), { nil: null }), { minLength: 4, maxLength: 4 }),
  }).map(({ cohort, spanMonths, cells }): Agency => {
    const [b, ...ps] = cells.map((c) => (c ? values(Math.min(c[0], c[1]), Math.max(c[0], c[1])) : null));
    return {
      agencyId: `a${i}`, cohortId: cohort,
      baseline: { from: '2025-01-01', to: `2025-0${spanMonths}-28`, values: b ?? values(1, 2) },
      periods: ps.flatMap((v, j) => (v ? [{ period: MONTHS[j]!, values: v }] : [])),
    };
  });
const arbAgencies = fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbAgency(i))));

const find = (rows: CatalogueExportRow[], m: string, c: string, p: string) => rows.find((r) => r.measureId === m && r.cohortId === c && r.period === p);

describe('issue 15: the catalogue export', () => {
  it('issue 15: the "all" rows are the measure report (points and baseline) for count, proportion and rate measures', () => {
    fc.assert(
      fc.property(arbAgencies, (agencies) => {
        const rows = catalogueExportRows('c', CATALOGUE, rowsOf(agencies), null);
        for (const m of CATALOGUE) {
          const report = catalogueMeasureReport(m, asReport(agencies));
          for (const p of report.points) {
            const r = find(rows, m.id, 'all', p.period)!;
            expect([r.numerator, r.denominator, r.agencies]).toEqual([p.numerator, p.denominator, p.agencies]);
            expect(r.value).toBeCloseTo(p.value, 9);
          }
          const b = find(rows, m.id, 'all', 'baseline');
          if (report.baseline.value === null) expect(b?.value ?? null).toBeNull();
          else expect(b!.value).toBeCloseTo(report.baseline.value, 9);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('issue 15: for random submissions, no suppressed numerator or denominator can be solved for (periods table and baseline column)', () => {
    fc.assert(
      fc.property(arbAgencies, fc.integer({ min: 5, max: 30 }), (agencies, threshold) => {
        const full = catalogueExportRows('c', CATALOGUE, rowsOf(agencies), null);
        const shown = catalogueExportRows('c', CATALOGUE, rowsOf(agencies), threshold);
        const cohorts = [...new Set(agencies.map((a) => a.cohortId))].sort().concat('all');
        for (const m of CATALOGUE)
          for (const field of ['numerator', 'denominator'] as const) {
            if (m.type === 'count' && field === 'denominator') continue;
            for (const columns of [[...MONTHS, 'total'], ['baseline', 'baseline']]) {
              const grid: Grid = cohorts.map((c) => columns.map((p) => find(full, m.id, c, p)?.[field] ?? null));
              const hidden = cohorts.map((c) => columns.map((p) => find(full, m.id, c, p)?.[field] != null && find(shown, m.id, c, p)?.[field] === null));
              expect(recoverableCells(grid, hidden)).toEqual([]);
              grid.forEach((row, i) => row.forEach((v, j) => {
                if (v !== null && v > 0 && v < threshold) expect(hidden[i]![j]).toBe(true);
              }));
            }
          }
      }),
      { numRuns: 150 },
    );
  });
});
