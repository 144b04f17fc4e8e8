// Poison events of webhook subscriptions (issue 11.11). An event a subscription cannot read (an
// upcaster or the personal-data hook throws) or render parks its collaborative (else its stream)
// for that subscription only: it and every later event of the key are recorded in
// consumer_parked_events (consumer `webhook:<subscription id>`) instead of sent, loudly (logged, on
// /health), while the subscription goes on with every other collaborative. After a fix, a resume
// POSTs the parked events in order.
import type pg from 'pg';
import { isTransientDatabaseError, listParked, type ParkableEvent, type ParkedKey } from '@convene/db';
import type { EventStore, RecordedEvent } from '@convene/eventstore';

export const webhookConsumer = (subscriptionId: string) => `webhook:${subscriptionId}`;

export type TolerantRead = { events: RecordedEvent[]; next: number; poison?: undefined } | { poison: ParkableEvent; error: unknown; events?: undefined };

/**
 * readAll that survives an unreadable event: on a (non-transient) failure it reads smaller
 * batches, which end before the bad event, until the bad one is the first: that one is returned
 * as `poison`, identified from the raw row (only ids, type and the collaborative id are read).
 */
export async function readTolerant(pool: pg.Pool | pg.PoolClient, store: EventStore, after: number, limit: number, types: string[] | null): Promise<TolerantRead> {
  let lastError: unknown;
  for (let size = limit; size >= 1; size = size === 1 ? 0 : Math.max(1, Math.floor(size / 2))) {
    try {
      return await store.readAll({ after, limit: size, ...(types ? { types } : {}) });
    } catch (error) {
      if (isTransientDatabaseError(error)) throw error;
      lastError = error;
    }
  }
  const { rows } = await pool.query<{ global_position: string; event_id: string; event_type: string; stream_id: string; collaborative_id: string | null }>(
    `SELECT global_position, event_id, event_type, stream_id, data->>'collaborativeId' AS collaborative_id FROM events
      WHERE global_position > $1 AND ($2::text[] IS NULL OR event_type = ANY ($2)) ORDER BY global_position LIMIT 1`,
    [after, types],
  );
  const row = rows[0];
  if (!row) throw lastError;
  return {
    poison: {
      globalPosition: Number(row.global_position),
      eventId: row.event_id,
      type: row.event_type,
      streamId: row.stream_id,
      data: row.collaborative_id === null ? {} : { collaborativeId: row.collaborative_id },
    },
    error: lastError,
  };
}

/** Reads the parked events of a key again, in order (throws while they still cannot be read). */
export async function readParked(store: EventStore, parked: { eventId: string; streamId: string }[]): Promise<RecordedEvent[]> {
  const wanted = new Set(parked.map((p) => p.eventId));
  const events: RecordedEvent[] = [];
  for (const streamId of new Set(parked.map((p) => p.streamId))) {
    events.push(...(await store.readStream(streamId)).events.filter((e) => wanted.has(e.eventId)));
  }
  return events.sort((a, b) => a.globalPosition - b.globalPosition);
}

export interface ParkedWebhookKey extends ParkedKey {
  subscriptionId: string;
}

/** Every open parking of every subscription (for /health). */
export async function parkedWebhookEvents(pool: pg.Pool): Promise<ParkedWebhookKey[]> {
  const { rows } = await pool.query<{ consumer: string }>(`SELECT DISTINCT consumer FROM consumer_parked_events WHERE consumer LIKE 'webhook:%' AND resolved_at IS NULL`);
  const out: ParkedWebhookKey[] = [];
  for (const { consumer } of rows) {
    for (const p of await listParked(pool, consumer)) out.push({ ...p, subscriptionId: consumer.slice('webhook:'.length) });
  }
  return out;
}

export const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));
