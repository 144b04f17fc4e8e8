import type { EventStore, RecordedEvent } from '@convene/eventstore';

// A message about a meeting is composed from the meeting's own stream (subjects.ts), and every
// message read the whole stream and unsealed it: a meeting attended and corrected all year holds
// thousands of events, so a follow-up's cost grew with the meeting's history (issue 13). Here the
// fold is kept per stream with the version it has read to, and a message reads only the events
// after it (events are never rewritten, and a stream's versions commit in order under its row lock,
// so nothing appears below a version already read).
//
// A fold holds values unsealed from the events (minutes are personal free text). An erasure
// deletes keys and moves the key generation in the same transaction: a fold read at another
// generation than the current one is dropped and read again whole, so an erased value never
// outlives the erasure here by more than the message being composed as it commits (as before).

interface Entry {
  version: number;
  generation: number;
  state: unknown;
}

/** Streams kept per store, least recently used dropped first. */
const MAX_STREAMS = 1000;
const caches = new WeakMap<EventStore, Map<string, Entry>>();

const keyGeneration = async (store: EventStore): Promise<number> =>
  Number((await store.pool.query<{ generation: string }>('SELECT generation FROM personal_data_key_generation')).rows[0]?.generation ?? 0);

/**
 * The fold of a stream as it is now: the cached fold (at the current key generation) carried on
 * over the events after it, or the whole stream folded from `initial`. The state returned is
 * shared with later callers: read it, never change it (`copy` gives `fold` its own to change).
 */
export async function cachedFold<T>(
  store: EventStore,
  streamId: string,
  f: { initial: T; copy: (state: T) => T; fold: (state: T, event: RecordedEvent) => T },
): Promise<T> {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new Map()));
  const generation = await keyGeneration(store);
  const hit = cache.get(streamId);
  const from = hit && hit.generation === generation ? hit : undefined;
  const { version, events } = await store.readStream(streamId, from ? { fromVersion: from.version + 1 } : {});
  if (from && events.length === 0) return from.state as T;
  let state = from ? f.copy(from.state as T) : f.initial;
  for (const e of events) state = f.fold(state, e);
  cache.delete(streamId); // re-inserted last: the Map's order is the order of use
  cache.set(streamId, { version: events.length > 0 ? version : (from?.version ?? 0), generation, state });
  if (cache.size > MAX_STREAMS) cache.delete(cache.keys().next().value!);
  return state;
}
