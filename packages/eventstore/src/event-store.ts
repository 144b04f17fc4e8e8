import type pg from 'pg';
import { appendDuration, currentTraceparent, inSpan, tracingEnabled } from '@convene/runtime';
import { findStreams, type StreamQuery } from './find-streams';
import { EmptyAppendError, isConcurrencyError, translateAppendError } from './errors';
import { GroupCommitter, type RawAppendResult } from './group-commit';
import { appendOne, appendRequest } from './append-request';
import { CommitNotifier } from './notifier';
import type {
  AppendManyResult,
  AppendOptions,
  AppendResult,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
} from './types';
import { UpcasterRegistry } from './upcasters';
import { KeyGenerationMovedError, type PersonalDataHook } from './personal-data';
import { checkMetadata, connectionStringOf, EVENT_COLUMNS, isReseedNeeded, toRecorded, type EventRow, type EventStoreOptions } from './event-rows';

export { streamTypeOf, connectionStringOf, type EventStoreOptions } from './event-rows';

export class EventStore {
  readonly pool: pg.Pool;
  readonly upcasters: UpcasterRegistry;
  private readonly notifier: CommitNotifier | undefined;
  private readonly groupCommit: GroupCommitter | undefined;
  private readonly personalData: PersonalDataHook | undefined;
  /** LISTEN connects here (see EventStoreOptions.directConnectionString). */
  readonly listenConnectionString: string | undefined;

  constructor(options: EventStoreOptions) {
    this.pool = options.pool;
    this.listenConnectionString = options.directConnectionString ?? connectionStringOf(options.pool);
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.personalData = options.personalData;
    this.groupCommit = options.groupCommit === false ? undefined : new GroupCommitter(options.pool, (request) => appendOne(request, this.pool), options.groupCommit || {});
    this.notifier = options.notify === false ? undefined : new CommitNotifier(connectionStringOf(options.pool));
  }

  /** Appends to one stream. A wrong expected version throws ConcurrencyError and writes nothing. */
  async appendToStream(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions & { expectedVersion: ExpectedVersion; streamType?: string },
  ): Promise<AppendResult> {
    const result = await this.appendMany(
      [{ streamId, events, expectedVersion: options.expectedVersion, streamType: options.streamType }],
      options,
    );
    const stream = result.streams[0];
    return {
      nextExpectedVersion: stream?.nextVersion ?? 0,
      lastPosition: result.lastPosition,
      replayed: result.replayed,
      extra: result.extra,
    };
  }

  /** Appends to several streams and checks guards, all or nothing, in one round trip. */
  async appendMany(appends: StreamAppend[], options: AppendOptions): Promise<AppendManyResult> {
    // Latency histogram always (a clock read and an observe); a span only while tracing is on.
    const started = performance.now();
    let outcome = 'error';
    try {
      const result = tracingEnabled()
        ? await inSpan('eventstore.append', { attributes: { 'convene.streams': appends.length } }, () => this.appendUntimed(appends, options))
        : await this.appendUntimed(appends, options);
      outcome = result.replayed ? 'replayed' : 'appended';
      return result;
    } catch (error) {
      if (isConcurrencyError(error)) outcome = 'conflict';
      throw error;
    } finally {
      appendDuration.observe({ outcome }, (performance.now() - started) / 1000);
    }
  }

  private async appendUntimed(appends: StreamAppend[], options: AppendOptions): Promise<AppendManyResult> {
    const metadata = checkMetadata(options.metadata);
    // An empty append would create a stream at version 0 that no later append can name.
    if (appends.length === 0) throw new EmptyAppendError(null);
    const empty = appends.find((a) => a.events.length === 0);
    if (empty) throw new EmptyAppendError(empty.streamId);
    // The W3C trace context of the append travels with the events to the projector and workers.
    const traceparent = metadata.traceparent === undefined ? currentTraceparent() : undefined;
    if (traceparent) metadata.traceparent = traceparent;
    // Keys are created here, before the append and outside its transaction; sealing keys may come
    // from a cache, and the append is then written only while their key generation holds (an
    // erasure moves it): else the keys are read again and the events sealed anew.
    let result: RawAppendResult | undefined;
    for (let sealing = 0; result === undefined; sealing++) {
      const sealed = this.personalData ? await this.personalData.seal(appends.flatMap((a) => a.events)) : undefined;
      const request = appendRequest(appends, options, metadata, this.upcasters, sealed);
      const send = () =>
        !options.client && this.groupCommit ? this.groupCommit.submit(request) : appendOne(request, options.client ?? this.pool);
      try {
        try {
          result = await send();
        } catch (error) {
          if (!isReseedNeeded(error)) throw error;
          // Restored from another cluster (or its xids set back): positions are re-seeded above the
          // stored history in a transaction of their own. A caller's transaction is aborted: it
          // retries; an append of ours is sent again.
          await this.reseedPositions();
          if (options.client) throw error;
          result = await send();
        }
      } catch (error) {
        if (error instanceof KeyGenerationMovedError && sealing < 3) {
          this.personalData?.forgetKeys?.();
          continue;
        }
        throw translateAppendError(error);
      }
    }
    // Inside a caller's transaction the commit is theirs: they call notifyAppended() after it.
    if (!options.client && !result.replayed) this.notifier?.ping();
    return {
      streams: result.streams,
      lastPosition: result.lastPosition ?? 0,
      replayed: result.replayed,
      ...(result.extra === null || result.extra === undefined ? {} : { extra: result.extra }),
    };
  }

  /** Wakes subscribers; for appends made with `client` once that transaction has committed. */
  notifyAppended(): void {
    this.notifier?.ping();
  }

  /** The stream's events in version order; version 0 and no events when it does not exist. */
  async readStream(
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<{ version: number; events: RecordedEvent[] }> {
    const conditions = ['stream_id = $1'];
    const values: unknown[] = [streamId];
    if (options.fromVersion !== undefined) {
      values.push(options.fromVersion);
      conditions.push(`stream_version >= $${values.length}`);
    }
    if (options.toVersion !== undefined) {
      values.push(options.toVersion);
      conditions.push(`stream_version <= $${values.length}`);
    }
    if (options.until !== undefined) {
      values.push(options.until);
      conditions.push(`recorded_at <= $${values.length}`);
    }
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE ${conditions.join(' AND ')} ORDER BY stream_version`,
      values,
    );
    const events = (await this.unseal(rows)).map((r) => toRecorded(this.upcasters, r));
    // With no bound the stream's version is its last event's; with bounds, the last one read.
    return { version: events.at(-1)?.streamVersion ?? 0, events };
  }

  /** Ids of the streams holding an event of this type whose data has the `match` fields (find-streams.ts). */
  findStreams(query: StreamQuery): Promise<string[]> {
    return findStreams(this.pool, query);
  }

  /**
   * The committed result stored under an idempotency key, if any: lets a command handler answer a
   * retry before deciding again (a second decision would often be refused, e.g. "already exists").
   */
  async readIdempotency(key: string): Promise<{ fingerprint: string; lastPosition: number; extra?: unknown } | null> {
    const { rows } = await this.pool.query<{ fingerprint: string; result: { lastPosition: number | null; extra?: unknown } | null }>(
      'SELECT fingerprint, result FROM idempotency_keys WHERE key = $1',
      [key],
    );
    const row = rows[0];
    if (!row?.result) return null;
    return {
      fingerprint: row.fingerprint,
      lastPosition: row.result.lastPosition ?? 0,
      ...(row.result.extra === null || row.result.extra === undefined ? {} : { extra: row.result.extra }),
    };
  }

  /** Closes the store's own notification connection (the pool is the caller's). */
  async close(): Promise<void> {
    await this.notifier?.close();
  }

  /** The current version of a stream (0 when it does not exist). */
  async streamVersion(streamId: string): Promise<number> {
    const { rows } = await this.pool.query<{ version: number }>(
      'SELECT version FROM streams WHERE stream_id = $1',
      [streamId],
    );
    return rows[0]?.version ?? 0;
  }

  /**
   * Events after `after` in global order, gap-safe: it stops below any position that a running
   * appender may still commit, and passes positions whose transaction rolled back.
   */
  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = options.after ?? 0;
    const limit = options.limit ?? 1000;
    const query = () =>
      this.pool.query<EventRow & { safe_position: number }>({
        text: `SELECT safe_position, ${EVENT_COLUMNS} FROM convene_read_all($1, $2, $3, $4)`,
        values: [after, limit, options.types ?? null, options.collaborativeId ?? null],
      });
    const { rows } = await this.withReseed(query);
    // A read that returned fewer events than asked ends with a row saying how far it scanned:
    // the newest settled position, past other types' and collaboratives' events.
    const last = rows.at(-1);
    const scanned = last && last.global_position === null ? (rows.pop(), last.safe_position) : undefined;
    const events = (await this.unseal(rows)).map((r) => toRecorded(this.upcasters, r));
    return { events, next: Math.max(after, events.at(-1)?.globalPosition ?? after, scanned ?? 0) };
  }

  /** The position below which the feed is settled now (what readAll may return up to). */
  async safePosition(): Promise<number> {
    const { rows } = await this.withReseed(() => this.pool.query<{ p: number }>('SELECT convene_safe_position() AS p'));
    return rows[0]!.p;
  }

  /**
   * The newest settled event's position (0 when none): where a new cursor that should skip the
   * history starts. Never past it: positions re-seeded after a restore start just above it.
   */
  async headPosition(): Promise<number> {
    // The statement's snapshot predates the bound: it may miss an event just settled, so the
    // answer is at worst a little low, never past an unsettled one.
    const { rows } = await this.withReseed(() =>
      this.pool.query<{ p: number | null }>('SELECT max(global_position) AS p FROM events WHERE global_position < convene_safe_position()'),
    );
    return rows[0]?.p ?? 0;
  }

  /**
   * Re-seeds global positions when the stored history does not fit this cluster's transaction
   * ids (a restore into another cluster, pg_resetwal, an xid epoch far ahead): new positions then
   * start just above the newest stored one. A no-op otherwise. True when it re-seeded.
   */
  async reseedPositions(): Promise<boolean> {
    const { rows } = await this.pool.query<{ r: boolean }>('SELECT convene_reseed_positions() AS r');
    return rows[0]!.r;
  }

  /** Runs a read; when positions need re-seeding (CV006), re-seeds (on a primary) and reads again. */
  private async withReseed<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (!isReseedNeeded(error)) throw error;
      const { rows } = await this.pool.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
      if (rows[0]?.standby) throw error; // only the primary can; its next append or start-up does
      await this.reseedPositions();
      return read();
    }
  }

  private async unseal(rows: EventRow[]): Promise<EventRow[]> {
    if (!this.personalData || rows.length === 0) return rows;
    const data = await this.personalData.unseal(rows.map((r) => r.data));
    rows.forEach((r, i) => (r.data = data[i])); // the rows are ours: no copy per event
    return rows;
  }
}
