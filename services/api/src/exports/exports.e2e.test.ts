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
