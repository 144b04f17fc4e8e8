// Keyset paging over read-model tables, ordered by a business key (a date, a name, a score) and
// then the id: stable under concurrent inserts and independent of the ids clients choose.
import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';

export type SortDirection = 'asc' | 'desc';
export type KeyValue = string | number | boolean | null;

/** Where a page starts: the sort key and id of the last item of the previous page. */
export interface Keyset {
  direction: SortDirection;
  limit: number;
  after?: readonly [KeyValue, string];
}

export interface KeysetPage<T> {
  items: T[];
  /** Sort key and id of the last item when there may be more. */
  next: readonly [KeyValue, string] | null;
}

/** A text sort key: nulls sort first, as the empty string. */
export const textKey = (column: string): RawBuilder<string> => sql<string>`coalesce(${sql.ref(column)}, '')`;
/** A case-insensitive name key. */
export const nameKey = (column: string): RawBuilder<string> => sql<string>`lower(coalesce(${sql.ref(column)}, ''))`;
/** A numeric sort key: nulls as 0. */
export const numberKey = (column: string): RawBuilder<number> => sql<number>`coalesce(${sql.ref(column)}, 0)`;

/**
 * Adds `sort_key`, the keyset condition, the order and `limit + 1` to a query whose table has an
 * `id` column; `keysetPage` turns the rows into a page.
 */
export function paged<DB, TB extends keyof DB, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  key: RawBuilder<KeyValue>,
  k: Keyset,
  idColumn = 'id',
): SelectQueryBuilder<DB, TB, O & { sort_key: KeyValue }> {
  const id = sql.ref(idColumn);
  const op = sql.raw(k.direction === 'asc' ? '>' : '<');
  const dir = sql.raw(k.direction);
  let q = qb.select(key.as('sort_key')) as unknown as SelectQueryBuilder<DB, TB, O & { sort_key: KeyValue }>;
  if (k.after) q = q.where(sql<boolean>`(${key}, ${id}) ${op} (${k.after[0]}, ${k.after[1]})`);
  return q.orderBy(sql`${key} ${dir}`).orderBy(sql`${id} ${dir}`).limit(k.limit + 1);
}

export function keysetPage<R extends { sort_key: KeyValue }, T>(rows: R[], k: Keyset, map: (row: R) => T, idOf: (row: R) => string = (r) => String((r as { id?: unknown }).id)): KeysetPage<T> {
  const items = rows.slice(0, k.limit);
  const last = items.at(-1);
  return { items: items.map(map), next: rows.length > k.limit && last ? [last.sort_key, idOf(last)] : null };
}
