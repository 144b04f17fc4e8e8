import type { RecordedEvent } from '@convene/eventstore';
import { completeRow, type Projection, type Row, type RowStore } from './types';

/** Rows in memory: the reference fold (a read model computed from the event log from scratch). */
export class MemoryRowStore implements RowStore {
  readonly tables = new Map<string, Map<string, Row>>();

  get(table: string, id: string): Row | undefined {
    const row = this.tables.get(table)?.get(id);
    return row;
  }

  put(table: string, row: Row): void {
    let rows = this.tables.get(table);
    if (!rows) this.tables.set(table, (rows = new Map()));
    rows.set(row.id, row);
  }
}

/** Folds events into fresh in-memory tables: table name -> rows sorted by id, every column present. */
export function foldProjection(projection: Projection, events: readonly RecordedEvent[]): Record<string, Row[]> {
  const store = new MemoryRowStore();
  const types = new Set(projection.eventTypes);
  for (const event of events) if (types.has(event.type)) projection.evolve(store, event);
  const out: Record<string, Row[]> = {};
  for (const spec of projection.tables) {
    const rows = [...(store.tables.get(spec.name)?.values() ?? [])].map((r) => completeRow(spec, r));
    out[spec.name] = rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return out;
}
