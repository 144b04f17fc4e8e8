// Issue 12.13, must show: `npm run projections -- rebuild <name>` then `verify <name>` on a store
// with personal data finds no difference, the rebuilt tables hold names (not sealed blobs), and the
// GET routes of the read model answer 200.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { liveInstance, projectionByName, readAllRows } from '@convene/projections';
import type { TestApp } from '../services/api/src/test-fixtures/test-app';
import { createSeededApp } from '../services/api/src/test-fixtures/seeded-app';
import { SEED_IDS } from '../services/api/src/test-fixtures/seed-year';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
let t: TestApp;

function npm(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'projections', '--', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: t.database.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code: code ?? -1, out }));
  });
}

beforeAll(async () => {
  t = await createSeededApp();
}, 120_000);
afterAll(async () => t.close());

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.adminKey}` } });
const C = `/v1/collaboratives/${SEED_IDS.collaborative}`;

describe('issue 12.13: the projections CLI rebuilds from unsealed events', () => {
  it.each([
    ['change_projects', [`${C}/change-projects`, `/v1/collaboratives/${SEED_IDS.collaborative}/change-projects/${SEED_IDS.project}`], 'Morgan Leader'],
  ] as const)('rebuild %s, then verify: no difference, names in the tables, GET routes 200', async (name, urls, personal) => {
    const before = (await liveInstance(t.database.db, name))!.schema_name;
    const rebuilt = await npm(['rebuild', name]);
    expect({ code: rebuilt.code, out: rebuilt.code === 0 ? '' : rebuilt.out }).toEqual({ code: 0, out: '' });
    const live = (await liveInstance(t.database.db, name))!.schema_name;
    expect(live).not.toBe(before);

    const rows = JSON.stringify(await readAllRows(t.database.db, live, projectionByName(name).tables));
    expect(rows).not.toContain('$pii');
    expect(rows).toContain(personal);

    const verified = await npm(['verify', name]);
    expect(verified.out).toMatch(/rows equal a rebuild/);
    expect(verified.code).toBe(0);

    for (const url of urls) {
      const res = await get(url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
      expect(res.body).not.toContain('$pii');
    }
  }, 240_000); // two `npm run` processes (tsx compiles the CLI each time)
});
