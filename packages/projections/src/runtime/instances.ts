import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { createTables, dropRetiredSchema, dropSchema, ident } from './pg-store';
import type { Projection } from './types';

export type InstanceRole = 'live' | 'building' | 'shadow' | 'retired';

export interface ProjectionInstancesTable {
  schema_name: string;
  name: string;
  version: number;
  role: InstanceRole;
  status: 'running' | 'failed';
  position: number;
  events_applied: number;
  failed_position: number | null;
  failed_event_type: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  /** The projector holding the lease (migrations/0710), and until when (renewed by heartbeat). */
  claimed_by: string | null;
  claimed_until: Date | null;
}

export interface ProjectionFailuresTable {
  id: number;
  schema_name: string;
  name: string;
  version: number;
  position: number;
  event_id: string | null;
  event_type: string;
  error: string;
  occurred_at: Date;
  resolved_at: Date | null;
  /** Set when the failure parks one stream (the projection goes on with the others). */
  stream_id: string | null;
}

/** The bookkeeping tables of migrations/0200_projections.sql. */
export interface ProjectionsDatabase {
  projection_instances: ProjectionInstancesTable;
  projection_failures: ProjectionFailuresTable;
}

export type Instance = ProjectionInstancesTable;

/** The projections' own tables, typed, on any Kysely of the database. */
export const pdb = (db: Kysely<any>) => db as Kysely<ProjectionsDatabase>;

/** Creates a fresh schema and instance row; `live` only when the projection has no live instance. */
export async function createInstance(db: Kysely<any>, projection: Projection, role: InstanceRole): Promise<Instance> {
  const schema = ident(`rm_${projection.name}_v${projection.version}_${randomBytes(3).toString('hex')}`);
  await createTables(db, schema, projection.tables);
  // Every event committed before this instance existed lies below this position (see erasures).
  await sql.raw(`CREATE TABLE ${schema}._instance (created_position bigint NOT NULL);
    INSERT INTO ${schema}._instance SELECT convene_safe_position()`).execute(db);
  return pdb(db)
    .insertInto('projection_instances')
    .values({ schema_name: schema, name: projection.name, version: projection.version, role } as never)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The safe position when the instance was created: it read nothing before that moment, so an
 * erasure below it was committed (keys deleted) before any of its reads. 0 when unknown.
 */
export async function createdPosition(db: Kysely<any>, schema: string): Promise<number> {
  const { rows } = await sql<{ p: number | null }>`
    SELECT CASE WHEN to_regclass(${`${ident(schema)}._instance`}) IS NULL THEN 0 END AS p`.execute(db);
  if (rows[0]?.p === 0) return 0;
  const { rows: found } = await sql<{ p: number }>`SELECT created_position AS p FROM ${sql.table(`${schema}._instance`)}`.execute(db);
  return Number(found[0]?.p ?? 0);
}

const ERASURE_LOCK = 1129729655; // advisory-lock namespace: one erasure rebuild decision per projection at a time

/**
 * Called in the batch transaction of an instance that applied a `PersonalDataErased` event at
 * `position` and may hold values read before it: makes sure a build created after the erasure
 * exists (creating one from position 0 when none does; it swaps in when caught up). A building
 * instance that is itself stale retires, so it never swaps in. Returns the schema to drop after
 * the commit (the retired instance's), if any.
 */
export async function rebuildAfterErasure(trx: Kysely<any>, projection: Projection, self: { schema: string; role: InstanceRole; version: number }, position: number): Promise<{ created?: string; retire?: string }> {
  await sql`SELECT pg_advisory_xact_lock(${ERASURE_LOCK}, hashtext(${projection.name}))`.execute(trx);
  const building = await pdb(trx)
    .selectFrom('projection_instances')
    .select(['schema_name', 'version'])
    .where('name', '=', projection.name)
    .where('role', '=', 'building')
    .where('version', '>=', self.version)
    .where('schema_name', '<>', self.schema)
    .execute();
  let clean = false;
  for (const b of building) if ((await createdPosition(trx, b.schema_name)) > position) clean = true;
  const out: { created?: string; retire?: string } = {};
  if (!clean) out.created = (await createInstance(trx, projection, 'building')).schema_name;
  if (self.role === 'building') {
    await pdb(trx)
      .updateTable('projection_instances')
      .set({ role: 'retired', updated_at: sql`now()` } as never)
      .where('schema_name', '=', self.schema)
      .execute();
    out.retire = self.schema;
  }
  return out;
}

export async function getInstance(db: Kysely<any>, schema: string): Promise<Instance | undefined> {
  return pdb(db).selectFrom('projection_instances').selectAll().where('schema_name', '=', schema).executeTakeFirst();
}

export async function liveInstance(db: Kysely<any>, name: string): Promise<Instance | undefined> {
  return pdb(db)
    .selectFrom('projection_instances')
    .selectAll()
    .where('name', '=', name)
    .where('role', '=', 'live')
    .executeTakeFirst();
}

/** The schema queries read a projection from. */
export async function liveSchema(db: Kysely<any>, name: string): Promise<string | undefined> {
  return (await liveInstance(db, name))?.schema_name;
}

/**
 * Makes sure the code's version of the projection has an instance to run: the live one when it
 * is of this version, else a building one (created when missing, or the first live one). None
 * when a newer version is live.
 */
export async function ensureInstance(db: Kysely<any>, projection: Projection): Promise<Instance | undefined> {
  const existing = await pdb(db)
    .selectFrom('projection_instances')
    .selectAll()
    .where('name', '=', projection.name)
    .where('version', '=', projection.version)
    .where('role', 'in', ['live', 'building'])
    .orderBy('role', 'desc') // 'live' first
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
  if (existing) return existing;
  const live = await liveInstance(db, projection.name);
  // Code older than the live version (a rolling deploy) builds nothing: the newer code owns it.
  if (live && live.version > projection.version) return undefined;
  try {
    return await createInstance(db, projection, live ? 'building' : 'live');
  } catch (error) {
    // Another process created the live instance at the same moment.
    if ((error as { code?: string }).code === '23505') return createInstance(db, projection, 'building');
    throw error;
  }
}

/** Swaps a caught-up building instance in: it becomes live, the old live one retires and its tables go. */
/** Swaps in those of `schemas` that are being built (their runners have caught up); returns them. */
/** Resumes the failed live and building instances of the projections this process runs (`runs`). */
export async function resumeFailedInstances(db: Kysely<any>, runs: (name: string, version: number) => boolean): Promise<void> {
  const failed = await pdb(db)
    .selectFrom('projection_instances')
    .select(['schema_name', 'name', 'version'])
    .where('status', '=', 'failed')
    .where('role', 'in', ['live', 'building'])
    .execute();
  for (const f of failed) if (runs(f.name, f.version)) await resumeInstance(db, f.schema_name);
}

export async function swapInBuilt(db: Kysely<any>, schemas: string[]): Promise<string[]> {
  const building = await pdb(db).selectFrom('projection_instances').select('schema_name').where('schema_name', 'in', schemas).where('role', '=', 'building').execute();
  for (const r of building) await swapIn(db, r.schema_name);
  return building.map((r) => r.schema_name);
}

export async function swapIn(db: Kysely<any>, schema: string): Promise<void> {
  const retired = await db.transaction().execute(async (trx) => {
    const me = await pdb(trx)
      .selectFrom('projection_instances')
      .selectAll()
      .where('schema_name', '=', schema)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (me.role === 'live') return [];
    if (me.role !== 'building') throw new Error(`cannot swap in ${schema}: it is ${me.role}`);
    const current = await pdb(trx).selectFrom('projection_instances').select('version').where('name', '=', me.name).where('role', '=', 'live').executeTakeFirst();
    if (current && current.version > me.version) {
      // A newer version went live meanwhile (e.g. both were rebuilding after an erasure): never go back.
      await pdb(trx).updateTable('projection_instances').set({ role: 'retired', updated_at: sql`now()` } as never).where('schema_name', '=', schema).execute();
      return [schema];
    }
    const old = await pdb(trx)
      .updateTable('projection_instances')
      .set({ role: 'retired', updated_at: sql`now()` } as never)
      .where('name', '=', me.name)
      .where('role', '=', 'live')
      .returning('schema_name')
      .execute();
    await pdb(trx)
      .updateTable('projection_instances')
      .set({ role: 'live', updated_at: sql`now()` } as never)
      .where('schema_name', '=', schema)
      .execute();
    return old.map((o) => o.schema_name);
  });
  for (const old of retired) await dropRetiredSchema(db, old);
}

/** Removes an instance and its tables (shadows after a verify, abandoned builds). */
export async function dropInstance(db: Kysely<any>, schema: string): Promise<void> {
  await dropSchema(db, schema);
  await pdb(db).deleteFrom('projection_failures').where('schema_name', '=', schema).execute();
  await pdb(db).deleteFrom('projection_instances').where('schema_name', '=', schema).execute();
}

/**
 * Lets a failed instance run again (after a fix): the next runner retries the poison event. An
 * instance that parked streams skipped their events, so they cannot simply be applied now (they
 * would land out of order): resuming resolves the parked failures and starts a rebuild of the
 * instance's projection (a 'building' instance the projector fills and swaps in), which applies
 * them in order with the fixed code. Returns the rebuild's schema, if one was started.
 */
export async function resumeInstance(db: Kysely<any>, schema: string, projection?: Projection): Promise<{ rebuild?: string }> {
  const parked = await db.transaction().execute(async (trx) => {
    await pdb(trx)
      .updateTable('projection_instances')
      .set({ status: 'running', last_error: null, failed_position: null, failed_event_type: null, updated_at: sql`now()` } as never)
      .where('schema_name', '=', schema)
      .execute();
    return pdb(trx)
      .updateTable('projection_failures')
      .set({ resolved_at: sql`now()` } as never)
      .where('schema_name', '=', schema)
      .where('resolved_at', 'is', null)
      .returning('stream_id')
      .execute();
  });
  const me = await getInstance(db, schema);
  if (!projection || !me || me.role !== 'live' || !parked.some((p) => p.stream_id !== null)) return {};
  if (me.name !== projection.name) throw new Error(`instance ${schema} is not of projection ${projection.name}`);
  const building = await pdb(db).selectFrom('projection_instances').select('schema_name').where('name', '=', me.name).where('role', '=', 'building').executeTakeFirst();
  if (building) return { rebuild: building.schema_name };
  return { rebuild: (await createInstance(db, projection, 'building')).schema_name };
}

// Status reads (parked streams, per-instance status, caught-up checks) live in status.ts.
export { parkedStreams, projectionStatus, isCaughtUp, lastSettledPosition, type ProjectionStatus } from './status';
