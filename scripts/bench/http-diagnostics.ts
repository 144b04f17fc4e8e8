// What bench:http prints beside its table when asked (issue 13): statements per command by
// process (BENCH_STEP_LOG), the costliest statements of a step from pg_stat_statements
// (BENCH_PGSS), and one profiled step (BENCH_PROFILE_RATE).
import type { createPool } from '@convene/db';
import { httpClient, runStep, type LoadMix } from './http-load';
import os from 'node:os';
import { allBackendPids, backendPids, countStatements, logOffset } from './pg-log';
import { cpuSeconds, cpuShare, cpuSnapshot } from './cpu-share';

/**
 * BENCH_PROFILE_RATE=n: one step at n commands/s with every statement of the scratch database
 * logged; prints statements per command of the API's connections and its CPU per command.
 */
export async function profileStep(client: ReturnType<typeof httpClient>, mix: LoadMix, database: string, admin: ReturnType<typeof createPool>, pid: number | undefined, rate: number, seconds: number) {
  const pids = await backendPids(admin, database, 'convene-api');
  const offset = logOffset();
  const cpu = cpuSeconds(pid);
  const r = await runStep(client, mix, rate, seconds);
  const cpuMs = ((cpuSeconds(pid) - cpu) * 1000) / Math.max(1, r.ok);
  const pidsAfter = await backendPids(admin, database, 'convene-api');
  const counts = countStatements(offset, database, new Set([...pids, ...pidsAfter]));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(`[profile] ${JSON.stringify(r)}`);
  console.log(`[profile] API CPU ${cpuMs.toFixed(2)} ms per command; ${(total / Math.max(1, r.ok)).toFixed(2)} statements per command (${r.ok} commands, ${r.failed} failed)`);
  for (const [kind, n] of [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${(n / Math.max(1, r.ok)).toFixed(3)}  ${kind}`);
}

export async function backendApps(admin: ReturnType<typeof createPool>, database: string): Promise<Map<number, string>> {
  const { rows } = await admin.query<{ pid: number; app: string }>('SELECT pid, application_name AS app FROM pg_stat_activity WHERE datname = $1', [database]);
  return new Map(rows.map((r) => [r.pid, r.app || '(none)']));
}

export function printStatementsByApp(offset: number, database: string, apps: Map<number, string>, commands: number, target: string) {
  const byApp = new Map<string, Set<number>>();
  for (const [pid, app] of apps) byApp.set(app, (byApp.get(app) ?? new Set()).add(pid));
  for (const [app, pids] of byApp) {
    const counted = countStatements(offset, database, pids);
    const total = [...counted.values()].reduce((a, b) => a + b, 0);
    console.log(`[${target}] ${app}: ${(total / Math.max(1, commands)).toFixed(2)} statements per command`);
    for (const [kind, n] of [...counted.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`    ${(n / Math.max(1, commands)).toFixed(3)}  ${kind}`);
  }
}

export async function printCostliestStatements(admin: ReturnType<typeof createPool>, commands: number, target: string, tablesBefore?: TableReads) {
  const { rows } = await admin.query<{ ms: number; calls: number; rows: number; query: string }>(
    `SELECT total_exec_time AS ms, calls, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS query
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY total_exec_time DESC LIMIT 15`,
  );
  const per = (n: number) => n / Math.max(1, commands);
  console.log(`[${target}] costliest statements (exec ms per command, calls per command, ms per call, rows per call):`);
  for (const r of rows) console.log(`    ${per(r.ms).toFixed(3)} ms  ${per(r.calls).toFixed(3)}  ${(r.ms / Math.max(1, r.calls)).toFixed(2)} ms  ${(r.rows / Math.max(1, r.calls)).toFixed(1)}  ${r.query}`);
  // What writes WAL, per command: each statement's WAL records and bytes (a COMMIT that waits for
  // the flush is one fsync unless group commit shares it).
  const writers = await admin.query<{ calls: number; wal_records: number; wal_bytes: number; query: string }>(
    `SELECT calls, wal_records, wal_bytes::float8 AS wal_bytes, left(regexp_replace(query, '\s+', ' ', 'g'), 100) AS query
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND wal_records > 0 ORDER BY wal_bytes DESC LIMIT 12`,
  );
  console.log(`[${target}] statements writing WAL (calls per command, WAL records per command, WAL bytes per command):`);
  for (const r of writers.rows) console.log(`    ${per(r.calls).toFixed(3)}  ${per(r.wal_records).toFixed(1)}  ${per(r.wal_bytes).toFixed(0)} B  ${r.query}`);
  if (!tablesBefore) return;
  const after = await tableReads(admin);
  const grown = [...after.entries()].map(([t, a]) => {
    const b = tablesBefore.get(t) ?? { seqRows: 0, idxRows: 0, seqScans: 0, updates: 0, hotUpdates: 0 };
    return { t, seqRows: a.seqRows - b.seqRows, idxRows: a.idxRows - b.idxRows, seqScans: a.seqScans - b.seqScans, updates: a.updates - b.updates, hot: a.hotUpdates - b.hotUpdates };
  });
  console.log(`[${target}] rows read per command by table (sequential scans per command, rows by seq scan, rows by index):`);
  for (const g of grown.sort((x, y) => y.seqRows + y.idxRows - x.seqRows - x.idxRows).slice(0, 10)) {
    console.log(`    ${per(g.seqScans).toFixed(3)}  ${per(g.seqRows).toFixed(1)}  ${per(g.idxRows).toFixed(1)}  ${g.t}`);
  }
  // A HOT update writes no index entry (the new version on the same page, no indexed column changed).
  console.log(`[${target}] rows updated per command by table (of them HOT, %):`);
  for (const g of grown.filter((x) => x.updates > 0).sort((x, y) => y.updates - x.updates).slice(0, 10)) {
    console.log(`    ${per(g.updates).toFixed(2)}  ${((100 * g.hot) / g.updates).toFixed(0)}%  ${g.t}`);
  }
}

export type TableReads = Map<string, { seqRows: number; idxRows: number; seqScans: number; updates: number; hotUpdates: number }>;
/** Rows read and updated so far per table of the database (pg_stat_all_tables, catalogs included). */
export async function tableReads(admin: ReturnType<typeof createPool>): Promise<TableReads> {
  const { rows } = await admin.query<{ t: string; seq_scan: string; seq_tup_read: string; idx_tup_fetch: string | null; n_tup_upd: string; n_tup_hot_upd: string }>(
    'SELECT schemaname || \'.\' || relname AS t, seq_scan, seq_tup_read, idx_tup_fetch, n_tup_upd, n_tup_hot_upd FROM pg_stat_all_tables',
  );
  return new Map(rows.map((r) => [r.t, {
    seqScans: Number(r.seq_scan), seqRows: Number(r.seq_tup_read), idxRows: Number(r.idx_tup_fetch ?? 0), updates: Number(r.n_tup_upd), hotUpdates: Number(r.n_tup_hot_upd),
  }]));
}

/**
 * Idle, after the warm-up: what the processes spend with no request coming in (catching up on the
 * seed and the warm-up: the worker plans and sends the seed's minutes), in % of one core per
 * process, until they have settled (below 15% of a core together, `maxSeconds` at most) so that
 * the steps measure the load, not a backlog. Returns the seconds it took; `logIdle` prints the
 * statements sent meanwhile.
 */
export async function waitUntilSettled(o: {
  target: string; names: string[]; pids: () => Record<string, number | undefined>; admin: ReturnType<typeof createPool>; database: string;
  minWindows: number; maxSeconds: number; logIdle: boolean;
}): Promise<number> {
  const offset = logOffset();
  const pidsBefore = await allBackendPids(o.admin, o.database);
  const started = performance.now();
  for (let i = 0; ; i++) {
    const before = cpuSnapshot(o.pids());
    await new Promise((r) => setTimeout(r, 2000));
    const idle = cpuShare(before, cpuSnapshot(o.pids()), 1, os.cpus().length);
    const percent = (ms: number) => ms / 20; // ms of CPU in 2 s → % of a core
    const ours = o.names.reduce((sum, n) => sum + percent(idle.msPerCommand[n] ?? 0), 0);
    console.log(`[${o.target}] idle ${2 * i + 2} s after warm-up, % of a core: ${Object.entries(idle.msPerCommand).map(([k, v]) => `${k} ${percent(v).toFixed(0)}`).join(', ')}`);
    // The whole machine quiet too: an autovacuum worker or a checkpoint is no process of ours.
    const machine = percent(idle.msPerCommand.machine ?? 0);
    if (i + 1 >= o.minWindows && ((ours < 15 && machine < 40) || performance.now() - started > o.maxSeconds * 1000)) break;
  }
  const seconds = (performance.now() - started) / 1000;
  if (o.logIdle) {
    const counted = countStatements(offset, o.database, new Set([...pidsBefore, ...(await allBackendPids(o.admin, o.database))]));
    console.log(`[${o.target}] statements per second while idle:`);
    for (const [kind, n] of [...counted.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${(n / seconds).toFixed(1)}  ${kind}`);
  }
  return seconds;
}

/**
 * Seconds after a step's last answer until the live projections and the worker's planner have
 * applied every event stored so far: a rate the API answers while the background work falls
 * behind is not a rate the system keeps up with. Null when not within `maxSeconds`.
 */
export async function catchUpSeconds(admin: ReturnType<typeof createPool>, maxSeconds = 120): Promise<number | null> {
  const { rows } = await admin.query<{ head: string }>('SELECT coalesce(max(global_position), 0)::text AS head FROM events');
  const head = BigInt(rows[0]!.head);
  const started = performance.now();
  for (;;) {
    const { rows: behind } = await admin.query<{ p: string | null }>(
      `SELECT min(position)::text AS p FROM (SELECT position FROM projection_instances WHERE role = 'live'
         UNION ALL SELECT position FROM worker_checkpoints WHERE name = 'worker-delivery-planner') x`,
    );
    if (BigInt(behind[0]!.p ?? '0') >= head) return (performance.now() - started) / 1000;
    if (performance.now() - started > maxSeconds * 1000) return null;
    await new Promise((r) => setTimeout(r, 100));
  }
}
