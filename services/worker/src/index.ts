import { Queue, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Transporter } from 'nodemailer';
import { createDispatcher } from './dispatcher';
import { defaultKinds, kindRegistry } from './kinds';
import { mailerFromEnv, mailerFromTransport, type Mailer } from './mailer';
import type { DeliveryJobData } from './processor';
import { DEFAULT_QUEUE_PREFIX, DELIVERY_QUEUE } from './queue';
import { createReactor } from './reactor';
import { startSender } from './sender';
import { createDocumentStore, documentStoreSettingsFromEnv } from '@convene/object-store';
import { createSweeper } from './sweeper';
import { createTicker } from './ticker';
import { consoleLogger, type Logger } from './types';
import type { DeadLetter, StartWorkersOptions, Workers } from './workers-types';

export * from './types';
export * from './keys';
export * from './settings';
export * from './delivery-events';
export * from './mailer';
export * from './workers-types';
export * from './kinds';
export type { WorkerDatabase, WorkerTables, DeliveryStatus } from './schema';
export { planDataDue } from './data-due';
export { processDelivery } from './processor';
export { processPacket, type PacketDeps, type PacketOutcome } from './packet/job';
export { packetDocumentId, packetKeys } from './packet/keys';
export { createReactor, REACTOR_NAME, type ParkedKey, type Reactor } from './reactor';
export { createSweeper } from './sweeper';
export { DeliveryBusyError } from './claims';
export { DELIVERY_QUEUE, DEFAULT_QUEUE_PREFIX } from './queue';
export { devMailRoutes, type DevMailRoutesOptions, type DevMailItem } from './dev-mail-routes';

const isMailer = (t: Transporter | Mailer): t is Mailer => typeof (t as Mailer).send === 'function' && !('sendMail' in t);
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function resolveMailer(transport: StartWorkersOptions['transport']): Mailer {
  if (!transport) return mailerFromEnv();
  return isMailer(transport) ? transport : mailerFromTransport(transport);
}

/** The producer fails fast while Redis is down (rows wait in PostgreSQL). */
function openQueue(redisUrl: string, prefix: string, logger: Logger) {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: false });
  connection.on('error', () => undefined);
  const queue = new Queue<DeliveryJobData>(DELIVERY_QUEUE, { connection, prefix });
  queue.on('error', (error) => logger.warn({ err: message(error) }, 'delivery queue error'));
  return { queue, connection };
}

const jobOptionsOf = (o: StartWorkersOptions): JobsOptions => ({
  attempts: o.attempts ?? 6,
  backoff: { type: 'exponential', delay: o.backoffMs ?? 30_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 5000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 5000 },
});

const toDeadLetter = (job: { id?: string; name: string; data: DeliveryJobData; failedReason: string; attemptsMade: number; finishedOn?: number }): DeadLetter => ({
  id: String(job.id),
  name: job.name,
  key: job.data.key,
  failedReason: job.failedReason,
  attemptsMade: job.attemptsMade,
  failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
});

/**
 * Starts the planner, dispatcher and sender (each optional by `roles`) for a list of message kinds
 * (kinds/index.ts: each kind plans, addresses and renders its own messages).
 */
export function startWorkers(options: StartWorkersOptions): Workers {
  const logger = options.logger ?? consoleLogger;
  const clock = options.clock ?? (() => new Date());
  const prefix = options.prefix ?? DEFAULT_QUEUE_PREFIX;
  const roles = { planner: true, dispatcher: true, worker: true, ...options.roles };
  const kinds = options.kinds ?? defaultKinds;
  const mailer = resolveMailer(options.transport);
  const from = options.from ?? process.env.MAIL_FROM ?? 'Convene <no-reply@convene.local>';
  const { queue, connection } = openQueue(options.redisUrl, prefix, logger);
  const jobOptions = jobOptionsOf(options);

  const reactor = createReactor({ pool: options.pool, store: options.store, logger, kinds });
  const ticker = createTicker({
    pool: options.pool, clock, logger, roles, reactor, kinds,
    dispatcher: createDispatcher({ pool: options.pool, queue, clock, jobOptions }),
    sweeper: createSweeper({ pool: options.pool, queue, clock, jobOptions, logger, ...(options.sweepGraceMs !== undefined ? { graceMs: options.sweepGraceMs } : {}) }),
    sweepIntervalMs: options.sweepIntervalMs ?? 60_000,
    intervalMs: options.tickIntervalMs === undefined ? 1000 : options.tickIntervalMs,
  });
  const sender = roles.worker
    ? startSender({
        pool: options.pool, store: options.store, mailer, clock, from, logger, kinds: kindRegistry(kinds),
        claimMs: options.claimMs ?? options.lockDurationMs ?? 30_000,
        redisUrl: options.redisUrl, prefix, concurrency: options.concurrency ?? 4,
        readModelWaitMs: options.readModelWaitMs ?? 500,
        documents: options.documents ?? createDocumentStore(documentStoreSettingsFromEnv(process.env)),
        ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
        ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
        ...(options.stalledIntervalMs ? { stalledIntervalMs: options.stalledIntervalMs } : {}),
      })
    : null;

  return {
    queue,
    tick: ticker.tick,
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
      const { rows } = await options.pool.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM scheduled_deliveries GROUP BY status');
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed').catch(() => null);
      return {
        redis: connection.status,
        queue: counts,
        deliveries: Object.fromEntries(rows.map((r) => [r.status, r.n])),
        plannerPosition: await reactor.position(),
        ...ticker.state(),
        parked: await reactor.parked(),
      };
    },
    resumeParked: (key) => reactor.resume(key),
    async stop() {
      await ticker.stop();
      await sender?.close();
      await queue.close().catch(() => undefined);
      connection.disconnect();
      if (!options.transport) mailer.close();
    },
  };
}
