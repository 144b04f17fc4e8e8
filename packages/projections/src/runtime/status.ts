import { sql, type Kysely } from 'kysely';
import type { InstanceRole, ProjectionsDatabase } from './instances';

const pdb = (db: Kysely<any>) => db as Kysely<ProjectionsDatabase>;

/** Open parked streams of an instance (poison events), oldest first. */
export async function parkedStreams(db: Kysely<any>, schema?: string): Promise<{ schema: string; streamId: string; position: number; eventType: string; eventId: string | null; error: string }[]> {
  let q = pdb(db)
    .selectFrom('projection_failures')
    .select(['schema_name', 'stream_id', 'position', 'event_type', 'event_id', 'error'])
    .where('resolved_at', 'is', null)
    .where('stream_id', 'is not', null);
  if (schema) q = q.where('schema_name', '=', schema);
  const rows = await q.orderBy('position').execute();
  return rows.map((r) => ({ schema: r.schema_name, streamId: r.stream_id!, position: Number(r.position), eventType: r.event_type, eventId: r.event_id, error: r.error.split('\n')[0]! }));
}

export interface ProjectionStatus {
  name: string;
  version: number;
  schema: string;
  role: InstanceRole;
  status: 'running' | 'failed';
  position: number;
  eventsApplied: number;
  /** True when events the projection has not applied are settled in the store. */
  behind: boolean;
  failure: { position: number; eventType: string; error: string } | null;
  /** Streams skipped since a poison event (the projection goes on with the others). */
  parked: { streamId: string; position: number; eventType: string; error: string }[];
  /**
   * The lease: who runs it and until when. `stalled` when a lease ran out unreleased: its
   * projector stopped renewing (lost its database, hung, died) and none has taken it over yet.
   */
  lease: { holder: string; until: string } | null;
  stalled: boolean;
  updatedAt: string;
}

/** Every live, building and shadow instance, for /health and the admin API. */
export async function projectionStatus(db: Kysely<any>): Promise<{ healthy: boolean; projections: ProjectionStatus[] }> {
  const rows = await pdb(db)
    .selectFrom('projection_instances')
    .selectAll()
    .where('role', '<>', 'retired')
    .orderBy('name')
    .orderBy('created_at')
    .execute();
  const settled = await lastSettledPosition(db);
  const parked = await parkedStreams(db);
  const { rows: clock } = await sql<{ now: Date }>`SELECT now() AS now`.execute(db);
  const now = new Date(clock[0]!.now).getTime();
  const projections = rows.map((r) => ({
    name: r.name,
    version: r.version,
    schema: r.schema_name,
    role: r.role,
    status: r.status,
    position: Number(r.position),
    eventsApplied: Number(r.events_applied),
    behind: Number(r.position) < settled,
    failure:
      r.status === 'failed'
        ? { position: Number(r.failed_position), eventType: r.failed_event_type ?? '', error: r.last_error ?? '' }
        : null,
    parked: parked.filter((p) => p.schema === r.schema_name).map(({ streamId, position, eventType, error }) => ({ streamId, position, eventType, error })),
    lease: r.claimed_by && r.claimed_until ? { holder: r.claimed_by, until: new Date(r.claimed_until).toISOString() } : null,
    stalled: !!r.claimed_by && !!r.claimed_until && new Date(r.claimed_until).getTime() < now,
    updatedAt: new Date(r.updated_at).toISOString(),
  }));
  const unhealthy = (p: ProjectionStatus) => p.status !== 'running' || p.parked.length > 0 || (p.stalled && p.role !== 'shadow');
  return { healthy: !projections.some(unhealthy), projections };
}

/**
 * True when every live projection (or the named ones) has applied everything up to `position`:
 * what the API's `consistentWith` waits on after a command answered with that position.
 */
export async function isCaughtUp(db: Kysely<any>, position: number, names?: string[]): Promise<boolean> {
  let q = pdb(db)
    .selectFrom('projection_instances')
    .select(sql<number>`count(*) FILTER (WHERE position < ${position})`.as('lagging'))
    .where('role', '=', 'live');
  if (names && names.length > 0) q = q.where('name', 'in', names);
  const row = await q.executeTakeFirst();
  return Number(row?.lagging ?? 0) === 0;
}

/** The position of the last event that is settled (no event below it can still appear). */
export async function lastSettledPosition(db: Kysely<any>): Promise<number> {
  const { rows: s } = await sql<{ p: number }>`SELECT convene_safe_position() AS p`.execute(db);
  const { rows } = await sql<{ p: number | null }>`SELECT max(global_position) AS p FROM events WHERE global_position < ${Number(s[0]?.p ?? 0)}`.execute(db);
  return Number(rows[0]?.p ?? 0);
}
