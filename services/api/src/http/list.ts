// The one list style: `{ items, nextCursor }`, `limit` (documented maximum) and an opaque `cursor`,
// a `sort` parameter with a documented default, and a stable keyset order: the business date or
// name named by `sort`, then the id (ids may be chosen by clients, so they never decide the order).
import { z } from 'zod';
import type { Keyset, KeysetPage, SortDirection } from '@convene/projections';
import { ConsistencyQuerySchema } from './consistency';
import { decodeCursor, DEFAULT_PAGE_LIMIT, encodeCursor, MAX_PAGE_LIMIT } from './pagination';
import { HttpProblem } from './problem';
import { strictInt } from './query';

export interface ListOptions<S extends string> {
  /** Sort fields (each also sortable descending as `-field`), e.g. ['startsOn', 'name']. */
  sorts: readonly [S, ...S[]];
  /** The default, e.g. 'startsOn' or '-total'. */
  defaultSort: S | `-${S}`;
  maxLimit?: number;
}

/** Querystring of a list: limit, cursor, sort and consistentWith; `.extend()` it with filters. */
export function listQuery<S extends string>({ sorts, defaultSort, maxLimit = MAX_PAGE_LIMIT }: ListOptions<S>) {
  const values = sorts.flatMap((s) => [s, `-${s}`]) as [string, ...string[]];
  return z.strictObject({
    limit: strictInt({ min: 1, max: maxLimit, description: `Items per page (at most ${maxLimit})` }).default(Math.min(DEFAULT_PAGE_LIMIT, maxLimit)),
    cursor: z.string().min(1).max(2000).optional().describe('Opaque cursor from the previous page (`nextCursor`)'),
    sort: z
      .enum(values)
      .default(defaultSort)
      .describe(`Order of the items: a field, or \`-field\` for descending; ties are broken by id. Default \`${defaultSort}\`.`),
    consistentWith: ConsistencyQuerySchema.shape.consistentWith,
  });
}

/** `-startsOn` -> { field: 'startsOn', direction: 'desc' }. */
export function parseSort(sort: string): { field: string; direction: SortDirection } {
  return sort.startsWith('-') ? { field: sort.slice(1), direction: 'desc' } : { field: sort, direction: 'asc' };
}

/**
 * The keyset a read-model query pages with: the sort, its direction and where the cursor left off.
 * A cursor made under another sort is a 400 (its key would not be comparable).
 */
export function keysetOf(query: { sort: string; limit: number; cursor?: string | undefined }): Keyset & { field: string } {
  const { field, direction } = parseSort(query.sort);
  const decoded = decodeCursor(query.cursor, 3);
  if (decoded && decoded[0] !== query.sort) {
    throw new HttpProblem(400, 'validation_error', 'query.cursor: The cursor belongs to another sort', {
      errors: [{ path: 'query.cursor', message: 'The cursor belongs to another sort' }],
    });
  }
  const after = decoded ? ([decoded[1] ?? null, String(decoded[2])] as const) : undefined;
  return { field, direction, limit: query.limit, ...(after ? { after } : {}) };
}

/** `{ items, nextCursor }` from a read model's keyset page. */
export function listPage<T, U = T>(sort: string, page: KeysetPage<T>, map: (item: T) => U = (x) => x as unknown as U) {
  return { items: page.items.map(map), nextCursor: page.next ? encodeCursor([sort, page.next[0], page.next[1]]) : null };
}
