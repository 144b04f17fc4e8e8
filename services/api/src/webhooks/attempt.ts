// One POST attempt of a webhook batch, logged in webhook_deliveries (used by the loop and by a
// resume of parked events).
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { AuditEvent } from '../audit/events';
import { postWebhook } from './post';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signatureHeader, standardWebhookHeaders } from './signature';
import type { SubscriptionRow } from './subscriptions';
import type { Lookup, TargetPolicy } from './target-policy';

const ERROR_MAX = 500;

export function createAttempt(deps: { policy: TargetPolicy; openSecret: (stored: string) => string | null; timeoutMs: number; lookup?: Lookup }) {
  return async function postAndLog(db: pg.PoolClient | pg.Pool, sub: SubscriptionRow, deliveryId: string, attempt: number, visible: AuditEvent[], now: Date) {
    const subscriptionId = sub.subscription_id;
    const body = JSON.stringify({ subscriptionId, events: visible });
    const timestamp = Math.floor(now.getTime() / 1000);
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    const secret = deps.openSecret(sub.secret);
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
          ...standardWebhookHeaders(secret, `${subscriptionId}_${visible[0]!.position}-${visible.at(-1)!.position}`, timestamp, body),
        },
        body,
        timeoutMs: deps.timeoutMs,
        policy: deps.policy,
        ...(deps.lookup ? { lookup: deps.lookup } : {}),
      });
      status = posted.status;
      if (posted.errorCode) error = posted.errorCode.slice(0, ERROR_MAX);
      else if (status === null || status < 200 || status > 299) error = `HTTP ${status}`;
    }
    const durationMs = Math.max(0, Math.round(performance.now() - started));
    const succeeded = error === null;
    await db.query(
      `INSERT INTO webhook_deliveries (delivery_id, subscription_id, attempted_at, attempt, from_position, to_position,
         event_count, http_status, error, duration_ms, succeeded)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [deliveryId, subscriptionId, now, attempt, visible[0]!.position, visible.at(-1)!.position, visible.length, status, error, durationMs, succeeded],
    );
    return { status, error, succeeded };
  };
}
