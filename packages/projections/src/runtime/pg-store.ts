import { sql, type Kysely, type RawBuilder } from 'kysely';
import { completeRow, type Projection, type Row, type RowRef, type RowStore, type TableSpec } from './types';

const IDENT = /^[a-z_][a-z0-9_]*$/;
export function ident(name: string): string {
  if (!IDENT.test(name)) throw new TypeError(`not a safe SQL identifier: ${name}`);
  return name;
}

/** CREATE SCHEMA and the projection's tables in it (idempotent). */
export async function createTables(db: Kysely<any>, schema: string, tables: TableSpec[]): Promise<void> {
  const statements = [`CREATE SCHEMA IF NOT EXISTS ${ident(schema)}`];
  for (const t of tables) {
    const columns = Object.entries(t.columns).map(([c, type]) => `${ident(c)} ${type}`);
    statements.push(`CREATE TABLE IF NOT EXISTS ${schema}.${ident(t.name)} (id text PRIMARY KEY, ${columns.join(', ')})`);
    for (const index of t.indexes ?? [])
      statements.push(`CREATE INDEX IF NOT EXISTS ${ident(`${t.name}_${index.join('_')}`)} ON ${schema}.${t.name} (${index.map(ident).join(', ')})`);
  }
  await sql.raw(statements.join(';\n')).execute(db);
}

export async function dropSchema(db: Kysely<any>, schema: string): Promise<void> {
  await sql.raw(`DROP SCHEMA IF EXISTS ${ident(schema)} CASCADE`).execute(db);
}

/**
 * dropSchema for an instance just retired, tried again when it deadlocks: a runner that has not yet
 * seen the retirement may still be applying a batch to its tables (it will not commit: its
 * checkpoint UPDATE skips retired instances), and the drop, locking the tables one by one, can
 * deadlock with that batch's next statement. PostgreSQL aborts one of the two; when it is the drop,
 * the batch has ended by the time the drop runs again.
 */
export async function dropRetiredSchema(db: Kysely<any>, schema: string, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dropSchema(db, schema);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= attempts || (code !== '40P01' && code !== '55P03')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** Every row of every table of a schema, sorted by id, every column present (for verify and tests). */
export async function readAllRows(db: Kysely<any>, schema: string, tables: TableSpec[]): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {};
  for (const t of tables) {
    const rows = (await db.withSchema(schema).selectFrom(t.name).selectAll().orderBy(sql`id COLLATE "C"`).execute()) as Row[];
    out[t.name] = rows.map((r) => completeRow(t, r));
  }
  return out;
}

/** A value its column cannot hold: the event that wrote it is poison (parked, issue 11.11). */
export class ColumnValueError extends Error {}

const INT4 = 2 ** 31;
/** A NUL anywhere in a string, array element, object key or value (loops: called for every row a batch writes). */
function hasNul(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (const x of v) if (hasNul(x)) return true;
    return false;
  }
  for (const k in v) if (k.includes('\u0000') || hasNul((v as Record<string, unknown>)[k])) return true;
  return false;
}

type Check = { column: string; type: string; textual: boolean };
/** Each table's columns as checkRow walks them, listed once per spec. */
const checks = new WeakMap<TableSpec, Check[]>();
const checksOf = (spec: TableSpec) => {
  let list = checks.get(spec);
  if (!list) checks.set(spec, (list = Object.entries(spec.columns).map(([column, type]) => ({ column, type, textual: type === 'text' || type === 'text[]' || type === 'jsonb' }))));
  return list;
};
const bad = (spec: TableSpec, c: Check, v: unknown, why: string) => new ColumnValueError(`${spec.name}.${c.column} (${c.type}) cannot hold ${JSON.stringify(v)?.slice(0, 100)}: ${why}`);

/**
 * Refuses, as the event is applied, a value the database would refuse at the batch's write:
 * checked here so the culprit is the event that wrote it, whatever else its batch holds (a later
 * event in the same batch could overwrite the row and hide it, so a rebuild would differ).
 */
export function checkRow(spec: TableSpec | undefined, row: Row): void {
  if (!spec) return;
  for (const c of checksOf(spec)) {
    const v = row[c.column];
    if (v === null || v === undefined) continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw bad(spec, c, v, 'not a finite number');
      if (c.type === 'integer' && (!Number.isInteger(v) || v < -INT4 || v >= INT4)) throw bad(spec, c, v, 'out of range for integer');
      if (c.type === 'bigint' && !Number.isSafeInteger(v)) throw bad(spec, c, v, 'out of range for bigint (or not exact)');
    } else if (c.textual && hasNul(v)) throw bad(spec, c, v, 'holds a NUL character');
  }
}

/**
 * The rows of one batch: loaded in one query per table, changed in memory, written back with
 * multi-row upserts. Reads see the writes of earlier events of the batch.
 *
 * Built on the store of the batch this runner committed just before (`previous`), it takes over
 * its rows: every row read or written by the batches since the runner's rows were last dropped,
 * which are what is stored while nobody else writes these tables (runner.ts says when that holds),
 * so only rows never seen are loaded (issue 13: the load was most of the projector's statement
 * time). evolve changes rows in place, so the runner keeps a store only once its batch commits.
 */
export class PgBatchStore implements RowStore {
  private readonly rows: Map<string, Map<string, Row>>;
  private readonly dirty = new Map<string, Set<string>>();
  private readonly specs: Map<string, TableSpec>;

  constructor(
    private readonly trx: Kysely<any>,
    private readonly schema: string,
    projection: Projection,
    previous?: PgBatchStore,
  ) {
    this.specs = new Map(projection.tables.map((t) => [t.name, t]));
    this.rows = previous?.rows ?? new Map(projection.tables.map((t) => [t.name, new Map()]));
  }

  async load(refs: RowRef[]): Promise<void> {
    await loadTogether(this.trx, [{ store: this, refs }]);
  }

  /** The ids of `refs` by table that are not held yet: what loadTogether reads. */
  missing(refs: RowRef[]): { target: string; table: string; ids: string[] }[] {
    const ids = new Map<string, Set<string>>();
    for (const r of refs) {
      let set = ids.get(r.table);
      if (!set) ids.set(r.table, (set = new Set()));
      set.add(r.id);
    }
    const out: { target: string; table: string; ids: string[] }[] = [];
    for (const [table, set] of ids) {
      const held = this.table(table);
      const wanted: string[] = [];
      for (const id of set) {
        const row = held.get(id);
        if (row === undefined) wanted.push(id);
        else {
          // Used again: to the end of the table's Map, whose order is the order of use (keep()).
          held.delete(id);
          held.set(id, row);
        }
      }
      if (wanted.length > 0) out.push({ target: `${ident(this.schema)}.${ident(table)}`, table, ids: wanted });
    }
    return out;
  }

  /** How many rows it holds (all tables). */
  get size(): number {
    let n = 0;
    for (const t of this.rows.values()) n += t.size;
    return n;
  }

  /**
   * Drops the rows used least recently until at most `max` are held, each table losing its share
   * (a table's Map is in order of use: missing() and put() move a row to its end).
   */
  keep(max: number): void {
    const size = this.size;
    if (size <= max) return;
    for (const t of this.rows.values()) {
      let drop = Math.ceil(((size - max) * t.size) / size);
      for (const id of t.keys()) {
        if (drop-- <= 0) break;
        t.delete(id);
      }
    }
  }

  /** A row read by loadTogether. */
  received(table: string, row: Row): void {
    this.table(table).set(row.id, row);
  }

  get(table: string, id: string): Row | undefined {
    const row = this.table(table).get(id);
    return row;
  }

  put(table: string, row: Row): void {
    checkRow(this.specs.get(table), row);
    const held = this.table(table);
    held.delete(row.id); // to the end: the order of use (keep())
    held.set(row.id, row);
    let set = this.dirty.get(table);
    if (!set) this.dirty.set(table, (set = new Set()));
    set.add(row.id);
  }

  /**
   * One upsert per table of the changed rows, sent as a single JSON parameter that the server
   * turns into rows (jsonb_populate_recordset): no statement with thousands of parameters to
   * build, send and parse; all of them in one statement (writeTogether). Returns how many rows
   * were written.
   */
  async flush(): Promise<number> {
    const { statements, rows } = this.upserts();
    await writeTogether(this.trx, statements);
    return rows;
  }

  /** The upserts flush() runs (the changed rows, then marked clean), for flushTogether. */
  upserts(): { statements: RawBuilder<unknown>[]; rows: number } {
    const statements: RawBuilder<unknown>[] = [];
    let written = 0;
    for (const [table, ids] of this.dirty) {
      const spec = this.specs.get(table)!;
      const cache = this.table(table);
      const rows: Row[] = [];
      // Keys the JSON lacks (undefined values) become NULL columns, and keys that are not columns
      // are ignored: what completeRow would make of each row.
      for (const id of ids) rows.push(cache.get(id)!);
      const target = `${ident(this.schema)}.${ident(table)}`;
      const columns = ['id', ...Object.keys(spec.columns).map(ident)];
      statements.push(sql`INSERT INTO ${sql.raw(target)} AS t (${sql.raw(columns.join(', '))})
        SELECT ${sql.raw(columns.join(', '))} FROM jsonb_populate_recordset(NULL::${sql.raw(target)}, ${JSON.stringify(rows)}::jsonb)
        ON CONFLICT (id) DO UPDATE SET ${sql.raw(updatesOf(spec))}`);
      written += rows.length;
    }
    this.dirty.clear();
    return { statements, rows: written };
  }

  private table(name: string): Map<string, Row> {
    const t = this.rows.get(name);
    if (!t) throw new Error(`projection has no table ${name}`);
    return t;
  }
}

/**
 * The SET list of a table's upsert. A jsonb or text[] value equal to the stored one is kept as
 * stored (issue 13): a value of over ~2 kB lives compressed in the table's TOAST relation, and
 * assigning the new, equal, value from the JSON compressed it again and wrote new TOAST rows and
 * their WAL, while keeping the old datum keeps its TOAST pointer. A meeting row (its invitees and
 * attendance) was rewritten that way for every attendance, minutes or delivery event about it.
 * The comparison reads the stored value back, which costs less than writing it.
 */
const setLists = new WeakMap<TableSpec, string>();
function updatesOf(spec: TableSpec): string {
  let list = setLists.get(spec);
  if (list === undefined) {
    list = Object.entries(spec.columns)
      .map(([column, type]) => {
        const c = ident(column);
        return type === 'jsonb' || type === 'text[]' ? `${c} = CASE WHEN t.${c} IS NOT DISTINCT FROM excluded.${c} THEN t.${c} ELSE excluded.${c} END` : `${c} = excluded.${c}`;
      })
      .join(', ');
    setLists.set(spec, list);
  }
  return list;
}

/**
 * Reads the rows of several stores (projections applying one batch together), every table in one
 * statement (issue 13: one round trip instead of one per table and projection). Each row comes
 * back as jsonb, which reads as pg's own parsers read these column types (ColumnType: text,
 * integer, bigint as a number, boolean, double precision, text[] and jsonb): the same values.
 */
export async function loadTogether(trx: Kysely<any>, parts: { store: PgBatchStore; refs: RowRef[] }[]): Promise<void> {
  const wanted = parts.flatMap(({ store, refs }) => store.missing(refs).map((m) => ({ store, ...m })));
  if (wanted.length === 0) return;
  const selects = wanted.map((w, i) => sql`SELECT ${sql.raw(String(i))} AS q, to_jsonb(loaded.*) AS r FROM ${sql.raw(w.target)} AS loaded WHERE loaded.id = ANY(${w.ids}::text[])`);
  const { rows } = await sql<{ q: number; r: Row }>`${sql.join(selects, sql` UNION ALL `)}`.execute(trx);
  for (const { q, r } of rows) wanted[q]!.store.received(wanted[q]!.table, r);
}

/** The changed rows of several stores (projections applying one batch together) in one statement. */
export async function flushTogether(trx: Kysely<any>, stores: PgBatchStore[]): Promise<void> {
  await writeTogether(trx, stores.flatMap((s) => s.upserts().statements));
}

/**
 * Upserts in one statement, each a data-modifying CTE (issue 13: one round trip instead of one per
 * table and projection). Each writes another table, so no row is written twice in the statement.
 */
async function writeTogether(trx: Kysely<any>, statements: RawBuilder<unknown>[]): Promise<void> {
  if (statements.length === 1) await statements[0]!.execute(trx);
  if (statements.length <= 1) return;
  await sql`WITH ${sql.join(statements.map((w, i) => sql`${sql.raw(`w${i}`)} AS (${w})`))} SELECT 1`.execute(trx);
}
