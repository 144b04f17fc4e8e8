// Issue 17 (production build): `npm run build`, then the built api, projector and worker run as
// three separate `node` processes and a command goes through all three (answer, read model, e-mail).
import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { EventStore } from '@convene/eventstore';
import { createTestDatabase, freePort, testRedisUrl, uniqueRedisPrefix, type TestDatabase } from '@convene/testkit';
import { createApiKey } from '../services/api/src/auth/keys';
import { scenario, TestClock, waitFor } from '../services/worker/src/testing/scenario';
import { startTestSmtp, type TestSmtp } from '../services/worker/src/testing/smtp';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const run = promisify(execFile);
const children: ChildProcess[] = [];
let database: TestDatabase | undefined;
let store: EventStore | undefined;
let smtp: TestSmtp | undefined;

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await store?.close();
  await database?.drop();
  await smtp?.close();
});

function startBuilt(name: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [path.join(root, 'dist', `${name}.js`)], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  children.push(child);
  return { child, output: () => out };
}

async function waitForHttp(url: string, what: string, output: () => string): Promise<void> {
  await waitFor(
    async () => {
      try {
        return (await fetch(url)).status === 200;
      } catch {
        return false;
      }
    },
    60_000,
    `${what} (${output().slice(-2000)})`,
  );
}

describe('the production build', () => {
  it('issue 17: npm run build imports only production dependencies, and the built api, projector and worker each run as node and carry a command to its answer, its read model and its e-mail', async () => {
    await run('npm', ['run', '--silent', 'build'], { cwd: root, timeout: 180_000 });

    // Every npm package the build imports is a production dependency (not dev-only in the lock),
    // so `npm ci --omit=dev` (the image) has it.
    const meta = JSON.parse(await readFile(path.join(root, 'dist', 'meta.json'), 'utf8')) as { packages: string[] };
    const lock = JSON.parse(await readFile(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
    expect(meta.packages).toContain('fastify');
    const devOnly = meta.packages.filter((p) => {
      const entry = lock.packages[`node_modules/${p}`];
      return !entry || entry.dev || entry.devOptional;
    });
    expect(devOnly).toEqual([]);

    // Migrated by the built api itself (the migrations are found from dist/).
    database = await createTestDatabase({ migrate: false });
    smtp = await startTestSmtp();
    const [apiPort, projectorPort, workerPort] = [await freePort(), await freePort(), await freePort()];
    const common = { DATABASE_URL: database.url, REDIS_URL: testRedisUrl(), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production', WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64') };
    const api = startBuilt('api', { ...common, PORT: String(apiPort) });
    await waitForHttp(`http://127.0.0.1:${apiPort}/health/ready`, 'the api', api.output);
    const projector = startBuilt('projector', { ...common, PROJECTOR_PORT: String(projectorPort) });
    const worker = startBuilt('worker', { ...common, WORKER_PORT: String(workerPort), WORKER_PREFIX: uniqueRedisPrefix('built'), SMTP_URL: smtp.url, WORKER_TICK_MS: '200' });
    await waitForHttp(`http://127.0.0.1:${projectorPort}/health/live`, 'the projector', projector.output);
    await waitForHttp(`http://127.0.0.1:${workerPort}/health/ready`, 'the worker', worker.output);
    const workerHealth = (await (await fetch(`http://127.0.0.1:${workerPort}/health`)).json()) as { version: string; redis: string };
    expect(workerHealth.redis).toBe('ready');
    expect(await (await fetch(`http://127.0.0.1:${workerPort}/metrics`)).text()).toContain('convene_queue_jobs');

    // History up to a meeting that has started (the domain's clock two hours back)...
    store = new EventStore({ pool: database.pool });
    const clock = new TestClock(new Date(Date.now() - 2 * 3600_000));
    const s = scenario(store, clock);
    // A span around today: a meeting must lie inside its collaborative's dates (issue 16).
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const [agency] = await s.launch(1, { startsOn: day(-30), endsOn: day(335) });
    const meetingId = await s.scheduleMeeting(new Date(Date.now() - 3600_000), [agency!.agencyId]);
    const { key } = await createApiKey(database.pool, { name: 'admin', role: 'admin' });
    const base = `http://127.0.0.1:${apiPort}`;
    const post = (url: string, body: unknown) =>
      fetch(`${base}${url}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

    // ...then the commands through the built api: the answer.
    expect((await post(`/v1/meetings/${meetingId}/attendance`, { attendance: [{ agencyId: agency!.agencyId, present: true, attendees: ['Leader 1'] }] })).status).toBe(200);
    const published = await post(`/v1/meetings/${meetingId}/minutes`, { minutes: 'We reviewed walk-throughs. Next: intake PDSA.' });
    expect(published.status).toBe(200);
    const position = Number(published.headers.get('convene-position'));
    expect(position).toBeGreaterThan(0);

    // The read model, written by the built projector (the api waits on its checkpoints).
    const read = await fetch(`${base}/v1/collaboratives/${s.collaborativeId}/meetings?consistentWith=${position}`, { headers: { authorization: `Bearer ${key}` } });
    expect(read.status).toBe(200);
    const meeting = ((await read.json()) as { items: { meetingId: string; status: string; attendance: unknown[] }[] }).items.find((m) => m.meetingId === meetingId);
    expect(meeting?.attendance).toHaveLength(1);

    // The e-mail, sent by the built worker over SMTP.
    await waitFor(() => smtp!.received.some((m) => m.subject.startsWith('Minutes') && m.to.includes(agency!.changeLeader)), 60_000, `the minutes e-mail (${worker.output().slice(-2000)})`);

    // Each process stops gracefully on SIGTERM (exit code 0).
    const exits = [api, projector, worker].map(({ child }) => new Promise<number | null>((r) => child.once('exit', (code) => r(code))));
    for (const { child } of [api, projector, worker]) child.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0, 0]);
  }, 300_000);
});
