import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startProjectorRuntime, projections, testing, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';

let t: TestApp;
let projector: RunningProjector;
let s: ReturnType<typeof testing.scenario>;

beforeAll(async () => {
  t = await createTestApp();
  s = await testing.runScenario(t.eventStore, { collaborative: 7, agencies: 8, months: 5, seed: 3 });
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  await projector.idle();
});
afterAll(async () => {
  await projector.stop();
  await t.close();
});

const get = (url: string, key: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });

describe('query routes', () => {
  it('answers the aggregate report with rates pooled from the logged counts and no person data for analysts', async () => {
    const analyst = await t.createKey({ name: 'analyst', role: 'analyst' });
    const res = await get(`/v1/collaboratives/${s.collaborativeId}/reports/aggregate`, analyst);
    expect(res.statusCode).toBe(200);
    const report = res.json();
    // Hand-pooled from the log: per month, sum of no-shows / sum of scheduled over the agencies.
    const log = await testing.readLog(t.eventStore);
    const byMonth = new Map<string, { n: number; d: number }>();
    for (const e of log) {
      if (e.type !== 'MonthlyMeasuresRecorded') continue;
      const d = e.data as { collaborativeId: string; month: string; values: { intake_no_show: { numerator: number; denominator: number } } };
      if (d.collaborativeId !== s.collaborativeId) continue;
      const m = byMonth.get(d.month) ?? { n: 0, d: 0 };
      byMonth.set(d.month, { n: m.n + d.values.intake_no_show.numerator, d: m.d + d.values.intake_no_show.denominator });
    }
    const noShow = report.measures.find((m: { key: string }) => m.key === 'intake_no_show');
    expect(noShow.points.map((p: { month: string; value: number }) => [p.month, p.value])).toEqual(
      [...byMonth.entries()].sort().map(([month, x]) => [month, x.n / x.d]),
    );
    const text = JSON.stringify(report);
    expect(text).not.toMatch(/@example\.org|Sponsor|Leader|Contact/);
  });

  it('pages cohort progress and shows person data only on the agency detail, not to analysts', async () => {
    const coach = await t.createKey({ name: 'coach', role: 'coach' });
    const first = await get(`/v1/collaboratives/${s.collaborativeId}/cohorts/${s.cohortIds[0]}/progress?limit=1`, coach);
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items).toHaveLength(1);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const second = await get(`/v1/collaboratives/${s.collaborativeId}/cohorts/${s.cohortIds[0]}/progress?limit=1&cursor=${page1.nextCursor}`, coach);
    expect(second.json().items[0].agencyId).not.toBe(page1.items[0].agencyId);

    const agencyId = page1.items[0].agencyId as string;
    const detail = await get(`/v1/collaboratives/${s.collaborativeId}/agencies/${agencyId}`, coach);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().roles.change_leader.email).toMatch(/@example\.org/);
    const analyst = await t.createKey({ name: 'analyst 2', role: 'analyst' });
    expect((await get(`/v1/collaboratives/${s.collaborativeId}/agencies/${agencyId}`, analyst)).statusCode).toBe(403);
  });

  it('waits for consistentWith and serves projection status to admins', async () => {
    const r = await testing.run(t.eventStore, {
      type: 'RecordExpenditure',
      now: '2024-06-01T12:00:00.000Z',
      data: { collaborativeId: s.collaborativeId, expenditureId: testing.uid(7, 999), amountCents: 5000, category: 'travel', spentOn: '2024-06-01' },
    });
    expect(r).toBe(true);
    const { rows } = await t.database.pool.query<{ p: number }>('SELECT max(global_position) AS p FROM events');
    const res = await get(`/v1/collaboratives/${s.collaborativeId}/expenditures?consistentWith=${rows[0]!.p}`, t.adminKey);
    expect(res.statusCode).toBe(200);
    expect(res.json().categories).toContainEqual({ category: 'travel', totalCents: 5000, count: 1 });
    const status = await get('/v1/admin/projections', t.adminKey);
    expect(status.json().healthy).toBe(true);
    expect(status.json().projections.map((p: { name: string }) => p.name).sort()).toEqual(['change_projects', 'deliveries', 'directory', 'documents', 'measures', 'network', 'progress', 'schedule']);
  });
});
