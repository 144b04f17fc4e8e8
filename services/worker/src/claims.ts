import type pg from 'pg';
import type { DeliveryRow } from './kinds/types';

// A delivery is sent under a claim on its own row (claimed_by, claimed_until; migration 0710)
// instead of a session advisory lock: a session lock is handed to whichever client next uses the
// server connection behind a transaction pooler (PgBouncer), and every statement here is one
// autocommitted statement, so any pool mode works. A holder renews its claim while it sends; a
// claim whose time passed (its holder died) may be taken by anyone. Times are the database's clock.

/** The row is claimed by another holder for about this long still. */
export class DeliveryBusyError extends Error {
  constructor(
    readonly key: string,
    readonly waitMs: number,
  ) {
    super(`delivery ${key} is being processed elsewhere (claim ends in ${waitMs} ms)`);
    this.name = 'DeliveryBusyError';
  }
}

export interface Claim {
  row: DeliveryRow;
  /** Whether `options.recordedKey` was an idempotency key already (read with the claim, not after it). */
  recorded: boolean;
  /** Ends the claim (idempotent); the row keeps what was recorded under it. */
  release(): Promise<void>;
  /**
   * Marks the row sent or skipped (a cancelled row stays cancelled) and ends the claim, in one
   * statement instead of a release of its own. Renewals stop first; should it fail, the claim runs out.
   */
  finish(status: 'sent' | 'skipped', at: Date): Promise<void>;
}

/**
 * Claims the row of `key` for `owner` for `ttlMs`, renewed every third of it until released.
 * Null: there is no such row. Throws DeliveryBusyError while another holder's claim runs.
 */
export async function claimDelivery(
  pool: pg.Pool, key: string, owner: string, ttlMs: number, onLost: () => void, options: { recordedKey?: string } = {},
): Promise<Claim | null> {
  const { rows } = await pool.query<DeliveryRow & { recorded: boolean }>(
    `UPDATE scheduled_deliveries SET claimed_by = $2, claimed_until = now() + make_interval(secs => $3::float8 / 1000)
      WHERE key = $1 AND (claimed_until IS NULL OR claimed_until < now())
      RETURNING key, kind, collaborative_id, subject_id, payload, status, planned_at_position::float8 AS planned_at_position, accepted_at, accepted_info,
        $4::text IS NOT NULL AND EXISTS (SELECT 1 FROM idempotency_keys WHERE idempotency_keys.key = $4::text) AS recorded`,
    [key, owner, ttlMs, options.recordedKey ?? null],
  );
  const claimed = rows[0];
  if (!claimed) {
    const { rows: held } = await pool.query<{ wait_ms: number }>(
      `SELECT greatest(0, ceil(extract(epoch FROM claimed_until - now()) * 1000))::int AS wait_ms FROM scheduled_deliveries WHERE key = $1`,
      [key],
    );
    if (!held[0]) return null;
    throw new DeliveryBusyError(key, held[0].wait_ms);
  }
  let released = false;
  const renew = setInterval(() => {
    pool
      .query(
        `UPDATE scheduled_deliveries SET claimed_until = now() + make_interval(secs => $3::float8 / 1000) WHERE key = $1 AND claimed_by = $2`,
        [key, owner, ttlMs],
      )
      .then(
        (r) => {
          if (!released && r.rowCount === 0) onLost();
        },
        () => undefined, // the database is away: the claim runs out, which is the safe side
      );
  }, Math.max(100, Math.floor(ttlMs / 3)));
  renew.unref();
  const { recorded, ...row } = claimed;
  const end = () => {
    if (released) return false;
    released = true;
    clearInterval(renew);
    return true;
  };
  return {
    row,
    recorded,
    async finish(status, at) {
      end();
      await pool.query(
        // The expressions read the row as it was: the claim is cleared only where it is still this
        // holder's (as release does). The accepted data is only kept until the delivery event holds
        // it (it names recipients).
        `UPDATE scheduled_deliveries SET
           status = CASE WHEN status <> 'cancelled' THEN $2 ELSE status END,
           finished_at = CASE WHEN status <> 'cancelled' THEN $3 ELSE finished_at END,
           accepted_info = CASE WHEN status <> 'cancelled' THEN NULL ELSE accepted_info END,
           claimed_by = CASE WHEN claimed_by = $4 THEN NULL ELSE claimed_by END,
           claimed_until = CASE WHEN claimed_by = $4 THEN NULL ELSE claimed_until END
         WHERE key = $1`,
        [key, status, at, owner],
      );
    },
    async release() {
      if (!end()) return;
      await pool
        .query(`UPDATE scheduled_deliveries SET claimed_by = NULL, claimed_until = NULL WHERE key = $1 AND claimed_by = $2`, [key, owner])
        .catch(() => undefined); // unreleased, the claim simply runs out
    },
  };
}

/**
 * Runs a database step that must not be lost after the SMTP server accepted a message, retrying
 * transient failures (a dropped connection, a failover, a deadlock) for a while.
 */
export async function persistently<T>(what: string, step: () => Promise<T>, attempts = 6, firstDelayMs = 200): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await step();
    } catch (error) {
      if (i >= attempts) throw new Error(`${what} failed ${attempts} times: ${(error as Error).message}`, { cause: error });
      await new Promise((r) => setTimeout(r, firstDelayMs * 2 ** (i - 1)));
    }
  }
}
