import pg from 'pg';
import type { EventStore } from './event-store';
import { EVENTS_CHANNEL } from './notifier';
import type { RecordedEvent } from './types';

export interface SubscriptionOptions {
  /** Start after this position. */
  after: number;
  batchSize?: number;
  /** Poll at least this often even without a notification (a NOTIFY can be missed). */
  pollIntervalMs?: number;
  types?: string[];
  /** Called with each batch in order; the subscription waits for it before reading on. A
   * throw stops the subscription (read errors are retried). */
  handle: (events: RecordedEvent[]) => Promise<void>;
  onError?: (error: unknown) => void;
}

export interface Subscription {
  /** Resolves when the loop has stopped. */
  stop(): Promise<void>;
  readonly position: number;
}

/**
 * Follows the gap-safe feed: reads batches while there are events, then sleeps until a
 * LISTEN/NOTIFY wake-up or the poll interval. A failing handler stops the subscription (the
 * caller decides whether to restart from its checkpoint).
 */
export function subscribe(store: EventStore, options: SubscriptionOptions): Subscription {
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  let position = options.after;
  let stopped = false;
  let wake: (() => void) | null = null;
  const listener = new pg.Client({ connectionString: store.listenConnectionString, application_name: 'convene-subscription' });

  // A stop() that came while a read was in flight finds no sleep to wake: none is started then.
  const sleep = () =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      const timer = setTimeout(done, pollIntervalMs);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const loop = (async () => {
    try {
      await listener.connect();
      listener.on('notification', () => wake?.());
      listener.on('error', () => undefined);
      await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch {
      // Without LISTEN the subscription still works, by polling.
    }
    while (!stopped) {
      let batch;
      try {
        batch = await store.readAll({ after: position, limit: options.batchSize ?? 500, types: options.types });
      } catch (error) {
        // The database may be restarting: report, wait a poll interval, read again.
        options.onError?.(error);
        await sleep();
        continue;
      }
      if (batch.events.length > 0) {
        try {
          await options.handle(batch.events);
        } catch (error) {
          // The handler's failure is the caller's to fix: stop at the last handled position.
          options.onError?.(error);
          stopped = true;
          break;
        }
        position = batch.next;
        continue;
      }
      await sleep();
    }
    await listener.end().catch(() => undefined);
  })();

  return {
    get position() {
      return position;
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
