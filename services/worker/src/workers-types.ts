import type { DocumentStore } from '@convene/object-store';
import type pg from 'pg';
import type { Queue } from 'bullmq';
import type { Transporter } from 'nodemailer';
import type { EventStore } from '@convene/eventstore';
import type { MessageKind } from './kinds';
import type { Mailer } from './mailer';
import type { ParkedKey } from './reactor';
import type { Clock, Logger } from './types';

// The worker's public shapes: what startWorkers takes and answers.

export interface StartWorkersOptions {
  pool: pg.Pool;
  store: EventStore;
  redisUrl: string;
  /** BullMQ key prefix (tests use a unique one). */
  prefix?: string;
  clock?: Clock;
  /** A nodemailer transport or a Mailer; default: SMTP_URL, else .eml files in .data/mail. */
  transport?: Transporter | Mailer;
  logger?: Logger;
  from?: string;
  /** Background planning and dispatch every so often; null: only when tick() is called. */
  tickIntervalMs?: number | null;
  /** Which parts run in this process (default all). */
  roles?: { planner?: boolean; dispatcher?: boolean; worker?: boolean };
  concurrency?: number;
  attempts?: number;
  /** First retry delay; doubles with each attempt. */
  backoffMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** How long a claim on a delivery row lasts unrenewed (default: lockDurationMs, else 30 s). */
  claimMs?: number;
  /** Dispatched rows older than this whose job is missing from Redis are dispatched again (default 5 min). */
  sweepGraceMs?: number;
  /** The sweep runs with a tick at most this often (default 60 s; 0: every tick). */
  sweepIntervalMs?: number;
  /** The message kinds planned and sent (default: defaultKinds, kinds/index.ts). */
  kinds?: readonly MessageKind[];
  /** How long a job waits for the read models to catch up with its planning (default 500 ms). */
  readModelWaitMs?: number;
  /** Base of links in messages (registration pages); default PUBLIC_BASE_URL, else http://127.0.0.1:3000. */
  publicBaseUrl?: string;
  /** The binder's object store, where meeting packets are stored (issue 18); default: the API's settings from the environment (S3_*, DOCUMENTS_DIR). */
  documents?: DocumentStore;
}

export interface DeadLetter {
  id: string;
  name: string;
  key: string;
  failedReason: string;
  attemptsMade: number;
  failedAt: string | null;
}

export interface TickResult {
  planned: number;
  dataDuePlanned: number;
  dispatched: number;
  /** Dispatched again by the sweeper because Redis had lost their job (issue 11.7). */
  redispatched: number;
  dispatchError?: string;
}

export interface WorkersStatus {
  redis: string;
  queue: Record<string, number> | null;
  deliveries: Record<string, number>;
  plannerPosition: number;
  lastTick: TickResult | null;
  lastError: string | null;
  /** Collaboratives (or streams) whose events the planner parked after a failure (issue 11.11). */
  parked: ParkedKey[];
}

export interface Workers {
  /** Plan from the feed, plan data-due rounds for the clock's now, dispatch what is due. */
  tick(): Promise<TickResult>;
  deadLetters(limit?: number): Promise<DeadLetter[]>;
  retryDeadLetter(id: string): Promise<boolean>;
  status(): Promise<WorkersStatus>;
  /** Replays the parked events of a collaborative (or stream) after a fix; see Reactor.resume. */
  resumeParked(key: string): Promise<{ replayed: number; stillParked: boolean }>;
  /** Graceful: stops ticking, lets running jobs finish, closes Redis connections. */
  stop(): Promise<void>;
  readonly queue: Queue;
}

/**
 * What the worker's /health reports: not ok while Redis is away (deliveries wait in PostgreSQL) or
 * while the planner has a parked poison event (that collaborative gets no messages; issue 11.11).
 */
export function workerHealth(status: WorkersStatus): { ok: boolean } & Record<string, unknown> {
  return {
    ok: status.redis === 'ready' && status.parked.length === 0,
    redis: status.redis,
    deadLetters: status.queue?.failed ?? null,
    deliveries: status.deliveries,
    parked: status.parked,
    lastError: status.lastError,
  };
}
