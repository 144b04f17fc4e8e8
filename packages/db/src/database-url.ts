import path from 'node:path';
import { createDb, createPool } from './connection';
import { ensureDatabase, runningEmbeddedPostgres, startEmbeddedPostgres, type EmbeddedPostgres } from './embedded';
import { migrateToLatest } from './migrator';

export interface ResolvedDatabase {
  url: string;
  /** `DATABASE_URL`, the embedded server found running (`npm start`'s), or one this process started. */
  source: 'env' | 'embedded-running' | 'embedded-started';
  /** The embedded server this process started: it is stopped by close(). */
  embedded: EmbeddedPostgres | null;
  /** The embedded server's folder (CONVENE_DATA_DIR/pg), when embedded. */
  dataDir: string | null;
  /** Stops the embedded server if this process started it; a no-op otherwise. */
  close(): Promise<void>;
}

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  /** Database on the embedded server (default `convene`). */
  database?: string;
  /** Migrate the embedded database (default true): a fresh data folder is usable at once. */
  migrateEmbedded?: boolean;
  /** Where to say that an embedded server was found or started (default stderr, so stdout stays the command's). */
  log?: (line: string) => void;
}

/**
 * Every process and CLI finds its database here: `DATABASE_URL` when set, else the embedded
 * PostgreSQL of `npm start` under `CONVENE_DATA_DIR` (default `.data`) — used when running,
 * started on `CONVENE_PG_PORT` (default 54329) when not (and then stopped by close()).
 */
export async function resolveDatabase(options: ResolveOptions = {}): Promise<ResolvedDatabase> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  if (env.DATABASE_URL) {
    return { url: env.DATABASE_URL, source: 'env', embedded: null, dataDir: null, close: async () => undefined };
  }
  const dataDir = path.resolve(env.CONVENE_DATA_DIR ?? '.data', 'pg');
  const database = options.database ?? 'convene';
  let embedded: EmbeddedPostgres | null = null;
  let running = runningEmbeddedPostgres(dataDir);
  let adminUrl: string;
  let url: string;
  if (running) {
    adminUrl = running.urlFor('postgres');
    url = running.urlFor(database);
    log(`using the embedded PostgreSQL running on port ${running.port} (${dataDir})`);
  } else {
    const port = Number(env.CONVENE_PG_PORT ?? 54329);
    try {
      embedded = await startEmbeddedPostgres({ dataDir, port });
    } catch (error) {
      // Another process started it meanwhile.
      running = runningEmbeddedPostgres(dataDir);
      if (!running) throw error;
    }
    adminUrl = embedded?.url ?? running!.urlFor('postgres');
    url = embedded?.urlFor(database) ?? running!.urlFor(database);
    if (embedded) log(`started the embedded PostgreSQL on port ${port} (${dataDir}); it stops when this command ends`);
  }
  try {
    await ensureDatabase(adminUrl, database);
    if (options.migrateEmbedded !== false) {
      const db = createDb(createPool({ connectionString: url, max: 1, applicationName: 'convene-migrate' }));
      try {
        await migrateToLatest(db);
      } finally {
        await db.destroy();
      }
    }
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const started = embedded;
  return {
    url,
    source: started ? 'embedded-started' : 'embedded-running',
    embedded: started,
    dataDir,
    close: async () => {
      await started?.stop();
    },
  };
}
