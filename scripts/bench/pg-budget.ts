// What the benchmarks may take from a shared PostgreSQL: max_connections minus the connections in
// use and the superuser reserve (other engineers' tests hold connections while a bench runs).
import type pg from 'pg';

/** Connections still free on the server for a new client now. */
export async function connectionBudget(pool: pg.Pool | pg.Client): Promise<number> {
  const { rows } = await pool.query<{ max: number; used: number; reserved: number }>(
    `SELECT current_setting('max_connections')::int AS max,
            (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS used,
            current_setting('superuser_reserved_connections')::int AS reserved`,
  );
  const r = rows[0]!;
  return Math.max(0, r.max - r.used - r.reserved);
}

/** Rows read (index fetches and scanned tuples) and commits of this database so far. */
export async function databaseCounters(pool: pg.Pool): Promise<{ rowsRead: number; commits: number }> {
  // Backends report their counters at most once a second: let them.
  await new Promise((r) => setTimeout(r, 1500));
  const { rows } = await pool.query<{ fetched: number; returned: number; commits: number }>(
    `SELECT pg_stat_clear_snapshot(), tup_fetched::float8 AS fetched, tup_returned::float8 AS returned, xact_commit::float8 AS commits
       FROM pg_stat_database WHERE datname = current_database()`,
  );
  const r = rows[0]!;
  return { rowsRead: r.fetched, commits: r.commits };
}
