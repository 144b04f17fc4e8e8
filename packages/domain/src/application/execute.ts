import { aggregates, eventSchemas } from '../registry';
import { commandFingerprint, parseCommand } from './command-input';
import { DomainError } from '../shared/errors';
import { streamIdFor, type AggregateName } from '../shared/ids';
import { decisionAlso, decisionEvents, type AggregateDefinition, type CommandMetadata, type CommandSpec, type ContextRef, type DomainEvent } from '../shared/types';
import { IDEMPOTENCY_CONFLICT, isConcurrencyError, type AppendManyOptions, type EventStorePort, type StreamAppend, type StreamGuard } from './port';
import { cacheOf, type LoadedStream, type StreamStateCache } from './stream-cache';

export type ExecuteMetadata = CommandMetadata & { idempotencyKey?: string; expectedVersion?: number };

export interface ExecuteOptions {
  /** Aggregate states kept between commands (default: one per port); `false` reads every stream whole. */
  cache?: StreamStateCache | false;
}

export interface ExecuteResult {
  aggregate: AggregateName;
  streamId: string;
  /** Version of the target stream after the append. */
  version: number;
  lastPosition: number;
  /** Events appended to the target stream. */
  events: DomainEvent[];
  /** Events appended to context streams (e.g. AgencyEnrolledInCohort on the collaborative). */
  also: { streamId: string; events: DomainEvent[] }[];
  replayed: boolean;
}

export const MAX_RETRIES = 5;

const definition = (name: AggregateName) => aggregates[name] as AggregateDefinition;

/** `events` folded onto `state` (left unchanged): the aggregate's `fold` when it has one. */
export const foldEvents = (def: AggregateDefinition, state: unknown, events: readonly { type: string; data: unknown }[]): unknown => {
  const plain = events.map((e) => ({ type: e.type, data: e.data }));
  return def.fold ? def.fold(state, plain) : plain.reduce((st, e) => def.evolve(st, e), state);
};

/** Fold events (as read from a stream) into the aggregate's state. */
export const evolveStream = (aggregate: AggregateName, events: readonly { type: string; data: unknown }[]): unknown => {
  const def = definition(aggregate);
  return foldEvents(def, def.initialState(), events);
};

export const loadStream = async (port: EventStorePort, aggregate: AggregateName, streamId: string) => {
  const { version, events } = await port.readStream(streamId);
  return { streamId, version, state: evolveStream(aggregate, events) };
};

/**
 * The stream's state through the cache. `verify`: ask the store for events after the cached
 * version (none: the cached state is current); otherwise a cached state is used as it is and the
 * append's expected version checks it. A stream not cached is read whole once.
 */
export const loadCached = async (
  port: EventStorePort,
  cache: StreamStateCache | false,
  aggregate: AggregateName,
  streamId: string,
  verify: boolean,
): Promise<LoadedStream> => {
  const hit = cache ? cache.get(streamId) : undefined;
  if (hit && !verify) return { streamId, aggregate, version: hit.version, state: hit.state, unverified: true };
  const from = hit?.version ?? 0;
  const read = await port.readStream(streamId, from > 0 ? { fromVersion: from + 1 } : undefined);
  const def = definition(aggregate);
  let version = from;
  // A port that ignores fromVersion returns the whole stream: fold only what is newer.
  const newer = read.events.filter((e) => e.streamVersion > from);
  const state = foldEvents(def, hit ? hit.state : def.initialState(), newer);
  version = newer.reduce((v, e) => Math.max(v, e.streamVersion), version);
  if (!hit) version = Math.max(version, read.version);
  if (cache) cache.set(streamId, version, state);
  return { streamId, aggregate, version, state, unverified: false };
};

/** Load an aggregate by id (for participation the id is `<collaborativeId>_<agencyId>`). */
export const loadAggregate = (port: EventStorePort, aggregate: AggregateName, id: string) =>
  loadStream(port, aggregate, streamIdFor(aggregate, id));

// Parsing a command and its fingerprint live in command-input.ts.
export { stable, commandFingerprint, validationError, parseCommand } from './command-input';

const checkEvents = (events: DomainEvent[]) => {
  for (const e of events) {
    const spec = eventSchemas[e.type];
    if (!spec) throw new Error(`Decider emitted unknown event ${e.type}`);
    spec.schema.parse(e.data);
  }
};

/**
 * Validate, load the target and context streams, decide, append in one call (target with the version
 * read, context streams as guards or appends). Retries on a concurrency conflict unless the caller
 * gave an expected version.
 */
export async function executeCommand(
  port: EventStorePort,
  command: { type: string; data: unknown },
  meta: ExecuteMetadata,
  options: ExecuteOptions = {},
): Promise<ExecuteResult> {
  const { entry, data } = parseCommand(command);
  const def = definition(entry.aggregate);
  const streamId = entry.streamId(data);
  const idempotency = meta.idempotencyKey
    ? { key: meta.idempotencyKey, fingerprint: commandFingerprint(command.type, data) }
    : undefined;

  if (idempotency && port.readIdempotency) {
    const stored = await port.readIdempotency(idempotency.key);
    if (stored) {
      if (stored.fingerprint !== idempotency.fingerprint) throw idempotencyConflict();
      return replayedResult(port, stored.extra, stored.lastPosition);
    }
  }

  const cache = options.cache ?? cacheOf(port);
  const attempt = async (verify: boolean): Promise<ExecuteResult> => {
    // With If-Match the decision must be made on the version the client named: read the target.
    const target = await loadCached(port, cache, entry.aggregate, streamId, verify || meta.expectedVersion !== undefined);
    const { refs: found, checks } = await discover(port, entry, data, target.state);
    const refs = [...(entry.context?.(data, target.state) ?? []), ...found].filter(
      (r, i, all) => r.streamId !== streamId && all.findIndex((o) => o.streamId === r.streamId) === i,
    );
    const loaded = await Promise.all(refs.map((r) => loadCached(port, cache, r.aggregate, r.streamId, verify)));
    const context: Record<string, unknown> = { now: meta.now };
    refs.forEach((r, i) => {
      const [group, member] = r.key.split('.', 2);
      if (!group) return;
      if (member === undefined) context[group] = loaded[i]?.state;
      else context[group] = { ...(context[group] as object | undefined), [member]: loaded[i]?.state };
    });

    let decision: ReturnType<typeof def.decide>;
    try {
      decision = def.decide({ type: command.type, data }, target.state, context);
    } catch (error) {
      // A refusal is final only on states the store confirmed: a cached one may be behind.
      if (error instanceof DomainError && !verify && (target.unverified || loaded.some((l) => l.unverified))) return attempt(true);
      throw error;
    }
    const events = decisionEvents(decision);
    const also = decisionAlso(decision);
    checkEvents(events);
    also.forEach((a) => checkEvents(a.events));
    // A decision that changes nothing (issue 16: registering a person registered already) appends
    // nothing (the store refuses an empty append): made on states the store confirmed, it answers
    // with the stream's current version and the position of its last event.
    if (events.length === 0 && also.every((a) => a.events.length === 0) && (meta.expectedVersion === undefined || meta.expectedVersion === target.version)) {
      if (!verify && (target.unverified || loaded.some((l) => l.unverified))) return attempt(true);
      const read = await port.readStream(streamId, target.version > 0 ? { fromVersion: target.version } : undefined);
      return { aggregate: entry.aggregate, streamId, version: target.version, events: [], also: [], lastPosition: read.events.at(-1)?.globalPosition ?? 0, replayed: false };
    }

    const versionOf = (id: string) => {
      const i = refs.findIndex((r) => r.streamId === id);
      if (i < 0) throw new Error(`Decision appends to ${id}, which it did not read`);
      return loaded[i]?.version ?? 0;
    };
    const toNew = (e: DomainEvent) => ({ type: e.type, data: e.data, schemaVersion: eventSchemas[e.type]?.schemaVersion ?? 1 });
    // A stream the decision leaves unchanged is checked as a guard: the store refuses an append
    // of no events (it would create a stream at version 0).
    const appends: StreamAppend[] = [
      { streamId, events: events.map(toNew), expectedVersion: meta.expectedVersion ?? target.version },
      ...also.map((a) => ({ streamId: a.streamId, events: a.events.map(toNew), expectedVersion: versionOf(a.streamId) })),
    ];
    const written = appends.filter((a) => a.events.length > 0);
    const guards: StreamGuard[] = [
      ...refs.map((r, i) => ({ streamId: r.streamId, expectedVersion: loaded[i]?.version ?? 0 })).filter((g) => !written.some((a) => a.streamId === g.streamId)),
      ...(events.length === 0 && written.length > 0 ? [{ streamId, expectedVersion: meta.expectedVersion ?? target.version }] : []),
    ];

    const version = target.version + events.length;
    const stored = { aggregate: entry.aggregate, streamId, version, events, also };
    // What the idempotency key keeps: ids, versions and counts only, never the decided events
    // (they may hold personal data, and this row is not sealed): a replay reads them back from
    // the streams, unsealed like any read (issue 12.12).
    const kept: StoredOutcome = {
      aggregate: entry.aggregate,
      streamId,
      version,
      count: events.length,
      also: also.map((a) => ({ streamId: a.streamId, version: versionOf(a.streamId) + a.events.length, count: a.events.length })),
    };
    const result = await port.appendMany(written.length > 0 ? written : appends, {
      metadata: {
        actorId: meta.actorId,
        actorRole: meta.actorRole,
        correlationId: meta.correlationId,
        causationId: meta.causationId ?? null,
        requestId: meta.requestId ?? null,
        ...(meta.clientRequestId ? { clientRequestId: meta.clientRequestId } : {}),
        occurredAt: meta.now,
        commandType: command.type,
      },
      guards,
      // A stream its queries did not find then may not appear before the append (write skew).
      ...(checks.length > 0 ? { noNewStreams: checks } : {}),
      ...(idempotency ? { idempotency: { ...idempotency, extra: kept } } : {}),
    });
    if (result.replayed) return replayedResult(port, result.extra, result.lastPosition);
    const appended = result.streams.find((s) => s.streamId === streamId);
    if (cache) {
      // The appended events folded onto the states decided on: the next command needs no read.
      const remember = (s: LoadedStream, appended: DomainEvent[]) => {
        const next = result.streams.find((w) => w.streamId === s.streamId)?.nextVersion;
        if (next === s.version + appended.length) cache.set(s.streamId, next, foldEvents(definition(s.aggregate), s.state, appended));
      };
      remember(target, events);
      also.forEach((a) => {
        const s = loaded[refs.findIndex((r) => r.streamId === a.streamId)];
        if (s) remember(s, a.events);
      });
    }
    return { ...stored, version: appended?.nextVersion ?? version, lastPosition: result.lastPosition, replayed: false };
  };

  const attempts = async (): Promise<ExecuteResult> => {
    for (let retry = 0; ; retry++) {
      try {
        // A retry follows a refused append: some cached state was behind, so ask the store.
        return await attempt(retry > 0);
      } catch (error) {
        if (isConcurrencyError(error) && meta.expectedVersion === undefined && retry < MAX_RETRIES) continue;
        if ((error as { code?: unknown } | null)?.code === IDEMPOTENCY_CONFLICT) throw idempotencyConflict();
        throw error;
      }
    }
  };
  // Commands of this process on one target stream take turns (see StreamStateCache.inTurn).
  return cache ? cache.inTurn(streamId, attempts) : attempts();
}

type StreamsCheck = NonNullable<AppendManyOptions['noNewStreams']>[number];

/** The context streams a command finds by querying the store (CommandSpec.discover), and each query with its answer. */
async function discover(port: EventStorePort, entry: { discover?: CommandSpec['discover'] }, data: unknown, state: unknown): Promise<{ refs: ContextRef[]; checks: StreamsCheck[] }> {
  const queries = entry.discover?.(data, state) ?? [];
  if (queries.length === 0) return { refs: [], checks: [] };
  if (!port.findStreams) throw new Error('This event store port cannot find streams (findStreams), which the command needs');
  const answers = await Promise.all(queries.map((q) => port.findStreams!({ eventType: q.eventType, match: q.match })));
  return {
    refs: queries.flatMap((q, i) => answers[i]!.map((streamId) => ({ key: `${q.key}.${streamId}`, aggregate: q.aggregate, streamId }))),
    checks: queries.map((q, i) => ({ eventType: q.eventType, match: q.match, streams: answers[i]! })),
  };
}

/** What an idempotency key stores about the command it answered (no event data). */
interface StoredOutcome {
  aggregate: AggregateName;
  streamId: string;
  version: number;
  count: number;
  also: { streamId: string; version: number; count: number }[];
}

/** The events a stream got from one command: its `count` events up to `version`. */
async function eventsOf(port: EventStorePort, streamId: string, version: number, count: number): Promise<DomainEvent[]> {
  if (count <= 0) return [];
  const { events } = await port.readStream(streamId);
  return events
    .filter((e) => e.streamVersion > version - count && e.streamVersion <= version)
    .map((e) => ({ type: e.type, data: e.data }) as DomainEvent);
}

/**
 * The result of a replayed command, from what its key stored. Rows written before issue 12 kept
 * the events themselves (`events`, `also[].events`): they still answer as they did.
 */
async function replayedResult(port: EventStorePort, extra: unknown, lastPosition: number): Promise<ExecuteResult> {
  type Also = { streamId: string; version?: number; count?: number; events?: DomainEvent[] };
  const x = (extra ?? {}) as Partial<Omit<StoredOutcome, 'also'>> & { events?: DomainEvent[]; also?: Also[] };
  const streamId = x.streamId ?? '';
  const version = x.version ?? 0;
  const events = x.events ?? (await eventsOf(port, streamId, version, x.count ?? 0));
  const also = await Promise.all(
    (x.also ?? []).map(async (a) => ({ streamId: a.streamId, events: a.events ?? (await eventsOf(port, a.streamId, a.version ?? 0, a.count ?? 0)) })),
  );
  return { aggregate: x.aggregate as AggregateName, streamId, version, events, also, lastPosition, replayed: true };
}

const idempotencyConflict = () =>
  new DomainError('conflict', 'idempotency_key_reused', 'The idempotency key was used with a different request');
