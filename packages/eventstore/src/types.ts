// Types of the event store. They match @convene/domain's EventStorePort structurally; the
// eventstore does not import the domain (dependencies point services -> domain/eventstore -> db).

export type ExpectedVersion = number | 'no_stream' | 'any';

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
  schemaVersion?: number;
  /** uuid v7 generated when omitted. */
  id?: string;
}

export interface RecordedEvent {
  streamId: string;
  streamType: string;
  streamVersion: number;
  globalPosition: number;
  eventId: string;
  type: string;
  /** After upcasting: the current schema version of this event type. */
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata & { eventId: string; recordedAt: string; schemaVersion: number; storedSchemaVersion: number };
  recordedAt: Date;
}

export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  expectedVersion: ExpectedVersion;
  /** Defaults to the text before the first '-' of the stream id. */
  streamType?: string;
}

export interface StreamGuard {
  streamId: string;
  expectedVersion: number;
}

export interface IdempotencyOptions {
  key: string;
  /** Same key with another fingerprint is a conflict. */
  fingerprint: string;
  /** Stored with the result and returned on every replay (e.g. the ids a command created). */
  extra?: unknown;
}

export interface AppendManyResult {
  streams: { streamId: string; nextVersion: number; lastPosition: number | null }[];
  lastPosition: number;
  replayed: boolean;
  extra?: unknown;
}

export interface AppendResult {
  nextExpectedVersion: number;
  lastPosition: number;
  replayed: boolean;
  extra?: unknown;
}

/** A pg client in an open transaction that the caller commits. */
export interface Queryable {
  query<R extends Record<string, any> = any>(config: { name?: string; text: string; values?: unknown[] }): Promise<{ rows: R[] }>;
}

export interface AppendOptions {
  metadata: EventMetadata;
  guards?: StreamGuard[];
  idempotency?: IdempotencyOptions;
  /** Overrides the database clock, for imports and demo seeding. */
  recordedAt?: Date;
  /** Append inside the caller's transaction; the append must be its first write. */
  client?: Queryable;
  /**
   * A write committed with the append, in its statement (or its batch's: such appends are
   * group-committed), so without a BEGIN/COMMIT of the caller's: a data-modifying statement with
   * two parameters, $1 the jsonb array `values` and $2 the append's result as jsonb (`streams`,
   * `lastPosition`, `replayed`). It runs only when the append happened and was not a replay
   * (convene_also_write, migrations/0850). The text must come from code, never from input.
   */
  alsoWrite?: { sql: string; values: unknown[] };
  /**
   * Streams the command found by a query of the store (findStreams) and decided on: the append
   * fails with a ConcurrencyError when the same query finds a stream not in `streams` once the
   * append holds its rows (convene_check_no_new_streams, migrations/0860). Such an append is never
   * group-committed: the check must see what committed while the append waited for its locks.
   */
  noNewStreams?: NoNewStreams[];
}

/** A findStreams query and the streams it answered. */
export interface NoNewStreams {
  eventType: string;
  match: { collaborativeId: string } & Record<string, string>;
  streams: string[];
}

export interface ReadStreamOptions {
  fromVersion?: number;
  toVersion?: number;
  /** Only events recorded at or before this instant. */
  until?: Date;
}

export interface ReadAllOptions {
  after?: number;
  limit?: number;
  types?: string[];
  /** Only events whose data names this collaborative (`data.collaborativeId`), through an index. */
  collaborativeId?: string;
}

export interface ReadAllResult {
  events: RecordedEvent[];
  /**
   * Position to pass as `after` next time: the last event returned when the read was full, else
   * the newest settled position (a filtered read passes other types' events), never below `after`.
   */
  next: number;
}
