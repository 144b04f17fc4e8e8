// Issue 14 must-show over HTTP on the seed year: lists come back in date (or name) order whatever
// ids the client chose.
import { describe, it, expect } from '@jest/globals';
import { C, get, keys, t, useReadContractFixture, withPosition } from './test-fixtures/read-contract-fixture';

useReadContractFixture();

describe('issue 14: lists in business order whatever ids clients choose', () => {
  const post = async (url: string, body: Record<string, unknown>) => {
    const r = await t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${keys.admin}` }, payload: body });
    expect(r.statusCode).toBe(201);
    return Number(r.headers['convene-position']);
  };
  /** Every item of a list, page by page (limit 1: the cursor carries the order). */
  const all = async (url: string, p: number) => {
    const items: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(withPosition(`${url}${url.includes('?') ? '&' : '?'}limit=1${cursor ? `&cursor=${cursor}` : ''}`, p), 'admin');
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: Record<string, unknown>[]; nextCursor: string | null };
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };

  it('issue 14: expenditures with ids chosen against their dates come back in date order (and reversed with -spentOn)', async () => {
    const dated = [
      ['0190afff-0000-7000-8000-0000000000e9', '2025-02-14'],
      ['0190afff-0000-7000-8000-0000000000e1', '2025-05-02'],
      ['0190afff-0000-7000-8000-0000000000e5', '2025-03-30'],
    ] as const;
    let p = 0;
    for (const [expenditureId, spentOn] of dated) p = await post(`/v1/collaboratives/${C}/expenditures`, { expenditureId, amountCents: 1000, category: 'travel', spentOn });
    const dates = (await all(`/v1/collaboratives/${C}/expenditures`, p)).map((e) => e.spentOn as string);
    expect(dates).toEqual([...dates].sort());
    expect(dates).toEqual(expect.arrayContaining(dated.map(([, d]) => d)));
    const reversed = (await all(`/v1/collaboratives/${C}/expenditures?sort=-spentOn`, p)).map((e) => e.spentOn as string);
    expect(reversed).toEqual([...dates].reverse());
  });

  it('issue 14: cohorts come back by start date and by name, collaboratives by name', async () => {
    const p1 = await post(`/v1/collaboratives/${C}/cohorts`, { cohortId: '0190afff-0000-7000-8000-0000000000c1', name: 'Zeta cohort', startsOn: '2025-04-01', capacity: 4 });
    const p2 = await post(`/v1/collaboratives/${C}/cohorts`, { cohortId: '0190afff-0000-7000-8000-0000000000c0', name: 'alpha cohort', startsOn: '2025-10-01', capacity: 4 });
    const p = Math.max(p1, p2);
    const byDate = (await all(`/v1/collaboratives/${C}/cohorts`, p)).map((c) => c.startsOn as string);
    expect(byDate).toEqual([...byDate].sort());
    expect(byDate).toHaveLength(4);
    const byName = (await all(`/v1/collaboratives/${C}/cohorts?sort=name`, p)).map((c) => c.name as string);
    expect(byName).toEqual([...byName].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(byName[0]).toBe('alpha cohort');
    const names = (await all('/v1/collaboratives?sort=name', p)).map((c) => c.name);
    expect(names).toEqual(['Access to Treatment 2025']);
  });
});
