import type pg from 'pg';
import { DelayedError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { EventStore } from '@convene/eventstore';
import { DeliveryBusyError } from './claims';
import { ReadModelBehind, type MessageKind } from './kinds';
import type { Mailer } from './mailer';
import { processDelivery, type DeliveryJobData, type DeliveryOutcome } from './processor';
import type { DocumentStore } from '@convene/object-store';
import { PACKET_KIND } from './packet/keys';
import { processPacket, type PacketOutcome } from './packet/job';
import { DELIVERY_QUEUE } from './queue';
import type { Clock, Logger } from './types';

// The BullMQ worker that sends: one job is one delivery key (processor.ts). A job that must wait —
// another sender holds the row, or the read models have not caught up with its planning — is
// delayed without spending an attempt.

export interface SenderOptions {
  pool: pg.Pool;
  store: EventStore;
  mailer: Mailer;
  clock: Clock;
  from: string;
  logger: Logger;
  claimMs: number;
  kinds: ReadonlyMap<string, MessageKind>;
  redisUrl: string;
  prefix: string;
  concurrency: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  readModelWaitMs: number;
  publicBaseUrl?: string;
  /** Where meeting packets are stored (issue 18). */
  documents: DocumentStore;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function startSender(o: SenderOptions): { close(): Promise<void> } {
  const connection = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', () => undefined);
  const deps = { pool: o.pool, store: o.store, mailer: o.mailer, clock: o.clock, from: o.from, logger: o.logger, claimMs: o.claimMs, kinds: o.kinds, ...(o.publicBaseUrl ? { publicBaseUrl: o.publicBaseUrl } : {}) };

  const wait = async (job: Job<DeliveryJobData>, token: string, ms: number) => {
    await job.moveToDelayed(Date.now() + ms, token);
    throw new DelayedError();
  };
  const worker = new Worker<DeliveryJobData, DeliveryOutcome | PacketOutcome>(
    DELIVERY_QUEUE,
    async (job, token) => {
      try {
        // Issue 18: rendering a meeting's packets is a job of this queue, not a message (packet/job.ts).
        if (job.name === PACKET_KIND) return await processPacket({ pool: o.pool, store: o.store, objects: o.documents, clock: o.clock, logger: o.logger, claimMs: o.claimMs }, job.data.key);
        return await processDelivery(deps, job.data.key);
      } catch (error) {
        if (error instanceof DeliveryBusyError && token) return wait(job, token, error.waitMs + 200);
        if (error instanceof ReadModelBehind && token) {
          o.logger.info({ key: job.data.key, err: error.message }, 'delivery waits for the read models');
          return wait(job, token, o.readModelWaitMs);
        }
        throw error;
      }
    },
    {
      connection,
      prefix: o.prefix,
      concurrency: o.concurrency,
      ...(o.lockDurationMs ? { lockDuration: o.lockDurationMs } : {}),
      ...(o.stalledIntervalMs ? { stalledInterval: o.stalledIntervalMs } : {}),
    },
  );
  worker.on('error', (error) => o.logger.warn({ err: message(error) }, 'delivery worker error'));
  worker.on('failed', (job, error) => o.logger.warn({ key: job?.data.key, attempts: job?.attemptsMade, err: message(error) }, 'delivery failed'));
  return {
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
