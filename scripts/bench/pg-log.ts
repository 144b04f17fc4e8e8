// Statements per command from the PostgreSQL server log: the bench sets log_min_duration_statement
// = 0 on its own scratch database only (ALTER DATABASE ... SET: no server-wide setting changes, no
// restart), notes where the log ends, runs the load, and counts that database's statements sent by
// the API's connections. Needs the server's log file (BENCH_PG_LOG_FILE, default Debian's path).
import { openSync, readSync, statSync, closeSync } from 'node:fs';
import type pg from 'pg';

export const PG_LOG_FILE = process.env.BENCH_PG_LOG_FILE ?? '/var/log/postgresql/postgresql-15-main.log';

export async function logStatements(admin: pg.Pool, database: string): Promise<void> {
  await admin.query(`ALTER DATABASE ${database} SET log_min_duration_statement = 0`);
}

export const logOffset = (): number => {
  try {
    return statSync(PG_LOG_FILE).size;
  } catch {
    return -1;
  }
};

/** Statements logged since `offset` by backends `pids` on `database`, by kind (first words of the text). */
export function countStatements(offset: number, database: string, pids: Set<number>): Map<string, number> {
  const counts = new Map<string, number>();
  if (offset < 0) return counts;
  const size = statSync(PG_LOG_FILE).size;
  const buffer = Buffer.alloc(size - offset);
  const fd = openSync(PG_LOG_FILE, 'r');
  readSync(fd, buffer, 0, buffer.length, offset);
  closeSync(fd);
  // e.g. "2026-11-30 12:00:00.123 UTC [4242] postgres@db LOG:  duration: 0.080 ms  execute <unnamed>: SELECT ..."
  const re = /\[(\d+)\] \S*@(\S+) LOG: {2}duration: [\d.]+ ms {2}(?:statement|execute [^:]*|bind [^:]*|parse [^:]*): (.*)$/;
  for (const line of buffer.toString('utf8').split('\n')) {
    const m = re.exec(line);
    if (!m || m[2] !== database || !pids.has(Number(m[1]))) continue;
    if (/ LOG: {2}duration: [\d.]+ ms {2}(bind|parse) /.test(line)) continue; // count executions only
    const kind = m[3]!.replace(/\s+/g, ' ').trim().slice(0, 60);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

export async function backendPids(admin: pg.Pool, database: string, applicationName: string): Promise<Set<number>> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2', [database, applicationName]);
  return new Set(rows.map((r) => r.pid));
}

export async function allBackendPids(admin: pg.Pool, database: string): Promise<Set<number>> {
  const { rows } = await admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
  return new Set(rows.map((r) => r.pid));
}
