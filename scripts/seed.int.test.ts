// Issue 17, `npm run seed`: the seed script runs as its own process against an API started by the
// test (a fresh test database, the real clock, the projector running), through HTTP only; then
// every list the README names for the seeded collaborative answers with data.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../services/api/src/test-fixtures/test-app';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let t: TestApp;
let projector: RunningProjector;
let base: string;

beforeAll(async () => {
  // The real clock: the seed dates everything relative to today and waits for today's call.
  t = await createTestApp({ clock: () => new Date() });
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 50 });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await projector.stop();
  await t.close();
});

function runSeed(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CONVENE_API_URL: base, CONVENE_API_KEY: t.adminKey };
    delete env.DATABASE_URL;
    // As `npm run seed` runs it (tsx), without npm's own start-up.
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/seed.ts'], { cwd: root, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The routes between the seed-reads markers of README.md. */
function readmeLists(): string[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('<!-- seed-reads -->'), readme.indexOf('<!-- /seed-reads -->'));
  return [...section.matchAll(/`GET (\/v1\/[^`]+)`/g)].map((m) => m[1]!);
}

describe('npm run seed (issue 17)', () => {
  it('issue 17: the seed writes a collaborative in month 7 through HTTP, and every list the README names answers with data', async () => {
    const seeded = await runSeed();
    expect({ code: seeded.code, stderr: seeded.stderr.split('\n').filter((l) => !/Deprecation|trace-warnings/.test(l)).join('\n').trim() }).toEqual({ code: 0, stderr: '' });
    const collaborativeId = /collaborative\s+([0-9a-f-]{36})/.exec(seeded.stdout)?.[1];
    expect(collaborativeId).toBeDefined();
    await projector.idle();
    const get = async (url: string) => {
      const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${t.adminKey}` } });
      return { status: res.status, body: (await res.json()) as any };
    };
    const c = `/v1/collaboratives/${collaborativeId}`;
    const collaborative = (await get(c)).body;
    // Month 7 of its year: it started six months before this month and ends a year after.
    const today = new Date().toISOString().slice(0, 10);
    const month = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
    month.setUTCMonth(month.getUTCMonth() - 6);
    expect(collaborative.startsOn).toBe(month.toISOString().slice(0, 10));
    expect(collaborative.cohorts).toHaveLength(2);
    const agencies = (await get(`${c}/agencies?limit=100`)).body.items as { agencyId: string; stage: string; baselineRecorded: boolean; monthsReported: string[] }[];
    const admitted = agencies.filter((a) => !['applied', 'declined'].includes(a.stage));
    expect(admitted).toHaveLength(12);
    expect(agencies.map((a) => a.stage).sort()).toEqual(expect.arrayContaining(['applied', 'declined']));
    expect(admitted.every((a) => a.baselineRecorded && a.monthsReported.length >= 1)).toBe(true);

    const from = `${today.slice(0, 7)}-01`;
    const to = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 0)).toISOString().slice(0, 10);
    const lists = readmeLists();
    expect(lists.length).toBeGreaterThanOrEqual(10);
    const empty: string[] = [];
    for (const route of lists) {
      const url = route.replace('{c}', collaborativeId!).replace('{cohort}', collaborative.cohorts[0].cohortId)
        .replace('{agency}', admitted[0]!.agencyId).replace('{from}', from).replace('{to}', to);
      const { status, body } = await get(url);
      if (status !== 200 || !Array.isArray(body.items) || body.items.length === 0) empty.push(`${route} -> ${status} ${JSON.stringify(body).slice(0, 200)}`);
    }
    expect(empty).toEqual([]);

    // Today's call has attendance and corrected minutes; today's visit its summary; the aggregate report has months.
    const meetings = (await get(`${c}/meetings?limit=100`)).body.items as { meetingId: string; status: string; minutes: { corrections: unknown[] } | null; attendance: unknown[] }[];
    expect(meetings.some((m) => m.attendance.length === 12 && m.minutes?.corrections.length === 1)).toBe(true);
    expect(meetings.map((m) => m.status)).toEqual(expect.arrayContaining(['scheduled', 'cancelled']));
    const visits = (await get(`${c}/site-visits?status=completed`)).body.items;
    expect(visits).toHaveLength(2); // today's, and last month's recorded after the fact (issue 16)
    // The earlier months' kick-off and calls, recorded after the fact with attendance and minutes (issue 16).
    expect(meetings.filter((m) => m.status !== 'cancelled' && (m.attendance ?? []).length > 0 && m.minutes).length).toBe(6);
    const report = (await get(`${c}/reports/aggregate`)).body;
    expect(report.months).toHaveLength(5); // months 2 to 6: from the first cohort's start through last month
  }, 180_000);
});
