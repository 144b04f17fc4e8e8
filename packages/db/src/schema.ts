import type { ColumnType, Generated } from 'kysely';

// Table types, written once and checked by the migration tests (they query every column).

export interface EventsTable {
  global_position: number;
  stream_id: string;
  stream_type: string;
  stream_version: number;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: ColumnType<Date, Date | string | undefined, never>;
  transaction_id: ColumnType<string, never, never>;
}

export interface StreamsTable {
  stream_id: string;
  stream_type: string;
  version: number;
}

export interface IdempotencyKeysTable {
  key: string;
  fingerprint: string;
  result: unknown;
  created_at: Generated<Date>;
}

export interface Database {
  events: EventsTable;
  streams: StreamsTable;
  idempotency_keys: IdempotencyKeysTable;
}
