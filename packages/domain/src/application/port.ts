// The event store as the domain's command handlers see it. The domain imports no I/O: the
// PostgreSQL event store (packages/eventstore) implements this interface structurally, and the
// domain's own tests use the in-memory implementation beside this file.

export type ExpectedVersion = number | 'no_stream' | 'any';

/** Who did it and why; stored on every event. Time and ids come in here, never from a clock. */
export interface EventMetadata {
  actorId: string;
  actorRole: string;
  correlationId: string;
  causationId?: string | null;
  requestId?: string | null;
  [key: string]: unknown;
}

export interface NewEvent {
  type: string;
  data: unknown;
  /** Schema version of `data`; 1 when omitted. */
  schemaVersion?: number;
}

export interface RecordedEvent {
  streamId: string;
  streamVersion: number;
  globalPosition: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata & { recordedAt: string; schemaVersion: number; eventId: string };
  recordedAt: Date;
}

export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  /** Stream version the decision was made on; 'no_stream' (or 0) for a stream that must not exist. */
  expectedVersion: ExpectedVersion;
}

/** A stream the decision read but does not write: its version must still be the one read. */
export interface StreamGuard {
  streamId: string;
  expectedVersion: number;
}

export interface AppendManyOptions {
  metadata: EventMetadata;
  guards?: StreamGuard[];
  /** At most once per key: a replay with the same fingerprint returns the stored result. */
  idempotency?: { key: string; fingerprint: string; extra?: unknown };
  /**
   * The findStreams queries the decision read, with the streams each answered: the append fails
   * with a concurrency error when a query would now find another stream (one created meanwhile).
   */
  noNewStreams?: { eventType: string; match: { collaborativeId: string } & Record<string, string>; streams: string[] }[];
}

export interface AppendManyResult {
  streams: { streamId: string; nextVersion: number; lastPosition: number | null }[];
  /** Global position of the last event appended (or of the stored result on a replay). */
  lastPosition: number;
  /** True when an idempotency key was replayed: nothing was appended. */
  replayed: boolean;
  /** The `extra` stored with the idempotency key, if any. */
  extra?: unknown;
}

export interface EventStorePort {
  /**
   * Version 0 and no events when the stream does not exist. `fromVersion`: only events from that
   * version on (the version returned is then the last one read, 0 when none).
   */
  readStream(streamId: string, options?: { fromVersion?: number }): Promise<{ version: number; events: RecordedEvent[] }>;
  /** All appends and guards in one transaction; throws a concurrency error (see below) on any mismatch. */
  appendMany(appends: StreamAppend[], options: AppendManyOptions): Promise<AppendManyResult>;
  /**
   * Optional: the stored result of an idempotency key, so a replayed command is answered before it
   * is decided again (a second decision on the new state would often be refused).
   */
  readIdempotency?(key: string): Promise<{ fingerprint: string; lastPosition: number; extra?: unknown } | null>;
  /** Ids of the streams holding an event of this type whose data has these fields (CommandSpec.discover). */
  findStreams?(query: { eventType: string; match: { collaborativeId: string } & Record<string, string> }): Promise<string[]>;
}

/** Concurrency errors thrown by a port carry this code (and streamId, expected, actual). */
export const CONCURRENCY_CONFLICT = 'CONCURRENCY_CONFLICT';
/** Idempotency key reused with a different payload. */
export const IDEMPOTENCY_CONFLICT = 'IDEMPOTENCY_CONFLICT';

export function isConcurrencyError(error: unknown): error is Error & {
  code: typeof CONCURRENCY_CONFLICT;
  streamId: string;
  expected: ExpectedVersion;
  actual: number;
} {
  return error instanceof Error && (error as { code?: unknown }).code === CONCURRENCY_CONFLICT;
}
