import type { Kysely } from 'kysely';
import type { EventStore, RecordedEvent } from '@convene/eventstore';
import type { PgBatchStore } from './pg-store';
import type { Projection, RowRef } from './types';

// The projection runner's options, results and the part of a batch it applies in a group's
// transaction (runner.ts, group-apply.ts).

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

export interface RunnerOptions {
  db: Kysely<any>;
  store: EventStore;
  projection: Projection;
  schema: string;
  batchSize?: number;
  logger?: Logger;
  /** Fault injection for tests: runs inside the batch transaction, after the rows, before the checkpoint. */
  beforeCommit?: (trx: Kysely<any>, events: RecordedEvent[]) => Promise<void>;
  /** Rows kept from batch to batch (PROJECTOR_ROW_CACHE, default 5,000; 0: none): see keptRows. */
  maxKeptRows?: number;
  /**
   * The lease holder this runner works for (the projector daemon's id): a batch commits only
   * while the instance's lease is this holder's, so a runner whose lease expired and was taken
   * over stops at its next batch. Unset (rebuild, verify, tests): no lease check.
   */
  leaseHolder?: string;
}

export type StepResult =
  | { kind: 'applied'; events: number; position: number }
  | { kind: 'idle'; position: number }
  | { kind: 'failed'; position: number; event: RecordedEvent; error: string }
  | { kind: 'stopped'; reason: string };

/** A runner's part of a batch applied in a group's transaction (prepareWithin), not yet committed. */
export interface JoinedBatch {
  schema: string;
  events: RecordedEvent[];
  to: number;
  rows: PgBatchStore;
  /** The rows its events read and write, for the group's one load (loadTogether). */
  refs: RowRef[];
  /** The personal-data key generation the group's transaction began at (the kept rows' condition). */
  generation: number;
  startedAt: number;
}
