import type pg from 'pg';
import type { Selectable } from 'kysely';
import type { EventsTable } from '@convene/db';
import { v7 as uuidv7 } from 'uuid';
import { POSITIONS_NEED_RESEED } from './errors';
import type { GroupCommitOptions } from './group-commit';
import type { EventMetadata, ExpectedVersion, RecordedEvent } from './types';
import type { UpcasterRegistry } from './upcasters';
import type { PersonalDataHook } from './personal-data';

// The event store's options and the pure pieces of its rows: how expected versions, metadata and
// stored rows translate to and from the SQL functions (the EventStore class holds the I/O).

export interface EventStoreOptions {
  pool: pg.Pool;
  upcasters?: UpcasterRegistry;
  /** NOTIFY subscribers after each commit (default true); without it they wake by polling. */
  notify?: boolean;
  /**
   * Group commit of appends made outside a caller's transaction (default on): concurrent appends
   * share a transaction and a WAL flush, each still atomic alone. `false` sends each on its own.
   */
  groupCommit?: false | GroupCommitOptions;
  /** Seals personal values on append and unseals them on read (crypto-shredding). */
  personalData?: PersonalDataHook;
  /**
   * Where LISTEN connects (subscriptions, the feed's long poll, webhooks): a direct connection,
   * never through a transaction pooler, which would drop the LISTEN with the server connection
   * (DATABASE_DIRECT_URL). Default: the pool's connection string.
   */
  directConnectionString?: string;
}

export function streamTypeOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash > 0 ? streamId.slice(0, dash) : streamId;
}

export function expectedCode(expected: ExpectedVersion): number {
  if (expected === 'any') return -2;
  if (expected === 'no_stream') return -1;
  if (!Number.isInteger(expected) || expected < 0) throw new TypeError(`bad expected version ${String(expected)}`);
  return expected;
}

export function checkMetadata(metadata: EventMetadata): EventMetadata {
  if (!metadata?.actorId || !metadata.actorRole) {
    throw new TypeError('event metadata needs actorId and actorRole');
  }
  return { ...metadata, correlationId: metadata.correlationId || uuidv7() };
}

/** A row of `events` as read (the table type is @convene/db's), with its metadata typed. */
export type EventRow = Omit<Selectable<EventsTable>, 'transaction_id' | 'metadata'> & { metadata: EventMetadata };

export const isReseedNeeded = (error: unknown) => (error as { code?: unknown } | null)?.code === POSITIONS_NEED_RESEED;

export const EVENT_COLUMNS = `global_position, stream_id, stream_type, stream_version, event_id, event_type,
  schema_version, data, metadata, recorded_at`;

/** A stored row as the application sees it: upcast to the current schema, metadata completed. */
export function toRecorded(upcasters: UpcasterRegistry, r: EventRow): RecordedEvent {
  // Catch-up reads a million of these: no upcast call for types without upcasters, and the
  // metadata object pg just parsed is completed in place rather than copied.
  let schemaVersion = r.schema_version;
  let data = r.data;
  if (upcasters.has(r.event_type)) ({ schemaVersion, data } = upcasters.upcast(r.event_type, r.schema_version, r.data));
  const metadata = r.metadata as RecordedEvent['metadata'];
  metadata.eventId = r.event_id;
  metadata.recordedAt = r.recorded_at.toISOString();
  metadata.schemaVersion = schemaVersion;
  metadata.storedSchemaVersion = r.schema_version;
  return {
    streamId: r.stream_id,
    streamType: r.stream_type,
    streamVersion: r.stream_version,
    globalPosition: r.global_position,
    eventId: r.event_id,
    type: r.event_type,
    schemaVersion,
    data,
    metadata,
    recordedAt: r.recorded_at,
  };
}

export function connectionStringOf(pool: pg.Pool): string | undefined {
  return (pool as unknown as { options: { connectionString?: string } }).options.connectionString;
}
