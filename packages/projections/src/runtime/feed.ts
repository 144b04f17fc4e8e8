import { sql, type Kysely } from 'kysely';
import type { EventStore, RecordedEvent } from '@convene/eventstore';
import { PERSONAL_DATA_ERASED, type Projection } from './types';

/**
 * The last event in (from, safe) and how many events of `types` after `read` it holds. Every event
 * below `safe` is settled, and this statement starts after `safe` was taken, so it sees them all.
 */
async function settledPast(db: Kysely<any>, from: number, safe: number, read: number, types: string[]): Promise<{ last: number; unread: number }> {
  const { rows } = await sql<{ last: number | null; unread: number }>`
    SELECT max(global_position) AS last,
           count(*) FILTER (WHERE global_position > ${read} AND event_type = ANY(${types}::text[]))::int AS unread
      FROM events WHERE global_position > ${from} AND global_position < ${safe}`.execute(db);
  return { last: Number(rows[0]?.last ?? 0), unread: Number(rows[0]?.unread ?? 0) };
}

/** A stretch of the feed: every event of the reader's types in (from, to], in order. */
export interface FeedBatch {
  from: number;
  to: number;
  events: RecordedEvent[];
  /** The read hit its limit: more events may follow at once. */
  full: boolean;
}

/** The event types a runner reads: what evolve handles, and erasures when it holds personal data. */
export const readTypesOf = (projection: Projection): string[] =>
  projection.holdsPersonalData ? [...new Set([...projection.eventTypes, PERSONAL_DATA_ERASED])] : projection.eventTypes;

/**
 * Reads the next batch of the feed after `from` for readers of `types` (one read may serve
 * several projections: each takes its own types from it, and all may move their checkpoint to
 * `to`). `until` stops the batch at that position.
 */
export async function readFeed(db: Kysely<any>, store: EventStore, options: { from: number; limit: number; types: string[]; until?: number }): Promise<FeedBatch> {
  const { from, limit, types, until } = options;
  // The safe position is taken before the read: every event below it is in what the read sees.
  const safe = await store.safePosition();
  const read = await store.readAll({ after: from, limit, types });
  let events = read.events;
  let to = events.at(-1)?.globalPosition ?? from;
  const full = read.events.length >= limit;
  if (until !== undefined && events.some((e) => e.globalPosition > until)) {
    events = events.filter((e) => e.globalPosition <= until);
    to = until;
  } else if (!full) {
    // Pass the other types' events too, up to the last event below `safe` (not to `safe` itself,
    // which moves with every transaction) — unless the read stopped lower than `safe` (its own
    // bound can be lower) and left events of our types unread: then the next step reads them.
    const past = await settledPast(db, from, safe, to, types);
    if (past.unread === 0) to = Math.max(to, Math.min(past.last, until ?? Number.POSITIVE_INFINITY));
  }
  return { from, to, events, full: full && to === (events.at(-1)?.globalPosition ?? from) };
}
