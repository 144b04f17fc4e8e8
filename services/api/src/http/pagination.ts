// Cursor pagination for list endpoints: `?limit=&cursor=`, an opaque cursor holding the sort key of
// the last item returned, and a stable order (the sort key must end with a unique column).
import { z } from 'zod';
import { HttpProblem } from './problem';
import { strictInt } from './query';

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 200;

/** Querystring fields of every list endpoint; `.extend()` it with the endpoint's filters. */
export const PageQuerySchema = z.strictObject({
  limit: strictInt({ min: 1, max: MAX_PAGE_LIMIT, description: `Items per page (at most ${MAX_PAGE_LIMIT})` }).default(DEFAULT_PAGE_LIMIT),
  cursor: z.string().min(1).max(2000).optional().describe('Opaque cursor from a previous page (`nextCursor`)'),
});
export type PageQuery = z.infer<typeof PageQuerySchema>;

/** A page of items; `nextCursor` is null on the last page. */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export type Page<T> = { items: T[]; nextCursor: string | null };

/** A cursor is the sort key of the last item seen: base64url JSON, opaque to clients. */
export type CursorKey = readonly (string | number | boolean | null)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor; a malformed one is a 400 naming `query.cursor`. */
export function decodeCursor(cursor: string | undefined, arity: number): CursorKey | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    new HttpProblem(400, 'validation_error', 'query.cursor: Invalid cursor', {
      errors: [{ path: 'query.cursor', message: 'Invalid cursor' }],
    });
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(value) ||
    value.length !== arity ||
    !value.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
  ) {
    throw invalid();
  }
  return value as CursorKey;
}

/**
 * Builds a page from rows fetched with `LIMIT limit + 1` in the stable sort order, after the
 * decoded cursor: the extra row only tells that there is a next page.
 */
export function toPage<Row, Item = Row>(
  rows: readonly Row[],
  limit: number,
  keyOf: (row: Row) => CursorKey,
  map: (row: Row) => Item = (row) => row as unknown as Item,
): Page<Item> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
