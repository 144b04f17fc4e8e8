// Issue 13: a large jsonb or text[] value that a batch leaves as it was is not written again. Such a
// value lives in the table's TOAST relation; assigning it anew from the batch's JSON wrote new TOAST
// rows (and WAL) on every update of the row, e.g. a meeting's invitees on each attendance recorded.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { createTables, PgBatchStore } from './pg-store';
import type { Projection, Row, TableSpec } from './types';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const wide: TableSpec = { name: 'wide', columns: { n: 'integer', doc: 'jsonb', list: 'text[]' } };
const projection = { name: 'toast-test', version: 1, tables: [wide], eventTypes: [], refs: () => [], evolve: () => undefined } as unknown as Projection;
// Random text does not compress: stored out of line, in chunks of ~2 kB.
const big = () => randomBytes(12_000).toString('base64');

/** The TOAST values the row's out-of-line columns point to (a value written anew gets a new id). */
async function toastValues(): Promise<string[]> {
  const { rows } = await sql<{ toast: string }>`SELECT reltoastrelid::regclass::text AS toast FROM pg_class WHERE oid = 'toast_test.wide'::regclass`.execute(t.db);
  const ids = await sql<{ chunk_id: string }>`SELECT DISTINCT chunk_id::text FROM ${sql.raw(rows[0]!.toast)} ORDER BY 1`.execute(t.db);
  return ids.rows.map((r) => r.chunk_id);
}

async function upsert(row: Row): Promise<void> {
  await t.db.transaction().execute(async (trx) => {
    const store = new PgBatchStore(trx, 'toast_test', projection);
    store.put('wide', row);
    await store.flush();
  });
}

describe('upserts keep large values that did not change (issue 13)', () => {
  it('keeps the stored TOAST values when only a small column changes, and writes the one that changed', async () => {
    await createTables(t.db, 'toast_test', [wide]);
    const doc = { text: big(), at: [1, 2.5, null] };
    const list = [big(), 'b', ''];
    await upsert({ id: 'w1', n: 1, doc, list });
    const inserted = await toastValues();
    expect(inserted).toHaveLength(2); // both values out of line

    await upsert({ id: 'w1', n: 2, doc: structuredClone(doc), list: [...list] });
    expect(await toastValues()).toEqual(inserted);

    await upsert({ id: 'w1', n: 3, doc: { ...doc, at: [1] }, list: [...list] });
    const afterDocChange = await toastValues();
    expect(afterDocChange).toHaveLength(2);
    expect(afterDocChange.filter((id) => inserted.includes(id))).toHaveLength(1); // the list's, kept

    const stored = (await sql<{ n: number; doc: unknown; list: string[] }>`SELECT n, doc, list FROM toast_test.wide WHERE id = 'w1'`.execute(t.db)).rows[0]!;
    expect(stored).toEqual({ n: 3, doc: { ...doc, at: [1] }, list });
  });

  it('still writes a value that changed to null, or from null', async () => {
    await upsert({ id: 'w2', n: 1, doc: { a: 1 }, list: ['x'] });
    await upsert({ id: 'w2', n: 1, doc: null, list: null });
    expect((await sql`SELECT doc, list FROM toast_test.wide WHERE id = 'w2'`.execute(t.db)).rows[0]).toEqual({ doc: null, list: null });
    await upsert({ id: 'w2', n: 1, doc: { a: 2 }, list: [] });
    expect((await sql`SELECT doc, list FROM toast_test.wide WHERE id = 'w2'`.execute(t.db)).rows[0]).toEqual({ doc: { a: 2 }, list: [] });
  });
});
