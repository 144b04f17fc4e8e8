import type { EventStore, RecordedEvent } from '@convene/eventstore';
import { PERSONAL_DATA_ERASED, type Projection } from './types';

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
export async function readFeed(store: EventStore, options: { from: number; limit: number; types: string[]; until?: number }): Promise<FeedBatch> {
  const { from, limit, types, until } = options;
  // One statement (issue 13; it was three: the safe position, the read, and a count of what lay
  // between): a read that returns fewer events than asked also says how far it scanned, which is
  // the newest settled event of any type under the same bound, so the other types' events are
  // passed too, never an unsettled one.
  const read = await store.readAll({ after: from, limit, types });
  let events = read.events;
  const full = read.events.length >= limit;
  let to = full ? (events.at(-1)?.globalPosition ?? from) : read.next;
  if (until !== undefined && to > until) {
    events = events.filter((e) => e.globalPosition <= until);
    to = Math.max(from, until);
  }
  return { from, to, events, full: full && to === (events.at(-1)?.globalPosition ?? from) };
}
