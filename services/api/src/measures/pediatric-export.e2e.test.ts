// Issue 15, the pediatric collaborative (pediatric-story.ts): the analyst export and the aggregate
// report read the catalogue (every measure, each cohort's baseline, quarters), with small cells
// suppressed for analysts.
import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { recoverableCells, type Grid } from '../exports/suppression';
import { C, COHORT, get, pooled, story, usePediatricStory } from './pediatric-story';

usePediatricStory();

describe('issue 15: the analyst export and the aggregate report read the catalogue', () => {
  const exportOf = async (key: string, query = '') => {
    const res = await story.t.app.inject({ method: 'GET', url: `/v1/exports/collaboratives/${C}/measures-report${query}`, headers: { authorization: `Bearer ${key}` } });
    expect(res.statusCode).toBe(200);
    return res;
  };
  type Row = { measureId: string; cohortId: string; period: string; numerator: number | null; denominator: number | null; value: number | null; agencies: number; periodFrom: string; periodTo: string; suppressed: string };
  const sum = (period: string) => ['2025-Q1', '2025-Q2', '2025-Q3'].includes(period) ? pooled(period) : null;

  it('issue 15: the export has every catalogue measure pooled per cohort and quarter, and the baseline rows', async () => {
    const { rows } = (await exportOf(story.keys.admin)).json() as { rows: Row[] };
    expect([...new Set(rows.map((r) => r.measureId))]).toEqual(['immunisations_24m', 'developmental_screening', 'autism_screening', 'lead_screening', 'fluoride_varnish']);
    const lead = rows.filter((r) => r.measureId === 'lead_screening');
    for (const cohort of [COHORT, 'all']) {
      const mine = lead.filter((r) => r.cohortId === cohort);
      expect(mine.map((r) => r.period)).toEqual(['baseline', '2025-Q1', '2025-Q2', '2025-Q3', 'total']);
      for (const r of mine.filter((x) => x.period.includes('-Q'))) {
        const x = sum(r.period)!;
        expect([r.numerator, r.denominator, r.value]).toEqual([x.n, x.d, x.p]);
      }
      // The baseline (practice A's corrected): change against baseline is rebuilt from the export.
      const b = mine.find((r) => r.period === 'baseline')!;
      const base = pooled('baseline');
      expect([b.numerator, b.denominator, b.value, b.agencies, b.periodFrom, b.periodTo]).toEqual([base.n, base.d, base.p, 3, '2024-10-01', '2024-12-31']);
      const q3 = mine.find((r) => r.period === '2025-Q3')!;
      expect(q3.agencies).toBe(2);
      const report = (await get('coach', '/measures/lead_screening/report')).json();
      expect(q3.value! - b.value!).toBeCloseTo(report.change.absolute, 12);
      const total = mine.find((r) => r.period === 'total')!;
      const all = ['2025-Q1', '2025-Q2', '2025-Q3'].map((p) => sum(p)!);
      expect([total.numerator, total.denominator]).toEqual([all.reduce((s, x) => s + x.n, 0), all.reduce((s, x) => s + x.d, 0)]);
    }
  });

  it('issue 15: analysts get the export with small cells suppressed (complementary: none recoverable), the CSV the same rows', async () => {
    expect((await exportOf(story.keys.analyst)).json().threshold).toBe(11);
    // At 20, fluoride varnish (5 + 6 + 7 a quarter; 11 in Q3, two practices) and its baseline (18) are small.
    const admin = (await exportOf(story.keys.admin, '?threshold=20')).json();
    expect(admin.rows.every((r: Row) => r.suppressed === '')).toBe(false); // admins choose a threshold for themselves
    const full = (await exportOf(story.keys.admin)).json().rows as Row[];
    const analyst = (await exportOf(story.keys.analyst, '?threshold=20')).json() as { rows: Row[]; threshold: number };
    expect(analyst.threshold).toBe(20);
    const find = (rows: Row[], m: string, c: string, p: string) => rows.find((x) => x.measureId === m && x.cohortId === c && x.period === p);
    for (const r of analyst.rows) {
      const f = find(full, r.measureId, r.cohortId, r.period)!;
      if (f.numerator !== null && f.numerator > 0 && f.numerator < 20) expect(r.numerator).toBeNull();
      if (r.suppressed === '') expect(r).toEqual(f);
      else expect([r.numerator, r.value]).toEqual([null, null]);
    }
    expect(analyst.rows.filter((r) => r.measureId === 'fluoride_varnish' && r.suppressed !== '').map((r) => `${r.cohortId}|${r.period}`).sort()).toEqual(
      [COHORT, 'all'].flatMap((c) => ['2025-Q1', '2025-Q2', '2025-Q3', 'baseline'].map((p) => `${c}|${p}`)).sort(),
    );
    // No hidden numerator can be solved for from the row and column totals (cohorts + all x quarters + total).
    for (const m of ['lead_screening', 'fluoride_varnish']) {
      const periods = ['2025-Q1', '2025-Q2', '2025-Q3', 'total'];
      const grid: Grid = [COHORT, 'all'].map((c) => periods.map((p) => find(full, m, c, p)?.numerator ?? null));
      const hidden = [COHORT, 'all'].map((c) => periods.map((p) => find(analyst.rows, m, c, p)?.numerator === null));
      expect(recoverableCells(grid, hidden)).toEqual([]);
    }
    const csv = parse((await exportOf(story.keys.analyst, '?format=csv&threshold=20')).body, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    expect(csv.map((r) => `${r.measureId}|${r.cohortId}|${r.period}|${r.numerator}|${r.suppressed}`)).toEqual(
      analyst.rows.map((r) => `${r.measureId}|${r.cohortId}|${r.period}|${r.numerator ?? ''}|${r.suppressed}`),
    );
  });

  it('issue 15: the aggregate report pools every catalogue measure per quarter; the NIATx fields are empty for this template', async () => {
    const res = await get('analyst', '/reports/aggregate');
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.template).toBe('pediatric-preventive');
    expect([r.measures, r.months]).toEqual([[], []]);
    expect(r.catalogue.map((m: { measure: { id: string } }) => m.measure.id)).toEqual(['immunisations_24m', 'developmental_screening', 'autism_screening', 'lead_screening', 'fluoride_varnish', 'weight_assessed', 'bmi_documented']);
    const lead = r.catalogue.find((m: { measure: { id: string } }) => m.measure.id === 'lead_screening');
    expect(lead.chart).toBe('p');
    expect(lead.points.map((p: { period: string; numerator: number; denominator: number }) => [p.period, p.numerator, p.denominator])).toEqual(
      ['2025-Q1', '2025-Q2', '2025-Q3'].map((p) => [p, pooled(p).n, pooled(p).d]),
    );
    expect(lead.baseline.value).toBeCloseTo(pooled('baseline').p, 12);
    expect(lead.agencySeries).toBeUndefined();
    expect(r.catalogue.find((m: { measure: { id: string } }) => m.measure.id === 'bmi_documented').measure.retired).toBe(true);
    // from/to bound the months: a quarter counts when all its months lie within.
    const q2 = (await get('analyst', '/reports/aggregate?from=2025-04&to=2025-08')).json();
    expect(q2.catalogue.find((m: { measure: { id: string } }) => m.measure.id === 'lead_screening').points.map((p: { period: string }) => p.period)).toEqual(['2025-Q2']);
  });

  it('issue 15: analysts get the aggregate report without the cells the export hides: withheld periods listed, nothing pooled from them', async () => {
    const prior = process.env.CONVENE_SUPPRESSION_THRESHOLD;
    process.env.CONVENE_SUPPRESSION_THRESHOLD = '20';
    try {
      type Measure = { measure: { id: string }; points: { period: string; numerator: number; denominator: number; value: number }[]; baseline: { value: number | null }; suppressed: string[] };
      const admin = (await get('admin', '/reports/aggregate')).json().catalogue as Measure[];
      const analyst = (await get('analyst', '/reports/aggregate')).json().catalogue as Measure[];
      const exported = (await exportOf(story.keys.analyst, '?threshold=20')).json().rows as Row[];
      for (const a of analyst) {
        const full = admin.find((m) => m.measure.id === a.measure.id)!;
        // Exactly the collaborative's cells the analyst export hides at the same threshold.
        expect(a.suppressed).toEqual(exported.filter((r) => r.measureId === a.measure.id && r.cohortId === 'all' && r.suppressed !== '').map((r) => r.period).sort());
        expect(full.suppressed).toEqual([]);
        // The published points are the admin's, the withheld ones are gone.
        const strip = ({ period, numerator, denominator, value }: Measure['points'][number]) => ({ period, numerator, denominator, value });
        expect(a.points.map(strip)).toEqual(full.points.filter((p) => !a.suppressed.includes(p.period)).map(strip));
        if (a.suppressed.includes('baseline')) expect(a.baseline.value).toBeNull();
      }
      // Fluoride varnish (5 + 6 + 7 a quarter) is small everywhere: nothing of it is pooled for an analyst.
      const fluoride = analyst.find((m) => m.measure.id === 'fluoride_varnish')!;
      expect([fluoride.suppressed, fluoride.points]).toEqual([['2025-Q1', '2025-Q2', '2025-Q3', 'baseline'], []]);
      expect(admin.find((m) => m.measure.id === 'fluoride_varnish')!.points).toHaveLength(3);
      expect(analyst.find((m) => m.measure.id === 'lead_screening')!.suppressed).toEqual([]);
      // The measure report and its chart withhold the same cells from an analyst.
      const report = (await get('analyst', '/measures/fluoride_varnish/report')).json();
      expect([report.points, report.baseline.value, report.agencySeries.flatMap((s: { points: unknown[] }) => s.points)]).toEqual([[], null, []]);
      expect((await get('admin', '/measures/fluoride_varnish/report')).json().points).toHaveLength(3);
      const lead = (await get('analyst', '/measures/lead_screening/report')).json();
      expect(lead.points.map((p: { period: string }) => p.period)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3']);
    } finally {
      if (prior === undefined) delete process.env.CONVENE_SUPPRESSION_THRESHOLD;
      else process.env.CONVENE_SUPPRESSION_THRESHOLD = prior;
    }
  });
});
