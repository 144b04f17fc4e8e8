import type pg from 'pg';
import { DelayedError, Queue, Worker, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Transporter } from 'nodemailer';
import type { EventStore } from '@convene/eventstore';
import { planDataDueDeliveries } from './data-due';
import { DeliveryBusyError } from './claims';
import { createDispatcher } from './dispatcher';
import { mailerFromEnv, mailerFromTransport, type Mailer } from './mailer';
import { processDelivery, type DeliveryJobData, type DeliveryOutcome } from './processor';
import { PACKET_KIND } from './packet/keys';
import { processPacket, type PacketOutcome } from './packet/job';
import { createDocumentStore, documentStoreSettingsFromEnv, type DocumentStore } from '@convene/object-store';
import { createReactor, type ParkedKey } from './reactor';
import { createSweeper } from './sweeper';
import { consoleLogger, type Clock, type Logger } from './types';
import { DEFAULT_QUEUE_PREFIX, DELIVERY_QUEUE } from './queue';

export * from './types';
export * from './keys';
export * from './settings';
export * from './delivery-events';
export * from './mailer';
export type { WorkerDatabase, WorkerTables, DeliveryStatus } from './schema';
export { planDataDue } from './data-due';
export { processDelivery } from './processor';
export { createReactor, REACTOR_NAME, type ParkedKey, type Reactor } from './reactor';
export { createSweeper } from './sweeper';
export { DeliveryBusyError } from './claims';

export { DELIVERY_QUEUE, DEFAULT_QUEUE_PREFIX } from './queue';

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
  /** The binder's object store, where meeting packets are stored (issue 18); default: the API's settings from the environment. */
  documents?: DocumentStore;
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

const isMailer = (t: Transporter | Mailer): t is Mailer => typeof (t as Mailer).send === 'function' && !('sendMail' in t);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function startWorkers(options: StartWorkersOptions): Workers {
  const logger = options.logger ?? consoleLogger;
  const clock = options.clock ?? (() => new Date());
  const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
  const roles = { planner: true, dispatcher: true, worker: true, ...options.roles };
  const ownMailer = !options.transport;
  const mailer: Mailer = options.transport
    ? isMailer(options.transport)
      ? options.transport
      : mailerFromTransport(options.transport)
    : mailerFromEnv();
  const from = options.from ?? process.env.MAIL_FROM ?? 'Convene <no-reply@convene.local>';

  // The producer fails fast while Redis is down (rows wait in PostgreSQL); the worker's
  // blocking connection retries forever, as BullMQ requires.
  const queueConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: false });
  queueConnection.on('error', () => undefined);
  const queue = new Queue<DeliveryJobData>(DELIVERY_QUEUE, { connection: queueConnection, prefix });
  queue.on('error', (error) => logger.warn({ err: message(error) }, 'delivery queue error'));

  const jobOptions: JobsOptions = {
    attempts: options.attempts ?? 6,
    backoff: { type: 'exponential', delay: options.backoffMs ?? 30_000 },
    removeOnComplete: { age: 7 * 24 * 3600, count: 5000 },
    removeOnFail: { age: 30 * 24 * 3600, count: 5000 },
  };

  const reactor = createReactor({ pool: options.pool, store: options.store, logger });
  const dispatcher = createDispatcher({ pool: options.pool, queue, clock, jobOptions });
  const sweeper = createSweeper({ pool: options.pool, queue, clock, jobOptions, logger, ...(options.sweepGraceMs !== undefined ? { graceMs: options.sweepGraceMs } : {}) });
  const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  let lastSweep = 0;
  const claimMs = options.claimMs ?? options.lockDurationMs ?? 30_000;

  let worker: Worker<DeliveryJobData, DeliveryOutcome | PacketOutcome> | null = null;
  const documents = options.documents ?? createDocumentStore(documentStoreSettingsFromEnv(process.env));
  let workerConnection: Redis | null = null;
  if (roles.worker) {
    workerConnection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    workerConnection.on('error', () => undefined);
    worker = new Worker<DeliveryJobData, DeliveryOutcome | PacketOutcome>(
      DELIVERY_QUEUE,
      async (job, token) => {
        try {
          // Issue 18: rendering a meeting's packets is a job of the same queue (packet/job.ts).
          if (job.name === PACKET_KIND) return await processPacket({ pool: options.pool, store: options.store, objects: documents, clock, logger, claimMs }, job.data.key);
          return await processDelivery({ pool: options.pool, store: options.store, mailer, clock, from, logger, claimMs }, job.data.key);
        } catch (error) {
          // Another sender holds the row: wait for its claim to end without spending an attempt.
          if (error instanceof DeliveryBusyError && token) {
            await job.moveToDelayed(Date.now() + error.waitMs + 200, token);
            throw new DelayedError();
          }
          throw error;
        }
      },
      {
        connection: workerConnection,
        prefix,
        concurrency: options.concurrency ?? 4,
        ...(options.lockDurationMs ? { lockDuration: options.lockDurationMs } : {}),
        ...(options.stalledIntervalMs ? { stalledInterval: options.stalledIntervalMs } : {}),
      },
    );
    worker.on('error', (error) => logger.warn({ err: message(error) }, 'delivery worker error'));
    worker.on('failed', (job, error) =>
      logger.warn({ key: job?.data.key, attempts: job?.attemptsMade, err: message(error) }, 'delivery failed'),
    );
  }

  let lastTick: TickResult | null = null;
  let lastError: string | null = null;
  let ticking: Promise<TickResult> = Promise.resolve({ planned: 0, dataDuePlanned: 0, dispatched: 0, redispatched: 0 });

  async function runTick(): Promise<TickResult> {
    const result: TickResult = { planned: 0, dataDuePlanned: 0, dispatched: 0, redispatched: 0 };
    if (roles.planner) {
      result.planned = await reactor.catchUp();
      result.dataDuePlanned = await planDataDueDeliveries(options.pool, clock());
    }
    if (roles.dispatcher) {
      const d = await dispatcher.dispatchDue();
      result.dispatched = d.dispatched;
      if (d.error) {
        result.dispatchError = message(d.error);
        logger.warn({ err: result.dispatchError }, 'dispatch failed; due deliveries wait in PostgreSQL');
      } else if (Date.now() - lastSweep >= sweepIntervalMs) {
        try {
          result.redispatched = (await sweeper.sweep()).redispatched.length;
          lastSweep = Date.now();
        } catch (error) {
          result.dispatchError = message(error);
          logger.warn({ err: result.dispatchError }, 'sweep of dispatched deliveries failed; retried next tick');
        }
      }
    }
    lastTick = result;
    lastError = result.dispatchError ?? null;
    return result;
  }
  const tick = () => {
    const next = ticking.then(runTick, runTick);
    ticking = next.catch((error) => {
      lastError = message(error);
      logger.error({ err: lastError }, 'worker tick failed');
      return { planned: 0, dataDuePlanned: 0, dispatched: 0, redispatched: 0 };
    });
    return next;
  };

  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const interval = options.tickIntervalMs === undefined ? 1000 : options.tickIntervalMs;
  if (interval !== null && (roles.planner || roles.dispatcher)) {
    const loop = () => {
      if (stopped) return;
      tick()
        .catch(() => undefined)
        .finally(() => {
          if (!stopped) timer = setTimeout(loop, interval);
        });
    };
    timer = setTimeout(loop, 0);
  }

  const toDeadLetter = (job: { id?: string; name: string; data: DeliveryJobData; failedReason: string; attemptsMade: number; finishedOn?: number }): DeadLetter => ({
    id: String(job.id),
    name: job.name,
    key: job.data.key,
    failedReason: job.failedReason,
    attemptsMade: job.attemptsMade,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  });

  return {
    queue,
    tick,
    async deadLetters(limit = 50) {
      const jobs = await queue.getFailed(0, Math.max(0, limit - 1));
      return jobs.filter(Boolean).map(toDeadLetter);
    },
    async retryDeadLetter(id) {
      const job = await queue.getJob(id);
      if (!job || !(await job.isFailed())) return false;
      await job.retry('failed');
      return true;
    },
    async status() {
      const { rows } = await options.pool.query<{ status: string; n: number }>(
        'SELECT status, count(*)::int AS n FROM scheduled_deliveries GROUP BY status',
      );
      let counts: Record<string, number> | null = null;
      try {
        counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
      } catch {
        counts = null;
      }
      return {
        redis: queueConnection.status,
        queue: counts,
        deliveries: Object.fromEntries(rows.map((r) => [r.status, r.n])),
        plannerPosition: await reactor.position(),
        lastTick,
        lastError,
        parked: await reactor.parked(),
      };
    },
    resumeParked: (key) => reactor.resume(key),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await ticking.catch(() => undefined);
      await worker?.close();
      await queue.close().catch(() => undefined);
      workerConnection?.disconnect();
      queueConnection.disconnect();
      if (ownMailer) mailer.close();
    },
  };
}
export { devMailRoutes, type DevMailRoutesOptions, type DevMailItem } from './dev-mail-routes';
