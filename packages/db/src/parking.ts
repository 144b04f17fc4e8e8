import type pg from 'pg';

// Poison events of the feed consumers outside the projections (the worker's planner, webhook
// subscriptions), parked per collaborative in consumer_parked_events (migration 0710). An event a
// consumer cannot handle parks its key (the collaborative it names, else its stream): that event
// and every later event of the key are recorded here instead of handled, the consumer goes on
// with every other key, and an operator resumes the key after a fix (the parked events are
// replayed in order). Issue 11.11.

type Db = pg.Pool | pg.PoolClient;

export interface ParkableEvent {
  globalPosition: number;
  eventId: string;
  type: string;
  streamId: string;
  data: unknown;
}

export interface ParkedKey {
  key: string;
  /** The first parked event: where and why it failed. */
  position: number;
  eventId: string;
  eventType: string;
  error: string;
  parkedAt: string;
  /** Events of the key parked so far (the failing one and those after it). */
  events: number;
}

/** What an event is parked under: the collaborative its data names, else its stream. */
export function parkingKeyOf(event: ParkableEvent): string {
  const c = (event.data as { collaborativeId?: unknown } | null)?.collaborativeId;
  return typeof c === 'string' && c.length > 0 ? c : event.streamId;
}

/** Keys of this consumer with open parkings. */
export async function openParkedKeys(db: Db, consumer: string): Promise<Set<string>> {
  const { rows } = await db.query<{ parked_key: string }>(
    'SELECT DISTINCT parked_key FROM consumer_parked_events WHERE consumer = $1 AND resolved_at IS NULL',
    [consumer],
  );
  return new Set(rows.map((r) => r.parked_key));
}

/** Records an event as parked (error: the failing one; null: a later event of a parked key). */
export async function parkEvent(db: Db, consumer: string, key: string, event: ParkableEvent, error: string | null): Promise<void> {
  await db.query(
    `INSERT INTO consumer_parked_events (consumer, parked_key, position, event_id, event_type, stream_id, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (consumer, event_id) DO NOTHING`,
    [consumer, key, event.globalPosition, event.eventId, event.type, event.streamId, error === null ? null : error.slice(0, 2000)],
  );
}

/** The open parkings of a consumer (one line per key). */
export async function listParked(db: Db, consumer: string): Promise<ParkedKey[]> {
  const { rows } = await db.query<{ parked_key: string; position: string; event_id: string; event_type: string; error: string; parked_at: Date; events: number }>(
    `SELECT DISTINCT ON (parked_key) parked_key, position, event_id, event_type, error, parked_at,
            count(*) OVER (PARTITION BY parked_key)::int AS events
       FROM consumer_parked_events WHERE consumer = $1 AND resolved_at IS NULL
      ORDER BY parked_key, position`,
    [consumer],
  );
  return rows.map((r) => ({
    key: r.parked_key,
    position: Number(r.position),
    eventId: r.event_id,
    eventType: r.event_type,
    error: r.error ?? '',
    parkedAt: r.parked_at.toISOString(),
    events: r.events,
  }));
}

/** Positions of the open parked events of a key, in order (to read them again for a replay). */
export async function parkedPositions(db: Db, consumer: string, key: string): Promise<{ position: number; eventId: string; streamId: string }[]> {
  const { rows } = await db.query<{ position: string; event_id: string; stream_id: string }>(
    `SELECT position, event_id, stream_id FROM consumer_parked_events WHERE consumer = $1 AND parked_key = $2 AND resolved_at IS NULL ORDER BY position`,
    [consumer, key],
  );
  return rows.map((r) => ({ position: Number(r.position), eventId: r.event_id, streamId: r.stream_id }));
}

/** A resume failed again at this event: it holds the error now (it is the key's first open event). */
export async function noteParkedError(db: Db, consumer: string, eventId: string, error: string): Promise<void> {
  await db.query('UPDATE consumer_parked_events SET error = $3, parked_at = now() WHERE consumer = $1 AND event_id = $2', [consumer, eventId, error.slice(0, 2000)]);
}

/**
 * Whether an error is transient (the connection, the server or the transaction failed, not the
 * event): those are retried, never parked. SQLSTATE classes 08, 40, 53, 57, 58, XX and 55P03.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return /^(08|40|53|57|58|XX)/.test(code) || code === '55P03' || /^E(CONNRESET|CONNREFUSED|PIPE|TIMEDOUT)$/.test(code);
}

/** Marks these parked events handled. */
export async function resolveParked(db: Db, consumer: string, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await db.query('UPDATE consumer_parked_events SET resolved_at = now() WHERE consumer = $1 AND event_id = ANY ($2::uuid[]) AND resolved_at IS NULL', [consumer, eventIds]);
}
