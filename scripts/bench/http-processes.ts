// The processes bench:http starts: the servers under test (each with its log file), their health
// wait and graceful stop, and a Redis of the run's own.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import path from 'node:path';
import { request } from 'undici';
import { API_CPUS, pinned, REST_CPUS } from './pin';

export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/**
 * A server process of bench:http, its output in `<tmp>/<name>.log`; `root` is the checkout it runs
 * from. `built`: the service's esbuild bundle (`dist/<name>.js` of `npm run build`, as the image runs
 * it) instead of its TypeScript source under tsx.
 */
export function launch(tmp: string, root: string, name: string, script: string, env: Record<string, string>, nodeArgs: string[], pin: boolean, built = false): ChildProcess {
  const log = openSync(path.join(tmp, `${name}.log`), 'a');
  const entry = built ? [path.join(root, 'dist', `${name}.js`)] : ['--import', 'tsx', path.join(root, script)];
  const [file, args] = pinned(pin, name === 'api' ? API_CPUS : REST_CPUS, process.execPath, [...nodeArgs, ...entry]);
  return spawn(file, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
  });
}

export async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  // Up to 40 s: a CPU profile is written only on a graceful exit (which gives up after 25 s).
  await Promise.race([exited, new Promise((r) => setTimeout(r, 40_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

export async function waitHealthy(tmp: string, origin: string, children: ChildProcess[]) {
  for (let i = 0; i < 600; i++) {
    const dead = children.find((c) => c.exitCode !== null);
    if (dead) throw new Error(`a server process exited with ${dead.exitCode} before the API was healthy (logs in ${tmp})`);
    try {
      const res = await request(`${origin}/health`);
      await res.body.text();
      if (res.statusCode < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${origin} did not become healthy (logs in ${tmp})`);
}

export async function redisServer(): Promise<{ url: string; pid: number | undefined; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once('connect', () => (s.destroy(), resolve(true))).once('error', () => resolve(false)).connect(port, '127.0.0.1');
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid, stop: async () => void child.kill('SIGTERM') };
}
