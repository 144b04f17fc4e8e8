// Webhook subscriptions and their delivery log in PostgreSQL (migrations/0450_webhooks.sql).
import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { newWebhookSecret } from './signature';
import type { SecretBox } from './secret-box';

export interface WebhookSubscription {
  subscriptionId: string;
  url: string;
  types: string[] | null;
  collaborativeId: string | null;
  description: string | null;
  active: boolean;
  createdAt: string;
  deactivatedAt: string | null;
  /** Checkpoint: the last global position delivered (or passed over by the filters). */
  position: number;
  /** Consecutive failed attempts of the current batch (0 when healthy). */
  failures: number;
  /** Set while retrying after a failure: the next attempt is not before this time. */
  nextAttemptAt: string | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
}

export interface SubscriptionRow {
  subscription_id: string;
  url: string;
  secret: string;
  event_types: string[] | null;
  collaborative_id: string | null;
  description: string | null;
  created_by: string;
  created_at: Date;
  deactivated_at: Date | null;
  position: string | number;
  pending_to: string | number | null;
  failures: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toSubscription(r: SubscriptionRow): WebhookSubscription {
  return {
    subscriptionId: r.subscription_id,
    url: r.url,
    types: r.event_types,
    collaborativeId: r.collaborative_id,
    description: r.description,
    active: r.deactivated_at === null,
    createdAt: r.created_at.toISOString(),
    deactivatedAt: iso(r.deactivated_at),
    position: Number(r.position),
    failures: r.failures,
    nextAttemptAt: iso(r.next_attempt_at),
    lastError: r.last_error,
    lastAttemptAt: iso(r.last_attempt_at),
    lastSuccessAt: iso(r.last_success_at),
  };
}

export interface CreateSubscriptionInput {
  url: string;
  types?: string[] | undefined;
  collaborativeId?: string | undefined;
  description?: string | undefined;
  createdBy: string;
  /** Deliver the events after this position. */
  after: number;
}

/** Creates a subscription; the returned `secret` is shown once. */
export async function createSubscription(pool: pg.Pool, input: CreateSubscriptionInput, box: SecretBox): Promise<{ subscription: WebhookSubscription; secret: string }> {
  const secret = newWebhookSecret();
  const { rows } = await pool.query<SubscriptionRow>(
    `INSERT INTO webhook_subscriptions (subscription_id, url, secret, event_types, collaborative_id, description, created_by, position)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [
      uuidv7(),
      input.url,
      box.seal(secret), // encrypted at rest (issue 12.9)
      input.types && input.types.length > 0 ? input.types : null,
      input.collaborativeId ?? null,
      input.description ?? null,
      input.createdBy,
      input.after,
    ],
  );
  return { subscription: toSubscription(rows[0]!), secret };
}

/** The subscriptions a key may see: all, or those of its collaboratives. Newest first. */
export async function listSubscriptions(
  pool: pg.Pool,
  options: { collaborativeIds: string[] | null; includeInactive: boolean; limit: number; before?: string | undefined },
): Promise<WebhookSubscription[]> {
  const conditions: string[] = [];
  const values: unknown[] = [];
  if (options.collaborativeIds !== null) {
    values.push(options.collaborativeIds);
    conditions.push(`collaborative_id = ANY($${values.length}::uuid[])`);
  }
  if (!options.includeInactive) conditions.push('deactivated_at IS NULL');
  if (options.before !== undefined) {
    values.push(options.before);
    conditions.push(`subscription_id < $${values.length}`);
  }
  values.push(options.limit);
  const { rows } = await pool.query<SubscriptionRow>(
    `SELECT * FROM webhook_subscriptions ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
     ORDER BY subscription_id DESC LIMIT $${values.length}`,
    values,
  );
  return rows.map(toSubscription);
}

export async function getSubscription(pool: pg.Pool, subscriptionId: string): Promise<WebhookSubscription | null> {
  const { rows } = await pool.query<SubscriptionRow>('SELECT * FROM webhook_subscriptions WHERE subscription_id = $1', [subscriptionId]);
  return rows[0] ? toSubscription(rows[0]) : null;
}

/** Stops deliveries; the subscription and its log stay. Idempotent. */
export async function deactivateSubscription(pool: pg.Pool, subscriptionId: string): Promise<WebhookSubscription | null> {
  const { rows } = await pool.query<SubscriptionRow>(
    `UPDATE webhook_subscriptions SET deactivated_at = coalesce(deactivated_at, now())
     WHERE subscription_id = $1 RETURNING *`,
    [subscriptionId],
  );
  return rows[0] ? toSubscription(rows[0]) : null;
}

export interface DeliveryLogEntry {
  deliveryId: string;
  attemptedAt: string;
  attempt: number;
  fromPosition: number;
  toPosition: number;
  eventCount: number;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  succeeded: boolean;
}

interface DeliveryRow {
  delivery_id: string;
  attempted_at: Date;
  attempt: number;
  from_position: string | number;
  to_position: string | number;
  event_count: number;
  http_status: number | null;
  error: string | null;
  duration_ms: number;
  succeeded: boolean;
}

/** The log, newest first, after the cursor `[attemptedAt, deliveryId]` of the last row seen. */
export async function listDeliveries(
  pool: pg.Pool,
  subscriptionId: string,
  options: { limit: number; before?: readonly [string, string] | undefined },
): Promise<DeliveryLogEntry[]> {
  const values: unknown[] = [subscriptionId];
  let cursor = '';
  if (options.before) {
    values.push(options.before[0], options.before[1]);
    cursor = 'AND (attempted_at, delivery_id) < ($2::timestamptz, $3::uuid)';
  }
  values.push(options.limit);
  const { rows } = await pool.query<DeliveryRow>(
    `SELECT * FROM webhook_deliveries WHERE subscription_id = $1 ${cursor}
     ORDER BY attempted_at DESC, delivery_id DESC LIMIT $${values.length}`,
    values,
  );
  return rows.map((r) => ({
    deliveryId: r.delivery_id,
    attemptedAt: r.attempted_at.toISOString(),
    attempt: r.attempt,
    fromPosition: Number(r.from_position),
    toPosition: Number(r.to_position),
    eventCount: r.event_count,
    httpStatus: r.http_status,
    error: r.error,
    durationMs: r.duration_ms,
    succeeded: r.succeeded,
  }));
}
