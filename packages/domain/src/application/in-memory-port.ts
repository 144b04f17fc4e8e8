import { randomUUID } from 'node:crypto';
import {
  CONCURRENCY_CONFLICT,
  IDEMPOTENCY_CONFLICT,
  type AppendManyOptions,
  type AppendManyResult,
  type EventStorePort,
  type ExpectedVersion,
  type RecordedEvent,
  type StreamAppend,
} from './port';

export class ConcurrencyError extends Error {
  readonly code = CONCURRENCY_CONFLICT;
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
  }
}

export class IdempotencyConflictError extends Error {
  readonly code = IDEMPOTENCY_CONFLICT;
  constructor(readonly key: string) {
    super(`Idempotency key ${key} was used with a different request`);
  }
}

interface StoredKey {
  fingerprint: string;
  result: Omit<AppendManyResult, 'replayed'>;
}

/** An in-memory EventStorePort: exact expected versions, guards, idempotency; all-or-nothing appends. */
export class InMemoryEventStore implements EventStorePort {
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly log: RecordedEvent[] = [];
  private readonly keys = new Map<string, StoredKey>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  /** Counts events returned by readStream (tests of what a command reads). */
  eventsRead = 0;

  async readStream(streamId: string, options: { fromVersion?: number } = {}): Promise<{ version: number; events: RecordedEvent[] }> {
    const all = this.streams.get(streamId) ?? [];
    const events = options.fromVersion === undefined ? all : all.slice(options.fromVersion - 1);
    this.eventsRead += events.length;
    return { version: options.fromVersion === undefined ? all.length : (events.at(-1)?.streamVersion ?? 0), events: structuredClone(events) };
  }

  /** Every event in global order (tests, projections). */
  async readAll(fromPosition = 0): Promise<RecordedEvent[]> {
    return structuredClone(this.log.filter((e) => e.globalPosition > fromPosition));
  }

  async findStreams(query: { eventType: string; match: Record<string, string> }): Promise<string[]> {
    return this.streamsMatching(query);
  }

  /** Synchronous, so that appendMany checks and writes without yielding in between. */
  private streamsMatching(query: { eventType: string; match: Record<string, string> }): string[] {
    const hits = this.log.filter(
      (e) => e.type === query.eventType && Object.entries(query.match).every(([k, v]) => (e.data as Record<string, unknown> | null)?.[k] === v),
    );
    return [...new Set(hits.map((e) => e.streamId))];
  }

  async readIdempotency(key: string) {
    const stored = this.keys.get(key);
    return stored ? { fingerprint: stored.fingerprint, lastPosition: stored.result.lastPosition, extra: structuredClone(stored.result.extra) } : null;
  }

  async appendMany(appends: StreamAppend[], options: AppendManyOptions): Promise<AppendManyResult> {
    const idem = options.idempotency;
    if (idem) {
      const stored = this.keys.get(idem.key);
      if (stored) {
        if (stored.fingerprint !== idem.fingerprint) throw new IdempotencyConflictError(idem.key);
        return { ...structuredClone(stored.result), replayed: true };
      }
    }
    const seen = new Set<string>();
    for (const a of appends) {
      if (seen.has(a.streamId)) throw new Error(`Stream ${a.streamId} appears twice in one append`);
      seen.add(a.streamId);
      this.check(a.streamId, a.expectedVersion);
    }
    for (const g of options.guards ?? []) this.check(g.streamId, g.expectedVersion);
    // A stream a query of the decision would find now but did not then (created meanwhile).
    for (const q of options.noNewStreams ?? []) {
      const appeared = this.streamsMatching(q).find((s) => !q.streams.includes(s));
      if (appeared) throw new ConcurrencyError(appeared, 'no_stream', this.streams.get(appeared)?.length ?? 0);
    }

    const recordedAt = this.clock();
    const streams: AppendManyResult['streams'] = [];
    for (const a of appends) {
      const events = this.streams.get(a.streamId) ?? [];
      let lastPosition: number | null = null;
      for (const e of a.events) {
        const schemaVersion = e.schemaVersion ?? 1;
        const eventId = randomUUID();
        const recorded: RecordedEvent = {
          streamId: a.streamId,
          streamVersion: events.length + 1,
          globalPosition: this.log.length + 1,
          eventId,
          type: e.type,
          schemaVersion,
          data: structuredClone(e.data),
          metadata: { ...structuredClone(options.metadata), recordedAt: recordedAt.toISOString(), schemaVersion, eventId },
          recordedAt,
        };
        events.push(recorded);
        this.log.push(recorded);
        lastPosition = recorded.globalPosition;
      }
      this.streams.set(a.streamId, events);
      streams.push({ streamId: a.streamId, nextVersion: events.length, lastPosition });
    }
    const result = { streams, lastPosition: this.log.length, extra: idem?.extra };
    if (idem) this.keys.set(idem.key, { fingerprint: idem.fingerprint, result: structuredClone(result) });
    return { ...result, replayed: false };
  }

  private check(streamId: string, expected: ExpectedVersion) {
    const actual = this.streams.get(streamId)?.length ?? 0;
    if (expected === 'any') return;
    const want = expected === 'no_stream' ? 0 : expected;
    if (actual !== want) throw new ConcurrencyError(streamId, expected, actual);
  }
}

export const createInMemoryEventStore = (clock?: () => Date) => new InMemoryEventStore(clock);
