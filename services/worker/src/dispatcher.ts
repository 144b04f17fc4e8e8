import type pg from 'pg';
import type { JobsOptions, Queue } from 'bullmq';
import type { Clock } from './types';
import { withTransaction } from '@convene/db';

// Moves due rows into BullMQ. The rows are locked (SKIP LOCKED: several dispatchers may run),
// added with their key as job id, and marked dispatched in the same transaction only after
// Redis accepted the jobs. Redis down: the add fails, the transaction rolls back, rows wait.

export interface DispatchResult {
  dispatched: number;
  error?: unknown;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });

export function createDispatcher(deps: {
  pool: pg.Pool;
  queue: Queue;
  clock: Clock;
  jobOptions: JobsOptions;
  batchSize?: number;
  addTimeoutMs?: number;
}) {
  const batchSize = deps.batchSize ?? 100;

  // Rows are marked dispatched only if the queue accepted them: a failed add rolls back.
  function dispatchBatch(): Promise<number> {
    return withTransaction(deps.pool, async (client) => {
      const now = deps.clock();
      const { rows } = await client.query<{ key: string; kind: string }>(
        `SELECT key, kind FROM scheduled_deliveries WHERE status = 'pending' AND due_at <= $1
         ORDER BY due_at, key LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, batchSize],
      );
      if (rows.length === 0) return 0;
      await withTimeout(
        deps.queue.addBulk(rows.map((r) => ({ name: r.kind, data: { key: r.key }, opts: { ...deps.jobOptions, jobId: r.key } }))),
        deps.addTimeoutMs ?? 5000,
        'queue add',
      );
      await client.query(`UPDATE scheduled_deliveries SET status = 'dispatched', dispatched_at = $2 WHERE key = ANY ($1)`, [
        rows.map((r) => r.key),
        now,
      ]);
      return rows.length;
    });
  }

  return {
    /** Dispatches everything due now; on failure reports the error and what went before it. */
    async dispatchDue(): Promise<DispatchResult> {
      let dispatched = 0;
      try {
        for (;;) {
          const n = await dispatchBatch();
          dispatched += n;
          if (n < batchSize) return { dispatched };
        }
      } catch (error) {
        return { dispatched, error };
      }
    },
  };
}
