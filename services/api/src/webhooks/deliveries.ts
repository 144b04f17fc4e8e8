// The webhook delivery loop. Each subscription has a checkpoint (the last position delivered); a
// tick reads the gap-safe feed after it (filtered by the subscription's types and collaborative),
// POSTs one batch in global order, and moves the checkpoint in the transaction that logs the
// attempt. A failure logs the attempt and retries the same batch later (exponential backoff,
// capped), never skipping ahead: every event is delivered at least once, in order; receivers
// dedupe by event id. A transaction-scoped advisory lock gives each subscription to one process
// at a time, so several processes may run the loop. An event that cannot be read or rendered
// parks its collaborative for the subscription (./parking, issue 11.11) instead of stopping it.
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { EVENTS_CHANNEL, type EventStore, type RecordedEvent } from '@convene/eventstore';
import { openParkedKeys, parkedPositions, parkEvent, parkingKeyOf, resolveParked } from '@convene/db';
import { toAuditEvent, type AuditEvent } from '../audit/events';
import { scopeOfData } from '../audit/scope';
import type { SubscriptionRow } from './subscriptions';
import { storedSecrets } from './stored-secrets';
import { parseTargetPolicy, type TargetPolicy } from './target-policy';
import { createAttempt } from './attempt';
import { backoffMs, defaultLogger, type TickResult, type WebhookDeliveries, type WebhookDeliveryOptions } from './delivery-types';
import { errorText, readParked, readTolerant, webhookConsumer } from './parking';

export { backoffMs, type TickResult, type WebhookDeliveries, type WebhookDeliveryOptions, type WebhookLogger } from './delivery-types';

/** Advisory lock space of webhook subscriptions (the second key is hashtext(subscription id)). */
const LOCK_CLASS = 0x57484b31; // 'WHK1'

type Outcome = 'delivered' | 'failed' | 'advanced' | 'idle';

export function startWebhookDeliveries(options: WebhookDeliveryOptions): WebhookDeliveries {
  const { pool, store } = options;
  const policy: TargetPolicy = parseTargetPolicy(options.allowedHosts);
  const clock = options.clock ?? (() => new Date());
  const logger = options.logger ?? defaultLogger;
  const secrets = storedSecrets(pool, options.secretKey, logger);
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const minTickIntervalMs = Math.min(options.minTickIntervalMs ?? 100, pollIntervalMs);
  const batchSize = options.batchSize ?? 100;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const maxBatches = Math.max(1, options.maxBatchesPerTick ?? 20);

  const postAndLog = createAttempt({ policy, openSecret: secrets.open, timeoutMs, ...(options.lookup ? { lookup: options.lookup } : {}) });

  async function resumeParked(subscriptionId: string, key: string): Promise<{ replayed: number; stillParked: boolean; error?: string }> {
    const consumer = webhookConsumer(subscriptionId);
    const parked = await parkedPositions(pool, consumer, key);
    if (parked.length === 0) return { replayed: 0, stillParked: false };
    const { rows } = await pool.query<SubscriptionRow>('SELECT * FROM webhook_subscriptions WHERE subscription_id = $1', [subscriptionId]);
    const sub = rows[0];
    if (!sub) return { replayed: 0, stillParked: true, error: 'no such subscription' };
    let rendered: AuditEvent[];
    try {
      rendered = (await readParked(store, parked)).map(toAuditEvent);
      JSON.stringify(rendered);
    } catch (error) {
      logger.error({ subscriptionId, parkedKey: key, err: errorText(error) }, 'resumed webhook events still cannot be read: still parked');
      return { replayed: 0, stillParked: true, error: errorText(error) };
    }
    const posted = await postAndLog(pool, sub, uuidv7(), 1, rendered, clock());
    if (!posted.succeeded) return { replayed: 0, stillParked: true, error: posted.error ?? 'failed' };
    await resolveParked(pool, consumer, parked.map((p) => p.eventId));
    logger.info({ subscriptionId, parkedKey: key, replayed: rendered.length }, 'parked webhook events resumed');
    return { replayed: rendered.length, stillParked: false };
  }

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
      const consumer = webhookConsumer(subscriptionId);
      const read = await readTolerant(pool, store, after, batchSize, sub.event_types);
      if (read.poison) {
        // The first event after the checkpoint cannot be read: it parks its key; the rest goes on.
        const key = parkingKeyOf(read.poison);
        await parkEvent(client, consumer, key, read.poison, errorText(read.error));
        await client.query('UPDATE webhook_subscriptions SET position = $2, pending_to = NULL WHERE subscription_id = $1', [subscriptionId, read.poison.globalPosition]);
        await client.query('COMMIT');
        open = false;
        logger.error(
          { subscriptionId, parkedKey: key, position: read.poison.globalPosition, eventId: read.poison.eventId, eventType: read.poison.type, err: errorText(read.error) },
          'webhook event cannot be read: parked with its collaborative for this subscription until resumed; the others go on',
        );
        return 'advanced';
      }
      const { events, next } = read;
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
      const inScope = collaborativeId === null ? batch : batch.filter((e: RecordedEvent) => scopeOfData(e.data)?.collaborativeId === collaborativeId);
      // Events of a parked key are parked behind it, in order; one that cannot be rendered parks its key.
      const parkedKeys = await openParkedKeys(client, consumer);
      const visible: AuditEvent[] = [];
      for (const e of inScope) {
        const key = parkingKeyOf(e);
        if (parkedKeys.has(key)) {
          await parkEvent(client, consumer, key, e, null);
          continue;
        }
        try {
          const rendered = toAuditEvent(e);
          JSON.stringify(rendered);
          visible.push(rendered);
        } catch (error) {
          parkedKeys.add(key);
          await parkEvent(client, consumer, key, e, errorText(error));
          logger.error({ subscriptionId, parkedKey: key, position: e.globalPosition, eventId: e.eventId, eventType: e.type, err: errorText(error) }, 'webhook event cannot be rendered: parked with its collaborative for this subscription until resumed');
        }
      }
      if (visible.length === 0) {
        // Nothing here for this subscription: the checkpoint moves past the batch.
        await client.query('UPDATE webhook_subscriptions SET position = $2, pending_to = NULL WHERE subscription_id = $1', [subscriptionId, end]);
        await client.query('COMMIT');
        open = false;
        return 'advanced';
      }

      const deliveryId = uuidv7();
      const attempt = sub.failures + 1;
      const { status, error, succeeded } = await postAndLog(client, sub, deliveryId, attempt, visible, now);
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

  async function runTick(): Promise<TickResult> {
    await secrets.encryptLegacy();
    const result: TickResult = { delivered: 0, failed: 0, events: 0 };
    const { rows } = await pool.query<{ subscription_id: string }>(
      `SELECT subscription_id FROM webhook_subscriptions
        WHERE deactivated_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
        ORDER BY next_attempt_at NULLS FIRST, subscription_id LIMIT 10000`,
      [clock()],
    );
    due = rows.length > 0;
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
  // The pause after a tick: ends early only when the loop stops (a commit meanwhile sets `woken`).
  let endPause: (() => void) | null = null;
  const pause = () =>
    new Promise<void>((resolve) => {
      if (stopped || minTickIntervalMs <= 0) return resolve();
      const timer = setTimeout(done, minTickIntervalMs);
      function done() {
        clearTimeout(timer);
        endPause = null;
        resolve();
      }
      endPause = done;
    });
  // Whether the last tick found a subscription due. While none is, a commit does not wake the loop
  // (issue 13: it ticked up to ten times a second to find nothing); it polls, and a subscription
  // created or coming out of its backoff meanwhile is served at the next poll (pollIntervalMs).
  let due = true;
  const poke = () => {
    if (!due) return;
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
            if (!stopped) await pause();
            if (!stopped) await sleep();
          }
          await listener?.end().catch(() => undefined);
        })()
      : Promise.resolve();

  return {
    tick,
    resumeParked,
    async stop() {
      stopped = true;
      endPause?.();
      wake?.();
      await loop;
      await chain;
    },
  };
}
