// `npm start` and every npm script of the README with no DATABASE_URL, against one embedded
// PostgreSQL (issue 17: the embedded default is complete), then SIGTERM to npm's pid (issue 11.13).
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { runningEmbeddedPostgres } from '@convene/db';
import { freePort, testRedisUrl } from '@convene/testkit';
import { folderMailer } from '@convene/worker';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const run = promisify(execFile);
let child: ChildProcess | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  // Only if the test failed half-way: end whatever is left of the process group, and the server.
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const pg = dataDir ? runningEmbeddedPostgres(path.join(dataDir, 'pg')) : null;
  if (pg) process.kill(pg.pid, 'SIGQUIT');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('npm start and the npm scripts with no DATABASE_URL', () => {
  it('issue 17 (embedded default) and 11.13 (SIGTERM): every README script runs against the embedded PostgreSQL of npm start; SIGTERM to npm drains, stops workers and projector, then PostgreSQL, and leaves no process', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-start-'));
    await chmod(dataDir, 0o755); // reachable by the postgres user the embedded server runs as
    const port = await freePort();
    const pgPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      CONVENE_PG_PORT: String(pgPort),
      CONVENE_DATA_DIR: dataDir,
      REDIS_URL: testRedisUrl(),
      WORKER_PREFIX: `start-test-${process.pid}`,
      LOG_LEVEL: 'info',
    };
    delete env.DATABASE_URL;
    delete env.SMTP_URL;
    delete env.MAIL_DIR;

    // 1. npm start: the banner names the API, /docs, the database and where mail goes.
    child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const started = Date.now();
    while (!/admin API key\s+(\S+)/.test(out)) {
      if (child.exitCode !== null) throw new Error(`npm start exited: ${out}`);
      if (Date.now() - started > 90_000) throw new Error(`npm start did not come up: ${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const adminKey = /admin API key\s+(\S+)/.exec(out)![1]!;
    const base = `http://127.0.0.1:${port}`;
    const mailDir = path.join(dataDir, 'mail');
    expect(out).toContain(`API            ${base}`);
    expect(out).toContain(`API docs       ${base}/docs`);
    expect(out).toContain(`database       postgres://postgres:postgres@127.0.0.1:${pgPort}/convene`);
    expect(out).toContain(`mail           written to ${mailDir}`);
    const health = await fetch(`${base}/health`);
    expect(((await health.json()) as { database: { ok: boolean } }).database.ok).toBe(true);
    const server = runningEmbeddedPostgres(path.join(dataDir, 'pg'));
    expect(server?.port).toBe(pgPort);

    // 2. The README's scripts, no DATABASE_URL: each finds the running embedded server.
    const npm = (...args: string[]) =>
      run('npm', ['run', '--silent', ...args], { cwd: root, env, timeout: 200_000 }).catch((error: Error & { stdout?: string; stderr?: string }) => {
        throw new Error(`npm run ${args.join(' ')} failed: ${error.message}\n${error.stdout}\n${error.stderr}`);
      });
    const [migrate, created, status, replay] = await Promise.all([
      npm('migrate'),
      npm('api-keys', '--', 'create', '--role', 'admin', '--name', 'from the CLI'),
      npm('projections', '--', 'status'),
      npm('replay'),
    ]);
    expect(migrate.stdout).toContain('up to date');
    expect(migrate.stderr).toContain(`using the embedded PostgreSQL running on port ${pgPort}`);
    const { keyId, key } = JSON.parse(created.stdout.slice(0, created.stdout.lastIndexOf('}') + 1)) as { keyId: string; key: string };
    expect((JSON.parse(status.stdout) as { projections: unknown[] }).projections.length).toBeGreaterThan(0);
    expect(replay.stdout).toContain('OK: every event parses and folds');
    expect(keyId).toBeTruthy();
    // The key made by the CLI works against npm start's API.
    expect((await fetch(`${base}/v1/admin/deliveries/status`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);

    // `npm run seed`, the README's step after npm start, on this empty embedded database: it finds
    // the API by PORT and the development admin key through the embedded PostgreSQL.
    const seeded = await npm('seed');
    const seededId = /collaborative\s+([0-9a-f-]{36})/.exec(seeded.stdout)?.[1];
    expect(seededId).toBeDefined();
    const seededAgencies = async () =>
      ((await (await fetch(`${base}/v1/collaboratives/${seededId}/agencies?limit=100`, { headers: { authorization: `Bearer ${adminKey}` } })).json()) as { items?: unknown[] }).items ?? [];
    const seen = Date.now();
    while ((await seededAgencies()).length < 14 && Date.now() - seen < 20_000) await new Promise((r) => setTimeout(r, 250));
    expect(await seededAgencies()).toHaveLength(14);

    // 3. Mail in dev mode and the delivery queue are viewable: admin only.
    await folderMailer(mailDir).send({ from: 'a@example.org', to: 'b@example.org', subject: 'Reminder: meeting tomorrow', text: 'hello' });
    const mail = await fetch(`${base}/v1/admin/dev-mail`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(mail.status).toBe(200);
    const listing = (await mail.json()) as { folder: string; items: { name: string; subject: string; to: string }[] };
    expect(listing.folder).toBe(mailDir);
    // The seeded demo's minutes and reminders may be in the folder too (the worker sends them).
    const ours = listing.items.filter((i) => i.subject === 'Reminder: meeting tomorrow');
    expect(ours).toHaveLength(1);
    const message = await fetch(`${base}/v1/admin/dev-mail/${ours[0]!.name}`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(await message.text()).toContain('hello');

    // The queue board (issue 17: bull-board behind admin auth) over the workers' queue, at the URL
    // the banner prints; the development admin key as HTTP Basic password, as a browser sends it.
    expect(out).toContain(`queues         ${base}/v1/admin/queues`);
    const board = await fetch(`${base}/v1/admin/queues/api/queues`, { headers: { authorization: `Basic ${Buffer.from(`me:${adminKey}`).toString('base64')}` } });
    expect(board.status).toBe(200);
    expect(((await board.json()) as { queues: { name: string }[] }).queues.map((q) => q.name)).toEqual(['deliveries']);
    expect((await fetch(`${base}/v1/admin/queues`)).headers.get('www-authenticate')).toMatch(/^Basic /);

    // 4. SIGTERM to npm's pid: everything stops, PostgreSQL last, and nothing is left running.
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    process.kill(child.pid!, 'SIGTERM');
    expect(await exited).toBe(0);
    const deadline = Date.now() + 15_000;
    const groupAlive = () => {
      try {
        process.kill(-child!.pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    // tsx's esbuild service ends on its own once node is gone: allow it a moment.
    while ((alive(server!.pid) || groupAlive() || (await listening(port))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive(server!.pid)).toBe(false);
    expect(await listening(port)).toBe(false);
    expect(await listening(pgPort)).toBe(false);
    expect(groupAlive()).toBe(false); // no process of npm start's group remains
    const order = ['stopped http', 'stopped workers', 'stopped projector', 'stopped postgres'].map((m) => out.indexOf(`"msg":"${m}"`));
    expect(order.every((at) => at > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    child = undefined;

    // 5. With nothing running, a script starts the embedded server itself and stops it again.
    const alone = await npm('api-keys', '--', 'list');
    expect(alone.stdout).toContain(keyId);
    expect(alone.stderr).toContain(`started the embedded PostgreSQL on port ${pgPort}`);
    expect(runningEmbeddedPostgres(path.join(dataDir, 'pg'))).toBeNull();
  }, 480_000);
});
