// The webhook delivery loop. Each subscription has a checkpoint (the last position delivered); a
// tick reads the gap-safe feed after it (filtered by the subscription's types and collaborative),
// POSTs one batch in global order, and moves the checkpoint in the transaction that logs the
// attempt. A failure logs the attempt and retries the same batch later (exponential backoff,
// capped), never skipping ahead: every event is delivered at least once, in order; receivers
// dedupe by event id. A transaction-scoped advisory lock gives each subscription to one process
// at a time, so several processes may run the loop.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { EVENTS_CHANNEL, type EventStore, type RecordedEvent } from '@convene/eventstore';
import { toAuditEvent } from '../audit/events';
import { scopeOfData } from '../audit/scope';
import type { SubscriptionRow } from './subscriptions';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signatureHeader, standardWebhookHeaders } from './signature';
import { postWebhook } from './post';
import { createSecretBox, isSealedSecret, type SecretBox } from './secret-box';
import { parseTargetPolicy, type Lookup, type TargetPolicy } from './target-policy';

export interface WebhookLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

const defaultLogger: WebhookLogger = {
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
}

/** Advisory lock space of webhook subscriptions (the second key is hashtext(subscription id)). */
const LOCK_CLASS = 0x57484b31; // 'WHK1'
const ERROR_MAX = 500;

type Outcome = 'delivered' | 'failed' | 'advanced' | 'idle';

export function backoffMs(failures: number, backoff: { baseMs?: number; maxMs?: number } = {}): number {
  const base = backoff.baseMs ?? 5000;
  const max = backoff.maxMs ?? 3_600_000;
  return Math.min(max, base * 2 ** Math.min(Math.max(failures - 1, 0), 40));
}


export function startWebhookDeliveries(options: WebhookDeliveryOptions): WebhookDeliveries {
  const { pool, store } = options;
  const policy: TargetPolicy = parseTargetPolicy(options.allowedHosts);
  const box: SecretBox | undefined = options.secretKey ? createSecretBox(options.secretKey) : undefined;
  const openSecret = (stored: string): string | null => {
    if (!isSealedSecret(stored)) return stored;
    try {
      return box ? box.open(stored) : null;
    } catch {
      return null;
    }
  };
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? defaultLogger;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const batchSize = options.batchSize ?? 100;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const maxBatches = Math.max(1, options.maxBatchesPerTick ?? 20);

  /** One batch of one subscription, under its lock. */
  async function serveOnce(subscriptionId: string, result: TickResult): Promise<Outcome> {
    const client = await pool.connect();
    let open = false;
    try {
      await client.query('BEGIN');
      open = true;
      const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS ok', [LOCK_CLASS, subscriptionId]);
      if (!lock.rows[0]?.ok) return 'idle'; // another process serves it
      const now = clock();
      const { rows } = await client.query<SubscriptionRow>(
        `SELECT * FROM webhook_subscriptions
          WHERE subscription_id = $1 AND deactivated_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= $2)`,
        [subscriptionId, now],
      );
      const sub = rows[0];
      if (!sub) return 'idle';
      const after = Number(sub.position);
      const pendingTo = sub.pending_to === null ? null : Number(sub.pending_to);
      const { events, next } = await store.readAll({ after, limit: batchSize, ...(sub.event_types ? { types: sub.event_types } : {}) });
      // A retry sends exactly the batch that failed: the same first events, up to its last position.
      const batch = pendingTo === null ? events : events.filter((e) => e.globalPosition <= pendingTo);
      const end = batch.at(-1)?.globalPosition;
      if (end === undefined) {
        // None of its types: the checkpoint moves past the other types' events (issue 11.12).
        if (pendingTo === null && next > after) {
          await client.query('UPDATE webhook_subscriptions SET position = $2 WHERE subscription_id = $1', [subscriptionId, next]);
          await client.query('COMMIT');
          open = false;
        }
        return 'idle';
      }
      const collaborativeId = sub.collaborative_id;
      const visible = collaborativeId === null ? batch : batch.filter((e: RecordedEvent) => scopeOfData(e.data)?.collaborativeId === collaborativeId);
      if (visible.length === 0) {
        // Nothing here for this subscription: the checkpoint moves past the batch.
        await client.query('UPDATE webhook_subscriptions SET position = $2, pending_to = NULL WHERE subscription_id = $1', [subscriptionId, end]);
        await client.query('COMMIT');
        open = false;
        return 'advanced';
      }

      const deliveryId = uuidv7();
      const attempt = sub.failures + 1;
      const body = JSON.stringify({ subscriptionId, events: visible.map(toAuditEvent) });
      const timestamp = Math.floor(now.getTime() / 1000);
      const started = performance.now();
      let status: number | null = null;
      let error: string | null = null;
      const secret = openSecret(sub.secret);
      if (secret === null) {
        error = 'secret_key_missing';
      } else {
        // The address is checked again at this connect (DNS rebinding); the answer's body is never
        // read, so nothing a receiver says is stored (issue 12.9): the status, or an error code.
        const posted = await postWebhook(sub.url, {
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Convene-Webhooks/1',
            [SIGNATURE_HEADER]: signatureHeader(secret, timestamp, body),
            [DELIVERY_HEADER]: deliveryId,
            // The message id is the batch (a retry resends the same one), so receivers deduplicate on it.
            ...standardWebhookHeaders(secret, `${subscriptionId}_${visible[0]!.globalPosition}-${visible.at(-1)!.globalPosition}`, timestamp, body),
          },
          body,
          timeoutMs,
          policy,
          ...(options.lookup ? { lookup: options.lookup } : {}),
        });
        status = posted.status;
        if (posted.errorCode) error = posted.errorCode.slice(0, ERROR_MAX);
        else if (status === null || status < 200 || status > 299) error = `HTTP ${status}`;
      }
      const durationMs = Math.max(0, Math.round(performance.now() - started));
      const succeeded = error === null;
      const from = visible[0]!.globalPosition;
      const to = visible.at(-1)!.globalPosition;
      await client.query(
        `INSERT INTO webhook_deliveries (delivery_id, subscription_id, attempted_at, attempt, from_position, to_position,
           event_count, http_status, error, duration_ms, succeeded)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [deliveryId, subscriptionId, now, attempt, from, to, visible.length, status, error, durationMs, succeeded],
      );
      if (succeeded) {
        await client.query(
          `UPDATE webhook_subscriptions SET position = $2, pending_to = NULL, failures = 0, next_attempt_at = NULL,
             last_error = NULL, last_attempt_at = $3, last_success_at = $3
           WHERE subscription_id = $1`,
          [subscriptionId, end, now],
        );
      } else {
        const retryAt = new Date(now.getTime() + backoffMs(attempt, options.backoff));
        await client.query(
          `UPDATE webhook_subscriptions SET pending_to = $2, failures = $3, next_attempt_at = $4, last_error = $5, last_attempt_at = $6
           WHERE subscription_id = $1`,
          [subscriptionId, end, attempt, retryAt, error, now],
        );
      }
      await client.query('COMMIT');
      open = false;
      if (succeeded) {
        result.delivered += 1;
        result.events += visible.length;
        return 'delivered';
      }
      result.failed += 1;
      logger.warn({ subscriptionId, deliveryId, attempt, status, error }, 'webhook delivery failed; will retry');
      return 'failed';
    } finally {
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  async function serve(subscriptionId: string, result: TickResult): Promise<void> {
    for (let i = 0; i < maxBatches; i++) {
      const outcome = await serveOnce(subscriptionId, result);
      if (outcome === 'idle' || outcome === 'failed') return;
    }
  }

  // Rows stored in clear before issue 12 are encrypted once (when this process has the key).
  let encrypted: Promise<void> | undefined;
  const encryptLegacySecrets = () =>
    (encrypted ??= (async () => {
      if (!box) return;
      const { rows } = await pool.query<{ subscription_id: string; secret: string }>(
        "SELECT subscription_id, secret FROM webhook_subscriptions WHERE secret NOT LIKE 'enc:v1:%'",
      );
      for (const r of rows) {
        await pool.query('UPDATE webhook_subscriptions SET secret = $2 WHERE subscription_id = $1 AND secret = $3', [r.subscription_id, box.seal(r.secret), r.secret]);
      }
    })().catch((error: unknown) => {
      encrypted = undefined;
      logger.error({ err: error }, 'encrypting stored webhook secrets failed');
    }));

  async function runTick(): Promise<TickResult> {
    await encryptLegacySecrets();
    const result: TickResult = { delivered: 0, failed: 0, events: 0 };
    const { rows } = await pool.query<{ subscription_id: string }>(
      `SELECT subscription_id FROM webhook_subscriptions
        WHERE deactivated_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
        ORDER BY next_attempt_at NULLS FIRST, subscription_id LIMIT 10000`,
      [clock()],
    );
    const queue = rows.map((r) => r.subscription_id);
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          try {
            await serve(id, result);
          } catch (error) {
            logger.error({ err: error, subscriptionId: id }, 'webhook delivery tick failed');
          }
        }
      }),
    );
    return result;
  }

  // Ticks never overlap within a process (the advisory lock covers other processes).
  let chain: Promise<unknown> = Promise.resolve();
  const tick = (): Promise<TickResult> => {
    const run = chain.then(runTick);
    chain = run.catch(() => undefined);
    return run;
  };

  let stopped = false;
  let wake: (() => void) | null = null;
  let woken = false;
  let listener: pg.Client | undefined;
  const sleep = () =>
    new Promise<void>((resolve) => {
      if (woken || stopped) {
        woken = false;
        resolve();
        return;
      }
      const timer = setTimeout(done, pollIntervalMs);
      function done() {
        clearTimeout(timer);
        wake = null;
        woken = false;
        resolve();
      }
      wake = done;
    });
  const poke = () => {
    woken = true;
    wake?.();
  };

  const loop =
    pollIntervalMs > 0
      ? (async () => {
          try {
            listener = new pg.Client({ connectionString: store.listenConnectionString, application_name: 'convene-webhooks' });
            listener.on('notification', poke);
            listener.on('error', () => undefined);
            await listener.connect();
            await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
          } catch {
            // Without LISTEN the loop still works, by polling.
          }
          while (!stopped) {
            woken = false;
            try {
              await tick();
            } catch (error) {
              // The database may be restarting: wait a poll interval and try again.
              logger.error({ err: error }, 'webhook delivery tick failed');
            }
            if (!stopped) await sleep();
          }
          await listener?.end().catch(() => undefined);
        })()
      : Promise.resolve();

  return {
    tick,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await chain;
    },
  };
}
