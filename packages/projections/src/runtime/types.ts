import type { RecordedEvent } from '@convene/eventstore';

/** SQL column types a read-model table may use (no date/numeric types: they would not round-trip as JS values). */
export type ColumnType = 'text' | 'integer' | 'bigint' | 'boolean' | 'double precision' | 'text[]' | 'jsonb';

/** A read-model table: `id text PRIMARY KEY` plus columns; every row carries every column (null when unknown). */
export interface TableSpec {
  name: string;
  columns: Record<string, ColumnType>;
  /** Index column lists, e.g. ['collaborative_id', 'cohort_id']. */
  indexes?: string[][];
}

export type Row = Record<string, unknown> & { id: string };

/**
 * What an evolve function reads and writes: rows by table and id. `get` hands out the stored
 * object (no copy, for speed): change it and `put` it back, within the same event.
 */
export interface RowStore {
  get(table: string, id: string): Row | undefined;
  put(table: string, row: Row): void;
}

/** A row an event will touch, named before the batch is applied so it can be loaded in one query. */
export interface RowRef {
  table: string;
  id: string;
}

/**
 * A projection: a name, a version, the event types it handles and a pure evolve over rows. The
 * runtime loads every row `refs` names for a batch in one query per table, applies `evolve` to
 * each event in memory and writes the changed rows with multi-row upserts, with the checkpoint,
 * in one transaction. Changing what evolve writes means a new version (rebuilt into fresh tables).
 */
export interface Projection {
  name: string;
  version: number;
  tables: TableSpec[];
  eventTypes: string[];
  refs(event: RecordedEvent): RowRef[];
  evolve(store: RowStore, event: RecordedEvent): void;
  /**
   * The tables hold personal values (names, e-mails) read from events. A `PersonalDataErased`
   * event then makes the runtime rebuild the projection from position 0 (events read after the
   * erasure carry placeholders) and swap the clean build in, so the erased values leave the
   * live tables too.
   */
  holdsPersonalData?: boolean;
}

/** The event the privacy route appends after deleting subjects' keys (services/api/src/privacy). */
export const PERSONAL_DATA_ERASED = 'PersonalDataErased';

/** A row with every column of its table, in column order, missing values null. */
export function completeRow(spec: TableSpec, row: Row): Row {
  const out: Row = { id: row.id };
  for (const column of Object.keys(spec.columns)) out[column] = row[column] ?? null;
  return out;
}
