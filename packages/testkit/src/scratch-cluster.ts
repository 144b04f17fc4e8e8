import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFile, chown, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './provision';

// Private PostgreSQL clusters and PgBouncers for tests that restore, reset, replicate or pool: the
// shared server on 5432 is never reconfigured. PostgreSQL and PgBouncer refuse to run as root, so
// as root they run as the `postgres` user.

const run = promisify(execFile);

/** The PostgreSQL binaries: PG_BIN, else the newest /usr/lib/postgresql/<n>/bin. */
export async function postgresBin(): Promise<string> {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? (await readdir(root)).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const dir = versions.map((v) => path.join(root, v, 'bin')).find((d) => existsSync(path.join(d, 'initdb')));
  if (!dir) throw new Error('no PostgreSQL binaries (initdb) found: set PG_BIN');
  return dir;
}

const asRoot = () => process.getuid?.() === 0;

/** Runs a server binary, as `postgres` when we are root. */
export async function runAsPostgres(file: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  const [cmd, argv] = asRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  const { stdout } = await run(cmd, argv, { env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

function spawnAsPostgres(file: string, args: string[]): ChildProcess {
  const [cmd, argv] = asRoot() ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  return spawn(cmd, argv, { stdio: 'ignore' });
}

/** Gives a path to the server user (when we are root). */
async function giveToPostgres(file: string): Promise<void> {
  if (!asRoot()) return;
  const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
  const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  await chown(file, uid, gid);
}

/** A temp folder the server user owns. */
async function ownedTempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await giveToPostgres(dir);
  return dir;
}

export interface ScratchCluster {
  port: number;
  dataDir: string;
  /** Connection string for a database of this cluster. */
  url(database?: string): string;
  /** Runs a binary of the cluster's PostgreSQL (psql, pg_dump, ...) as the server user. */
  bin(name: string, args: string[]): Promise<string>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops, runs pg_resetwal with these arguments (e.g. ['-e', '2']), starts again. */
  resetWal(args: string[]): Promise<void>;
  /** A hot standby of this cluster (pg_basebackup -R), started. */
  standby(): Promise<ScratchCluster>;
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
}

const FAST_SETTINGS = `
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 16MB
max_connections = 40
wal_level = replica
max_wal_senders = 4
hot_standby = on
`;

async function clusterAt(dataDir: string, port: number, binDir: string): Promise<ScratchCluster> {
  await appendFile(dataDir + '/postgresql.conf', `\nport = ${port}\nunix_socket_directories = '${dataDir}'\n`);
  const bin = (name: string, args: string[]) => runAsPostgres(path.join(binDir, name), args);
  const pgCtl = (args: string[]) => bin('pg_ctl', ['-D', dataDir, '-l', `${dataDir}/server.log`, ...args]);
  let running = false;
  const cluster: ScratchCluster = {
    port,
    dataDir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    bin,
    async start() {
      await pgCtl(['-w', '-t', '60', 'start']);
      running = true;
    },
    async stop() {
      if (!running) return;
      await pgCtl(['-w', '-t', '60', '-m', 'fast', 'stop']);
      running = false;
    },
    async resetWal(args) {
      await cluster.stop();
      await bin('pg_resetwal', ['-f', ...args, dataDir]);
      await cluster.start();
    },
    async standby() {
      const dir = await ownedTempDir('convene-standby-');
      await bin('pg_basebackup', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-D', dir, '-R', '-X', 'stream', '-c', 'fast']);
      const replica = await clusterAt(dir, await freePort(), binDir);
      await replica.start();
      return replica;
    },
    async destroy() {
      if (running) await pgCtl(['-w', '-t', '60', '-m', 'immediate', 'stop']).catch(() => undefined);
      running = false;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** A fresh cluster in a temp folder on a free port, started, trusting local connections. */
export async function startScratchCluster(): Promise<ScratchCluster> {
  const binDir = await postgresBin();
  const dataDir = await ownedTempDir('convene-scratch-');
  await runAsPostgres(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--no-instructions']);
  await appendFile(`${dataDir}/postgresql.conf`, FAST_SETTINGS);
  const cluster = await clusterAt(dataDir, await freePort(), binDir);
  try {
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}

export interface ScratchPgBouncer {
  port: number;
  /** The connection string of `database` through the pooler. */
  url(database: string): string;
  stop(): Promise<void>;
}

/** PgBouncer 1.21+ can track protocol-level prepared statements; older ones cannot (no setting). */
async function tracksPreparedStatements(binary: string): Promise<boolean> {
  const out = await run(binary, ['--version']).then((r) => r.stdout, () => '');
  const [major = 0, minor = 0] = (/PgBouncer (\d+)\.(\d+)/.exec(out) ?? []).slice(1).map(Number);
  return major > 1 || (major === 1 && minor >= 21);
}

/**
 * A PgBouncer on a free port in front of a PostgreSQL server, in `poolMode`, with
 * max_prepared_statements = 0 (protocol-level prepared statements not tracked, as in PgBouncer
 * before 1.21 and many managed poolers). Binary: PGBOUNCER, else /usr/sbin/pgbouncer or PATH.
 */
export async function startPgBouncer(options: { host: string; port: number; poolMode: 'transaction' | 'session'; poolSize?: number }): Promise<ScratchPgBouncer> {
  const binary = process.env.PGBOUNCER ?? (existsSync('/usr/sbin/pgbouncer') ? '/usr/sbin/pgbouncer' : 'pgbouncer');
  const dir = await ownedTempDir('convene-pgbouncer-');
  const port = await freePort();
  const ini = `[databases]
* = host=${options.host} port=${options.port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${dir}/users.txt
pool_mode = ${options.poolMode}
default_pool_size = ${options.poolSize ?? 4}
max_client_conn = 200
${(await tracksPreparedStatements(binary)) ? 'max_prepared_statements = 0\n' : ''}ignore_startup_parameters = extra_float_digits,options
server_reset_query =
logfile = ${dir}/pgbouncer.log
pidfile = ${dir}/pgbouncer.pid
`;
  await writeFile(`${dir}/users.txt`, '"postgres" ""\n');
  await writeFile(`${dir}/pgbouncer.ini`, ini);
  for (const f of ['users.txt', 'pgbouncer.ini']) await giveToPostgres(`${dir}/${f}`);
  const child = spawnAsPostgres(binary, [`${dir}/pgbouncer.ini`]);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const failed = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`pgbouncer did not start (${e.message}); install the pgbouncer package`))));
  const net = await import('node:net');
  const answers = () =>
    new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
  const deadline = Date.now() + 10_000;
  while (!(await Promise.race([answers(), failed]))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`pgbouncer did not start (exit ${child.exitCode}); see ${dir}/pgbouncer.log`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async stop() {
      if (child.exitCode === null) {
        // PgBouncer itself (runuser's child when we are root), by its own pid file.
        const pid = Number((await readFile(`${dir}/pgbouncer.pid`, 'utf8').catch(() => '')).trim());
        if (pid > 0) process.kill(pid, 'SIGTERM');
        else child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
