// Keyset paging on (sort value, id) for the schedule's lists: stable when ids are chosen by clients
// in any order and several rows share a time.
import type { SelectQueryBuilder } from 'kysely';

export type Direction = 'asc' | 'desc';
/** The last row of a page: its sort value and id. */
export type Key = readonly [string, string];

export interface KeysetPage<T> {
  items: T[];
  /** Key of the last item when there may be more. */
  next: Key | null;
}

/** Orders by `column, id` in `direction`, after `after` (exclusive), fetching one row more than `limit`. */
export function keyset<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  column: string,
  direction: Direction,
  limit: number,
  after: Key | undefined,
): SelectQueryBuilder<DB, TB, O> {
  const q = query as unknown as SelectQueryBuilder<any, any, any>;
  const op = direction === 'asc' ? '>' : '<';
  const paged = after
    ? q.where((eb) => eb.or([eb(column, op, after[0]), eb.and([eb(column, '=', after[0]), eb('id', op, after[1])])]))
    : q;
  return paged.orderBy(column, direction).orderBy('id', direction).limit(limit + 1) as unknown as SelectQueryBuilder<DB, TB, O>;
}

export function keysetPage<R extends Record<string, any>, T>(rows: R[], limit: number, column: string, map: (row: R) => T): KeysetPage<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(map), next: rows.length > limit && last ? [String(last[column]), String(last.id)] : null };
}

/**
 * A range bound given as a date (`2025-03-01`) or a date-time with offset, as a UTC instant.
 * A date `to` means the whole day, so it becomes the next midnight (the bound is exclusive).
 */
export function instant(value: string, bound: 'from' | 'to'): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = new Date(`${value}T00:00:00.000Z`);
    if (bound === 'to') day.setUTCDate(day.getUTCDate() + 1);
    return day.toISOString();
  }
  return new Date(value).toISOString();
}
