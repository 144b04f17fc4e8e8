// Issue 13: a batch's rows are read in one statement for every table (loadTogether), each row as
// jsonb. They must be the values pg's own parsers give for `select *`, for every column type a
// read model may have (ColumnType): a projection folds on what it reads.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { createTables, loadTogether, PgBatchStore } from './pg-store';
import type { Projection, Row, TableSpec } from './types';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.drop();
});

const every: TableSpec = {
  name: 'every',
  columns: { t: 'text', i: 'integer', b: 'bigint', ok: 'boolean', d: 'double precision', list: 'text[]', doc: 'jsonb' },
};
const other: TableSpec = { name: 'other', columns: { n: 'integer' } };
const projection = (tables: TableSpec[]) => ({ name: 'load-test', version: 1, tables, eventTypes: [], refs: () => [], evolve: () => undefined }) as unknown as Projection;

describe('rows read together (issue 13)', () => {
  it('reads every column type as select * does, for several tables and stores in one statement', async () => {
    await createTables(t.db, 'load_a', [every, other]);
    await createTables(t.db, 'load_b', [other]);
    const rows = [
      { id: 'r1', t: `it's "quoted" \\ ünïcode 🙂`, i: -2147483648, b: 9007199254740991, ok: true, d: 0.1, list: ['a', null, ''], doc: { a: [1, 2.5, null, { b: 'x' }], n: 1e-7 } },
      // Rows are written as JSON (flush), so a stored double is never -0, NaN or infinite (checkRow).
      { id: 'r2', t: '', i: 0, b: -1, ok: false, d: 0, list: [], doc: null },
      { id: 'r3', t: null, i: null, b: null, ok: null, d: 1.7976931348623157e308, list: null, doc: [true, 'null', 12345678901234567890] },
      { id: 'r4', t: 'x', i: 2147483647, b: 0, ok: true, d: 5e-324, list: ['{', '}', ','], doc: 'a string' },
    ];
    await sql`INSERT INTO load_a.every SELECT * FROM jsonb_populate_recordset(NULL::load_a.every, ${JSON.stringify(rows)}::jsonb)`.execute(t.db);
    await sql`INSERT INTO load_a.other VALUES ('o1', 7), ('o2', 8)`.execute(t.db);
    await sql`INSERT INTO load_b.other VALUES ('o1', 9)`.execute(t.db);

    const a = new PgBatchStore(t.db, 'load_a', projection([every, other]));
    const b = new PgBatchStore(t.db, 'load_b', projection([other]));
    const ids = (table: string, ...xs: string[]) => xs.map((id) => ({ table, id }));
    await loadTogether(t.db, [
      { store: a, refs: [...ids('every', 'r1', 'r2', 'r3', 'r4', 'missing'), ...ids('other', 'o2')] },
      { store: b, refs: ids('other', 'o1', 'o2') },
    ]);

    const selected = (await sql<Row>`SELECT * FROM load_a.every ORDER BY id`.execute(t.db)).rows;
    expect(selected).toHaveLength(4);
    for (const row of selected) expect(a.get('every', row.id)).toEqual(row);
    expect(a.get('every', 'missing')).toBeUndefined();
    expect(a.get('other', 'o2')).toEqual({ id: 'o2', n: 8 });
    expect(a.get('other', 'o1')).toBeUndefined();
    expect(b.get('other', 'o1')).toEqual({ id: 'o1', n: 9 });
    expect(b.get('other', 'o2')).toBeUndefined();
  });
});
