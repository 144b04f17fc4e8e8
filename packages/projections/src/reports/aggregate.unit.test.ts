import { describe, it, expect } from '@jest/globals';
import { buildAggregateReport, meanOfRates, monthsBetween, pool, reportMeasures, type AgencyCounts, type Counts } from './aggregate';

const m = (key: string) => reportMeasures.find((x) => x.key === key)!;

// Three agencies, one month after their baselines.
const latest: Record<string, Counts> = {
  A: { intakeScheduled: 100, intakeNoShows: 10, clientsTreated: 10, totalDaysToTreatment: 300 },
  B: { intakeScheduled: 10, intakeNoShows: 7, clientsTreated: 2, totalDaysToTreatment: 10 },
  C: { intakeScheduled: 30, intakeNoShows: 3 },
};
const baseline: Record<string, Counts> = {
  A: { intakeScheduled: 100, intakeNoShows: 30, clientsTreated: 10, totalDaysToTreatment: 400 },
  B: { intakeScheduled: 10, intakeNoShows: 6, clientsTreated: 2, totalDaysToTreatment: 8 },
  C: { intakeScheduled: 30, intakeNoShows: 9 },
};
const sum = (rows: Counts[]): Counts => {
  const out: Record<string, number> = {};
  for (const r of rows) for (const [k, v] of Object.entries(r)) if (typeof v === 'number') out[k] = (out[k] ?? 0) + v;
  return out;
};

describe('pooled rates', () => {
  it('pools counts (sum of numerators / sum of denominators), which differs from averaging percentages', () => {
    const rows = Object.values(latest);
    const noShow = pool(rows, m('intake_no_show'));
    // hand: (10 + 7 + 3) / (100 + 10 + 30) = 20 / 140
    expect(noShow).toEqual({ numerator: 20, denominator: 140, value: 20 / 140 });
    // the average of 10%, 70%, 10% is 30%: not the collaborative's rate
    expect(meanOfRates(rows, m('intake_no_show'))).toBeCloseTo(0.3, 12);
    expect(noShow.value).not.toBeCloseTo(0.3, 2);
    // waiting time: (300 + 10) / (10 + 2) days; C reports no waiting time and is left out
    expect(pool(rows, m('waiting_time')).value).toBeCloseTo(310 / 12, 12);
    expect(meanOfRates(rows, m('waiting_time'))).toBeCloseTo((30 + 5) / 2, 12);
  });

  it('builds the report: baseline, latest, change, agencies improved, points', () => {
    const agencies: AgencyCounts[] = Object.keys(latest).map((k) => ({ agencyId: k, baseline: baseline[k]!, baselineMonths: 2, latest: latest[k]! }));
    const report = buildAggregateReport({
      months: [{ month: '2025-03', agencies: 3, counts: sum(Object.values(latest)) }],
      agencies,
    });
    const noShow = report.find((r) => r.key === 'intake_no_show')!;
    expect(noShow.baseline.value).toBeCloseTo(45 / 140, 12);
    expect(noShow.latest).toMatchObject({ month: '2025-03', numerator: 20, denominator: 140 });
    expect(noShow.change!.absolute).toBeCloseTo(20 / 140 - 45 / 140, 12);
    expect(noShow.change!.relative).toBeCloseTo(-25 / 45, 12);
    // A 30% -> 10% and C 30% -> 10% improved; B 60% -> 70% did not
    expect(noShow.agencies).toEqual({ improved: 2, notImproved: 1, noData: 0 });
    expect(noShow.chart).toBe('p');
    const wait = report.find((r) => r.key === 'waiting_time')!;
    expect(wait.baseline.value).toBeCloseTo(408 / 12, 12);
    expect(wait.agencies).toEqual({ improved: 1, notImproved: 1, noData: 1 });
    expect(report.find((r) => r.key === 'admissions')!.points).toEqual([]);
  });

  it('lists months between two months', () => {
    expect(monthsBetween('2024-11', '2025-02')).toEqual(['2024-12', '2025-01', '2025-02']);
  });
});
