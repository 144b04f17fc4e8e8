import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema';

// int8 (global positions, counts) comes back from pg as a string; our positions stay far below
// 2^53 (see packages/eventstore), so they are parsed as numbers once, here, for every pool.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 ${value} exceeds Number.MAX_SAFE_INTEGER`);
  return n;
});

export interface DbOptions {
  connectionString: string;
  max?: number;
  applicationName?: string;
  /** How long an idle connection is kept open (default 60 s; pg's own default is 10 s). */
  idleTimeoutMillis?: number;
}

/**
 * Issue 13: a pool that closes its idle connections after pg's 10 s opens new ones at the next
 * burst, and a new server process pays its fork, authentication, cold catalog caches and the first
 * compile of the append's PL/pgSQL functions inside a request. In one bench:http run the API's pool
 * of 20 had started 47 server processes. Connections up to `max` are what the deployment budgets
 * for anyway (README.md, DATABASE_POOL_MAX), so they are kept for a minute.
 */
export const POOL_IDLE_TIMEOUT_MS = 60_000;

export function createPool(options: DbOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'convene',
    idleTimeoutMillis: options.idleTimeoutMillis ?? POOL_IDLE_TIMEOUT_MS,
  });
  // An idle client killed by the server (restart, failover) must not crash the process: the pool
  // drops it and the next query opens a new connection.
  pool.on('error', () => undefined);
  // A client checked out (in a transaction, or held across an SMTP send) whose connection the
  // server drops (pg_terminate_backend, failover, an idle reaper) emits 'error' between queries:
  // unheard, that kills the process. Its next query fails instead, and the pool discards it on
  // release, so the caller's ordinary error handling (retry) applies (issue 11.8).
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

export function createDb(pool: pg.Pool): Kysely<Database> {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
