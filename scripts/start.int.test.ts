import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, testRedisUrl } from '@convene/testkit';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
let child: ChildProcess | undefined;
let dataDir: string | undefined;

afterAll(async () => {
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    process.kill(-child.pid, 'SIGINT'); // npm and the node process under it
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 10_000)))]);
    clearTimeout(timer);
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('with no DATABASE_URL starts an embedded PostgreSQL and answers /health within 30 seconds', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'convene-start-'));
    await chmod(dataDir, 0o755); // reachable by the postgres user the embedded server runs as
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), CONVENE_PG_PORT: String(await freePort()), CONVENE_DATA_DIR: dataDir, REDIS_URL: testRedisUrl(), LOG_LEVEL: 'warn' };
    delete env.DATABASE_URL;
    const started = Date.now();
    child = spawn('npm', ['start', '--silent'], { cwd: root, env, detached: true, stdio: 'ignore' });

    let body: { status?: string; database?: { ok: boolean } } = {};
    while (Date.now() - started < 30_000) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        body = (await res.json()) as typeof body;
        if (res.status === 200) break;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(body.database?.ok).toBe(true);
    expect(body.status).toBe('ok');
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 45_000);
});
