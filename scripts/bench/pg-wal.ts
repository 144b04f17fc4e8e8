// The server's WAL work over a step (pg_stat_wal is cluster-wide: run on an otherwise quiet server):
// records, full-page images, bytes, and the flushes (fsyncs) that commits wait for, per command.
import type { createPool } from '@convene/db';

export interface WalCounters { records: number; fpi: number; bytes: number; syncs: number; syncMs: number; commits: number }

export async function walCounters(admin: ReturnType<typeof createPool>): Promise<WalCounters> {
  const { rows } = await admin.query<Record<string, string>>(
    `SELECT wal_records, wal_fpi, wal_bytes, wal_sync, wal_sync_time,
            (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS commits
       FROM pg_stat_wal`,
  );
  const r = rows[0]!;
  return { records: Number(r.wal_records), fpi: Number(r.wal_fpi), bytes: Number(r.wal_bytes), syncs: Number(r.wal_sync), syncMs: Number(r.wal_sync_time), commits: Number(r.commits) };
}

export function printWal(before: WalCounters, after: WalCounters, commands: number, target: string): void {
  const per = (k: keyof WalCounters) => (after[k] - before[k]) / Math.max(1, commands);
  const syncs = after.syncs - before.syncs;
  console.log(
    `[${target}] WAL per command: ${per('records').toFixed(1)} records, ${per('fpi').toFixed(2)} full-page images, ${per('bytes').toFixed(0)} bytes, ` +
      `${per('syncs').toFixed(2)} flushes (${syncs ? ((after.syncMs - before.syncMs) / syncs).toFixed(2) : '–'} ms each; track_wal_io_timing must be on for the time); ` +
      `${per('commits').toFixed(2)} transactions committed in the database (read-only ones included)`,
  );
}
