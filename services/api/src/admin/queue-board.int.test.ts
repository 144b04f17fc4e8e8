// Issue 17 (bull-board behind admin auth): the API as it is deployed (its own process, main.ts,
// the workers elsewhere) shows the workers' delivery queue on /v1/admin/queues to a global admin
// key, given as a browser gives it (HTTP Basic), and to nobody else.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { createTestDatabase, freePort, testRedisUrl, uniqueRedisPrefix, type TestDatabase } from '@convene/testkit';
import { DELIVERY_QUEUE } from '@convene/worker';
import { createApiKey } from '../auth/keys';
import { basicAuthKey, QUEUE_BOARD_PATH } from './queue-board';

const here = import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '../../../..');
const COLLAB = '0190c000-0000-7000-8000-0000000000b1';
const AGENCY = '0190c000-0000-7000-8000-0000000000b2';

let tdb: TestDatabase;
let queue: Queue;
let redis: Redis;
let child: ChildProcess | undefined;
let base: string;
const keys: Record<'global' | 'scoped' | 'agency', string> = { global: '', scoped: '', agency: '' };
let output = '';

const basic = (key: string, user = 'operator') => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;
const get = (url: string, authorization?: string, method = 'GET') =>
  fetch(`${base}${url}`, { method, headers: authorization ? { authorization } : {} });

beforeAll(async () => {
  tdb = await createTestDatabase();
  const prefix = uniqueRedisPrefix('board');
  // One waiting job, put there as the workers' dispatcher would: same Redis, name and prefix.
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  queue = new Queue(DELIVERY_QUEUE, { connection: redis, prefix });
  await queue.add('deliver', { key: 'queue-board-test' });
  keys.global = (await createApiKey(tdb.pool, { name: 'global admin', role: 'admin' })).key;
  keys.scoped = (await createApiKey(tdb.pool, { name: 'scoped admin', role: 'admin', collaborativeIds: [COLLAB] })).key;
  keys.agency = (await createApiKey(tdb.pool, { name: 'agency', role: 'agency', collaborativeIds: [COLLAB], agencyIds: [AGENCY] })).key;

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // node with tsx's loader, so SIGTERM reaches the API itself (the tsx CLI would be a parent).
  child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '..', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: tdb.url, REDIS_URL: testRedisUrl(), WORKER_PREFIX: prefix, PORT: String(port), HOST: '127.0.0.1',
      WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited: ${output}`);
    if (Date.now() - started > 60_000) throw new Error(`the API did not come up: ${output}`);
    if (await get('/health/live').then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  redis?.disconnect();
  await tdb?.drop();
});

describe('issue 17: bull-board behind admin auth', () => {
  it('reads the key from HTTP Basic: the password, else the user name', () => {
    expect(basicAuthKey(basic('k1'))).toBe('k1');
    expect(basicAuthKey(`Basic ${Buffer.from('k2:').toString('base64')}`)).toBe('k2');
    expect(basicAuthKey(basic('with:colon'))).toBe('with:colon');
    expect(basicAuthKey('Bearer k1')).toBeNull();
    expect(basicAuthKey(undefined)).toBeNull();
  });

  it('no key or an unknown one: 401 with a Basic challenge, so a browser asks for the key', async () => {
    for (const authorization of [undefined, basic('cnv_not_a_key'), 'Bearer cnv_not_a_key']) {
      const res = await get(QUEUE_BOARD_PATH, authorization);
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="Convene queues"/);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('an agency key and an admin key of some collaboratives: 403, as Basic or as Bearer', async () => {
    for (const [label, key] of [['agency', keys.agency], ['scoped admin', keys.scoped]] as const) {
      for (const authorization of [basic(key), `Bearer ${key}`]) {
        for (const url of [QUEUE_BOARD_PATH, `${QUEUE_BOARD_PATH}/api/queues`]) {
          const res = await get(url, authorization);
          expect({ label, url, status: res.status }).toEqual({ label, url, status: 403 });
          const problem = (await res.json()) as { code: string };
          expect(problem.code).toBe(label === 'agency' ? 'forbidden_role' : 'global_operation');
        }
      }
    }
  });

  it('the global admin key as the Basic password: the board page, its scripts, and its JSON listing the deliveries queue with its waiting job', async () => {
    const page = await get(QUEUE_BOARD_PATH, basic(keys.global));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<title>Convene queues</title>');
    expect(html).toContain(`<base href="${QUEUE_BOARD_PATH}/"`);
    // The page's script loads from under the board's path with the same credentials.
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await get(`${QUEUE_BOARD_PATH}/${script}`, basic(keys.global));
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await get(`${QUEUE_BOARD_PATH}/${script}`)).status).toBe(401);

    const api = await get(`${QUEUE_BOARD_PATH}/api/queues`, basic(keys.global));
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string; readOnlyMode: boolean; counts: Record<string, number> }[] };
    expect(body.queues.map((q) => q.name)).toEqual([DELIVERY_QUEUE]);
    expect(body.queues[0]!.readOnlyMode).toBe(true);
    expect(body.queues[0]!.counts.waiting).toBe(1);
    // As a Bearer token too (scripts, curl).
    expect((await get(`${QUEUE_BOARD_PATH}/api/queues`, `Bearer ${keys.global}`)).status).toBe(200);
  });

  // Where Debian's chromium is installed (.ci/run installs it; docs-ui.e2e.test.ts needs it too).
  (existsSync('/usr/bin/chromium') ? it : it.skip)('in a headless Chromium with the key as Basic credentials, the board renders the deliveries queue (scripts load under the API\'s CSP)', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    try {
      const context = await browser.newContext({ httpCredentials: { username: 'operator', password: keys.global } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      await page.goto(`${base}${QUEUE_BOARD_PATH}`);
      await page.getByText(DELIVERY_QUEUE).first().waitFor({ timeout: 15_000 });
      expect(await page.title()).toBe('Convene queues');
      expect(errors.filter((e) => !/fonts\.googleapis/.test(e))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 30_000);

  it('the board is read-only (retries go through the dead-letter route) and absent from the OpenAPI document', async () => {
    const pause = await get(`${QUEUE_BOARD_PATH}/api/queues/${DELIVERY_QUEUE}/pause`, basic(keys.global), 'PUT');
    expect(pause.status).toBe(405);
    expect(await queue.isPaused()).toBe(false);
    expect((await queue.getJobCounts('waiting')).waiting).toBe(1);
    const doc = await (await get('/openapi.json')).text();
    expect(doc).toContain('/v1/admin/deliveries/status');
    expect(doc).not.toContain(QUEUE_BOARD_PATH);
  });

  it('issue 17: the API in its own process reports the workers\' dead letters on /health (from the same queue handle)', async () => {
    const health = (await (await get('/health')).json()) as { deliveries?: { ok: boolean; deadLetters?: number } };
    // One waiting job, no failed one: counted, and none dead.
    expect(health.deliveries).toEqual({ ok: true, deadLetters: 0 });
  });

  it('SIGTERM: the API stops cleanly with the board\'s queue handle closed', async () => {
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).not.toMatch(/"level":(50|60)/);
  });
});
