import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { EventStore } from './event-store';

/** A set-up the event store cannot serve correctly: the process should not start. */
export class DeploymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeploymentError';
  }
}

export interface DeploymentReport {
  /** A hot standby: reads only (gap-safe, bounded by the replayed snapshot), no appends. */
  standby: boolean;
  /** Positions were re-seeded above a restored history. */
  reseeded: boolean;
  /** Whether LISTEN on the direct connection was checked (not on a standby: NOTIFY needs the primary). */
  listenChecked: boolean;
}

/**
 * What every process checks at start-up (docs/operations.md, "Start-up checks"):
 * - on a primary, positions are re-seeded when the stored history does not fit this cluster's
 *   transaction ids (a restore into another cluster): appends and reads then just work;
 * - LISTEN on the direct connection receives a NOTIFY sent through the pool. Behind a transaction
 *   pooler (PgBouncer pool_mode=transaction) a LISTEN is dropped with its server connection and
 *   subscribers would silently fall back to polling: refused, naming DATABASE_DIRECT_URL.
 */
export async function checkDeployment(store: EventStore, options: { listenTimeoutMs?: number } = {}): Promise<DeploymentReport> {
  const { rows } = await store.pool.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
  const standby = rows[0]!.standby;
  if (standby) return { standby, reseeded: false, listenChecked: false };
  const reseeded = await store.reseedPositions();
  await checkListen(store, options.listenTimeoutMs ?? 5000);
  return { standby, reseeded, listenChecked: true };
}

async function checkListen(store: EventStore, timeoutMs: number): Promise<void> {
  const channel = `convene_probe_${randomBytes(6).toString('hex')}`;
  const listener = new pg.Client({ connectionString: store.listenConnectionString, application_name: 'convene-listen-check' });
  listener.on('error', () => undefined);
  try {
    await listener.connect();
    await listener.query(`LISTEN ${channel}`);
    const heard = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      listener.on('notification', (n) => {
        if (n.channel !== channel) return;
        clearTimeout(timer);
        resolve(true);
      });
    });
    // Sent through the pool, as the store's notifier does after each commit.
    await store.pool.query('SELECT pg_notify($1, $2)', [channel, 'probe']);
    if (!(await heard)) {
      throw new DeploymentError(
        `LISTEN on the direct connection heard no NOTIFY within ${timeoutMs} ms: it is probably going through a ` +
          'transaction pooler (PgBouncer pool_mode=transaction drops a LISTEN with its server connection). ' +
          'Set DATABASE_DIRECT_URL to a direct connection to PostgreSQL (or a session-mode pool); see docs/operations.md.',
      );
    }
  } finally {
    await listener.end().catch(() => undefined);
  }
}
