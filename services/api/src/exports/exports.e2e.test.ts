import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { createAuditTestApp, seedYear, SEED, type AuditTestApp } from '../audit/test-support';
import { recoverableCells, type Grid } from './suppression';
import { COUNT_COLUMNS } from './report';

let t: AuditTestApp;
beforeAll(async () => {
  t = await createAuditTestApp();
  await seedYear(t.store);
});
afterAll(async () => {
  await t.close();
});

const url = `/v1/exports/collaboratives/${SEED.collaborativeId}/monthly-report`;
const get = (query: string, key: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url: `${url}${query}`, headers: { authorization: `Bearer ${key}`, ...headers } });

describe('state-IT export', () => {
  it('CSV parsed by a CSV parser matches the JSON, cell for cell', async () => {
    for (const key of [t.keys.admin, t.keys.analyst]) {
      const json = (await get('?format=json', key)).json() as { rows: Record<string, unknown>[] };
      const csv = await get('?format=csv', key);
      expect(csv.headers['content-type']).toContain('text/csv');
      const parsed = parse(csv.body, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
      expect(parsed).toHaveLength(json.rows.length);
      expect(json.rows.length).toBe(10); // (1 cohort + all) x (4 months + total)
      parsed.forEach((row, i) => {
        const j = json.rows[i]!;
        expect(Object.keys(row).sort()).toEqual(Object.keys(j).sort());
        for (const [k, v] of Object.entries(row)) {
          const expected = j[k];
          if (expected === null || expected === '') expect(v).toBe('');
          else if (typeof expected === 'number') expect(Number(v)).toBe(expected);
          else expect(v).toBe(expected);
        }
      });
    }
  });

  it('admins see every count; analysts see small counts suppressed, unrecoverable from totals', async () => {
    const admin = (await get('', t.keys.admin)).json() as { rows: any[]; threshold: number | null };
    expect(admin.threshold).toBeNull();
    expect(admin.rows.every((r) => r.suppressed === '')).toBe(true);
    const analyst = (await get('', t.keys.analyst)).json() as { rows: any[]; threshold: number };
    expect(analyst.threshold).toBe(11);
    expect((await get('?threshold=2', t.keys.analyst)).json().threshold).toBe(11); // cannot lower it
    const months = ['2025-03', '2025-04', '2025-05', '2025-06', 'total'];
    const cohorts = [SEED.cohortId, 'all'];
    let hidden = 0;
    for (const column of COUNT_COLUMNS) {
      const value = (rows: any[], c: string, m: string) => rows.find((r) => r.cohortId === c && r.month === m)?.[column] ?? null;
      const full: Grid = cohorts.map((c) => months.map((m) => value(admin.rows, c, m)));
      const shown: Grid = cohorts.map((c) => months.map((m) => value(analyst.rows, c, m)));
      const suppressed = full.map((row, i) => row.map((v, j) => v !== null && shown[i]![j] === null));
      full.forEach((row, i) => row.forEach((v, j) => {
        if (v !== null && v > 0 && v < 11) expect(suppressed[i]![j]).toBe(true);
        if (!suppressed[i]![j]) expect(shown[i]![j]).toBe(v);
      }));
      hidden += suppressed.flat().filter(Boolean).length;
      // Every row and column equation: no suppressed value can be solved for.
      expect(recoverableCells(full, suppressed)).toEqual([]);
    }
    expect(hidden).toBeGreaterThan(0);
    // A rate whose counts are hidden is hidden too.
    for (const r of analyst.rows) if (r.suppressed.includes('intake_no_shows')) expect(r.intake_no_show_rate).toBeNull();
  });

  it('ETag and incremental pulls', async () => {
    const first = await get('', t.keys.analyst);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^W\//);
    expect((await get('', t.keys.analyst, { 'if-none-match': etag })).statusCode).toBe(304);
    const position = Number(first.headers['convene-position']);
    const none = (await get(`?since=${position}`, t.keys.admin)).json();
    expect(none.rows).toEqual([]);
    const sinceMay = (await get('?sinceDate=2025-05-01', t.keys.admin)).json();
    const touched = [...new Set(sinceMay.rows.map((r: any) => r.month))].sort();
    expect(touched).toEqual(['2025-05', '2025-06', 'total']);
    expect((await get('', t.keys.coach)).statusCode).toBe(403);
  });
});

describe('issue 15: the catalogue export of a niatx collaborative', () => {
  const catalogueUrl = `/v1/exports/collaboratives/${SEED.collaborativeId}/measures-report`;
  // Catalogue measure -> the monthly report's [numerator, denominator] columns (the NIATx upcasting).
  const columns: Record<string, [string, string | null]> = {
    waiting_time: ['total_days_to_treatment', 'clients_treated'],
    intake_no_show: ['intake_no_shows', 'intake_scheduled'],
    first_post_admission_no_show: ['fpa_no_shows', 'fpa_scheduled'],
    admissions: ['admissions', null],
    continuation_30: ['retained30', 'admitted_in_window'],
    continuation_60: ['retained60', 'admitted_in_window'],
  };

  it('issue 15: the measures export has the same NIATx figures per cohort and month as the monthly report, plus the baseline rows', async () => {
    const monthly = (await get('', t.keys.admin)).json().rows as Record<string, any>[];
    const res = await t.app.inject({ method: 'GET', url: catalogueUrl, headers: { authorization: `Bearer ${t.keys.admin}` } });
    expect(res.statusCode).toBe(200);
    const rows = res.json().rows as Record<string, any>[];
    let compared = 0;
    for (const r of rows.filter((x) => x.period !== 'baseline')) {
      const m = monthly.find((x) => x.cohortId === r.cohortId && x.month === r.period)!;
      expect(m).toBeDefined();
      const [n, d] = columns[r.measureId]!;
      expect(r.numerator).toBe(m[n]);
      if (d) expect(r.denominator).toBe(m[d]);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
    // The seed's baselines report waiting time and intake no-shows: a row per cohort and for "all".
    const baselines = rows.filter((x) => x.period === 'baseline');
    expect(baselines.map((x) => `${x.measureId}|${x.cohortId}`)).toEqual(['waiting_time', 'intake_no_show'].flatMap((m) => [`${m}|${SEED.cohortId}`, `${m}|all`]));
    // The seed's baselines (test-support): clientsTreated 20 + i, totalDaysToTreatment 600 + 10i, intakeScheduled 40 + i, intakeNoShows 15 + i.
    const sum = (f: (i: number) => number) => SEED.agencies.reduce((s, _, i) => s + f(i), 0);
    const expected = { waiting_time: [sum((i) => 600 + 10 * i), sum((i) => 20 + i)], intake_no_show: [sum((i) => 15 + i), sum((i) => 40 + i)] };
    for (const [id, [n, d]] of Object.entries(expected)) {
      const base = baselines.find((x) => x.measureId === id && x.cohortId === 'all')!;
      expect([base.numerator, base.denominator, base.value, base.agencies, base.periodFrom, base.periodTo]).toEqual([n, d, n! / d!, SEED.agencies.length, '2025-01-01', '2025-02-28']);
    }
  });
});
