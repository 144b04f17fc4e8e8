import type pg from 'pg';
import type { JobsOptions, Queue } from 'bullmq';
import type { Clock, Logger } from './types';

// Redis can lose jobs (a restart without persistence, a failover to a replica that had not got
// them, FLUSHALL). A row marked dispatched whose job is gone would never be sent (issue 11.7): the
// sweeper finds dispatched rows older than a grace period whose job is missing and adds it again
// under the same id. Job ids are the delivery keys, so an add while the job exists is a no-op and
// the processor is idempotent: a job that was only slow is never sent twice.

export interface SweepResult {
  checked: number;
  redispatched: string[];
}

export function createSweeper(deps: { pool: pg.Pool; queue: Queue; clock: Clock; jobOptions: JobsOptions; logger: Logger; graceMs?: number; batchSize?: number }) {
  const graceMs = deps.graceMs ?? 5 * 60_000;
  const batchSize = deps.batchSize ?? 500;
  return {
    async sweep(): Promise<SweepResult> {
      const { rows } = await deps.pool.query<{ key: string; kind: string }>(
        `SELECT key, kind FROM scheduled_deliveries WHERE status = 'dispatched' AND dispatched_at <= $1
          ORDER BY dispatched_at, key LIMIT $2`,
        [new Date(deps.clock().getTime() - graceMs), batchSize],
      );
      const jobs = await Promise.all(rows.map((r) => deps.queue.getJob(r.key)));
      const missing = rows.filter((_, i) => !jobs[i]);
      if (missing.length > 0) {
        await deps.queue.addBulk(missing.map((r) => ({ name: r.kind, data: { key: r.key }, opts: { ...deps.jobOptions, jobId: r.key } })));
        deps.logger.warn({ count: missing.length, keys: missing.slice(0, 20).map((r) => r.key) }, 'dispatched deliveries had no job in Redis (Redis lost data?): dispatched again');
      }
      return { checked: rows.length, redispatched: missing.map((r) => r.key) };
    },
  };
}
