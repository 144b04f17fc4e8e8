import type pg from 'pg';
import { createDb } from '@convene/db';
import type { EventStore } from '@convene/eventstore';
import { projections as allProjections, startProjectorRuntime, type Logger, type Projection, type RunningProjector } from '@convene/projections';

export interface StartProjectorOptions {
  pool: pg.Pool;
  store: EventStore;
  logger?: Logger;
  projections?: Projection[];
  pollIntervalMs?: number;
  batchSize?: number;
  /** Where to LISTEN (a direct connection when the pool goes through a transaction pooler). */
  listenUrl?: string;
  leaseTtlMs?: number;
}

/**
 * Runs every read-model projection in this process (several processes may run: each projection
 * instance is leased to one). `isCaughtUp` is what the API's `consistentWith` waits on.
 */
export async function startProjector(options: StartProjectorOptions): Promise<RunningProjector> {
  const db = createDb(options.pool);
  return startProjectorRuntime({
    pool: options.pool,
    db,
    store: options.store,
    projections: options.projections ?? allProjections,
    ...(options.logger ? { logger: options.logger } : {}),
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    ...(options.listenUrl ? { listenUrl: options.listenUrl } : {}),
    ...(options.leaseTtlMs ? { leaseTtlMs: options.leaseTtlMs } : {}),
    // Big batches: fewer rewrites of the same rows while catching up or rebuilding (at the head of
    // the feed a batch holds only what is new).
    batchSize: options.batchSize ?? 50_000,
  });
}
