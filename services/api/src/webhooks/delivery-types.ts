// The options, answers and retry schedule of the webhook delivery loop (./deliveries).
import type pg from 'pg';
import type { EventStore } from '@convene/eventstore';
import type { Lookup } from './target-policy';

export interface WebhookLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export const defaultLogger: WebhookLogger = {
  info: () => undefined,
  warn: (obj, msg) => console.warn(msg ?? '', obj),
  error: (obj, msg) => console.error(msg ?? '', obj),
};

export interface WebhookDeliveryOptions {
  pool: pg.Pool;
  /** Its readAll gives the events (unsealed when it has a personal-data hook, as the feed does). */
  store: EventStore;
  /** Opens the stored secrets (AES-256-GCM, WEBHOOK_SECRET_KEY); also encrypts rows stored in clear before issue 12. */
  secretKey?: Buffer;
  /** WEBHOOK_ALLOWED_HOSTS: names and CIDRs of on-premise receivers allowed although internal. */
  allowedHosts?: string;
  /** Name resolution (default: the system's); every address it gives is checked. */
  lookup?: Lookup;
  /** Attempt times, signature timestamps and backoff are on this clock (default: the wall clock). */
  clock?: () => Date;
  logger?: WebhookLogger;
  /** Background loop: tick at least this often, and on every commit (LISTEN). 0: no loop, tick() only. Default 1000. */
  pollIntervalMs?: number;
  /**
   * Background loop: at least this long between two ticks, however many commits wake it (default
   * 100). A tick queries the subscriptions: without the bound a busy API ran one query per commit
   * notification (issue 13); commits during the pause are served by the tick after it.
   */
  minTickIntervalMs?: number;
  /** Events per POST (default 100). */
  batchSize?: number;
  /** Per POST (default 10 s). */
  timeoutMs?: number;
  /** Retry delay after the n-th consecutive failure: min(baseMs * 2^(n-1), maxMs). Default 5 s .. 1 h. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Subscriptions served at once by one tick (default 4). */
  concurrency?: number;
  /** Batches one subscription may send per tick before the others get their turn (default 20). */
  maxBatchesPerTick?: number;
}

export interface TickResult {
  /** Successful POSTs. */
  delivered: number;
  /** Failed POSTs (logged, retried later). */
  failed: number;
  /** Events in the successful POSTs. */
  events: number;
}

export interface WebhookDeliveries {
  /** Serves every due subscription until it has nothing more to send (or fails); serialized with the loop. */
  tick(): Promise<TickResult>;
  /** Stops the loop after the tick in progress. */
  stop(): Promise<void>;
  /**
   * POSTs a subscription's parked events of a collaborative (or stream) in order after a fix
   * (issue 11.11) and clears the parking; still parked when they cannot be read or the POST fails.
   */
  resumeParked(subscriptionId: string, key: string): Promise<{ replayed: number; stillParked: boolean; error?: string }>;
}


export function backoffMs(failures: number, backoff: { baseMs?: number; maxMs?: number } = {}): number {
  const base = backoff.baseMs ?? 5000;
  const max = backoff.maxMs ?? 3_600_000;
  return Math.min(max, base * 2 ** Math.min(Math.max(failures - 1, 0), 40));
}
