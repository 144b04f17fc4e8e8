// Retention of idempotency records (issue 12.12): a key answers retries for a bounded time, then
// its rows are deleted. The API's keys (`api:<keyId>:<key>` in idempotency_keys, and the stored
// HTTP answers in api_idempotent_responses) expire after the retention; the workers' delivery keys
// (`delivery-…`) hold no personal data and guard against sending a message twice, so they stay.
import type pg from 'pg';

/** Default retention: a client retries within minutes; a day leaves room for outages. */
export const DEFAULT_IDEMPOTENCY_RETENTION_HOURS = 24;

export interface SweepResult {
  keys: number;
  responses: number;
}

/** Deletes the API's idempotency records older than `retentionMs` (at `now`). */
export async function sweepIdempotency(pool: pg.Pool, options: { retentionMs: number; now?: Date }): Promise<SweepResult> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - options.retentionMs);
  const keys = await pool.query("DELETE FROM idempotency_keys WHERE created_at < $1 AND key LIKE 'api:%'", [cutoff]);
  const responses = await pool.query('DELETE FROM api_idempotent_responses WHERE created_at < $1', [cutoff]);
  return { keys: keys.rowCount ?? 0, responses: responses.rowCount ?? 0 };
}

/** Sweeps at start and then every `intervalMs` (default hourly) until stopped. */
export function startIdempotencySweep(
  pool: pg.Pool,
  options: { retentionMs: number; intervalMs?: number; onError?: (error: unknown) => void },
): { stop(): void } {
  const run = () => void sweepIdempotency(pool, options).catch((error: unknown) => options.onError?.(error));
  run();
  const timer = setInterval(run, options.intervalMs ?? 3_600_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
