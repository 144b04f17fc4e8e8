import nodemailer from 'nodemailer';
import { createEventStore, type EventStore } from '@convene/eventstore';
import type { RunningProjector } from '@convene/projections';
import { createTestDatabase, testRedisUrl, uniqueRedisPrefix, type TestDatabase } from '@convene/testkit';
import { startWorkers } from '../index';
import { silentLogger } from '../types';
import type { StartWorkersOptions, Workers } from '../workers-types';
import { startReadModels } from './read-models';
import { startTestSmtp, type TestSmtp } from './smtp';
import { waitFor, type TestClock } from './scenario';

// What the worker's end-to-end tests share (tests only): a database of their own, the read models
// the message kinds read (a projector), an SMTP server that keeps what it receives, and the
// workers on the test's clock with no background tick (each test ticks when it means to).

export interface WorkerRig {
  tdb: TestDatabase;
  store: EventStore;
  smtp: TestSmtp;
  workers: Workers;
  /** Resolves once BullMQ has no job waiting, active or delayed. */
  idle(timeoutMs?: number): Promise<void>;
  /** Resolves once `mails` messages have arrived and the queue is idle. */
  settle(mails: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

type Tuning = Pick<StartWorkersOptions, 'attempts' | 'backoffMs' | 'readModelWaitMs' | 'publicBaseUrl'>;

export async function startWorkerRig(clock: TestClock, prefix: string, tuning: Tuning): Promise<WorkerRig> {
  const tdb = await createTestDatabase();
  const store = createEventStore({ pool: tdb.pool });
  let readModels: RunningProjector | undefined;
  let smtp: TestSmtp | undefined;
  let workers: Workers | undefined;
  const stop = async () => {
    await workers?.stop();
    await smtp?.close();
    await readModels?.stop();
    await store.close();
    await tdb.drop();
  };
  try {
    readModels = await startReadModels(tdb, store);
    smtp = await startTestSmtp();
    workers = startWorkers({
      pool: tdb.pool, store, redisUrl: testRedisUrl(), prefix: uniqueRedisPrefix(prefix), clock: clock.now,
      transport: nodemailer.createTransport(smtp.url), logger: silentLogger, tickIntervalMs: null, ...tuning,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  const running = workers;
  const received = smtp;
  const idle = (timeoutMs = 15_000) =>
    waitFor(async () => {
      const c = await running.queue.getJobCounts('waiting', 'active', 'delayed');
      return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0;
    }, timeoutMs, 'queue idle');
  return {
    tdb, store, smtp: received, workers: running, idle, stop,
    async settle(mails, timeoutMs = 20_000) {
      await waitFor(() => received.received.length >= mails, timeoutMs, `${mails} mails`);
      await idle();
    },
  };
}
