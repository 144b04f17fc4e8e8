import pg from 'pg';
import type { Kysely } from 'kysely';
import { EVENTS_CHANNEL, type EventStore } from '@convene/eventstore';
import { ensureInstance, isCaughtUp, lastSettledPosition, projectionStatus, resumeInstance, swapIn, type ProjectionsDatabase } from './instances';
import { ProjectionRunner, silentLogger, type Logger, type RunnerOptions } from './runner';
import type { Projection } from './types';

export interface ProjectorOptions {
  pool: pg.Pool;
  db: Kysely<any>;
  store: EventStore;
  projections: Projection[];
  logger?: Logger;
  batchSize?: number;
  /** How often idle runners poll and the supervisor looks for instances to take (a NOTIFY may be missed). */
  pollIntervalMs?: number;
  /** Retry failed instances of this code's versions when starting (a restart after a fix). Default true. */
  resumeFailed?: boolean;
  beforeCommit?: RunnerOptions['beforeCommit'];
}

export interface RunningProjector {
  stop(): Promise<void>;
  isCaughtUp(position: number, names?: string[]): Promise<boolean>;
  status(): ReturnType<typeof projectionStatus>;
  /** Resolves when every projection this process runs has nothing left to apply and none is building. */
  idle(): Promise<void>;
  /** Schemas whose lease this process holds. */
  held(): string[];
}

const LEASE_CLASS = 1129729654; // advisory-lock namespace of projection leases

/**
 * Runs every projection: each instance (live, or building a new version) under a session
 * advisory lock held by this process's lease connection, so with several processes each
 * instance runs in exactly one. Losing the connection releases the leases.
 */
export async function startProjectorRuntime(options: ProjectorOptions): Promise<RunningProjector> {
  const logger = options.logger ?? silentLogger;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const db = options.db;
  const byKey = new Map(options.projections.map((p) => [`${p.name}@${p.version}`, p]));
  const loops = new Map<string, Promise<void>>();
  const idleState = new Map<string, boolean>();
  const wakers = new Set<() => void>();
  let stopped = false;
  let supervisorTimer: NodeJS.Timeout | undefined;

  const lease = new pg.Client({ connectionString: (options.pool as unknown as { options: { connectionString: string } }).options.connectionString });
  await lease.connect();
  lease.on('error', (err) => {
    logger.error({ err: err.message }, 'projector lease connection lost: stopping');
    void stop();
  });
  lease.on('notification', () => wakeAll());
  await lease.query(`LISTEN ${EVENTS_CHANNEL}`);

  function wakeAll() {
    for (const w of [...wakers]) w();
  }
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  if (options.resumeFailed !== false) {
    const failed = await (db as Kysely<ProjectionsDatabase>)
      .selectFrom('projection_instances')
      .select(['schema_name', 'name', 'version'])
      .where('status', '=', 'failed')
      .where('role', 'in', ['live', 'building'])
      .execute();
    for (const f of failed) if (byKey.has(`${f.name}@${f.version}`)) await resumeInstance(db, f.schema_name);
  }

  async function run(schema: string, projection: Projection) {
    const runner = new ProjectionRunner({ db, store: options.store, projection, schema, batchSize: options.batchSize, logger, beforeCommit: options.beforeCommit });
    logger.info({ projection: projection.name, version: projection.version, schema }, 'projection runner started');
    while (!stopped) {
      try {
        const r = await runner.step();
        if (r.kind === 'applied') {
          idleState.set(schema, false);
          continue;
        }
        if (r.kind === 'idle') {
          const inst = await (db as Kysely<ProjectionsDatabase>).selectFrom('projection_instances').select('role').where('schema_name', '=', schema).executeTakeFirst();
          if (inst?.role === 'building') {
            await swapIn(db, schema);
            logger.info({ projection: projection.name, version: projection.version, schema }, 'rebuilt projection swapped in');
          }
          idleState.set(schema, true);
          await sleep(pollIntervalMs);
          continue;
        }
        logger.warn({ projection: projection.name, schema, ...(r.kind === 'failed' ? { position: r.position, error: r.error } : { reason: r.reason }) }, 'projection runner stopped');
        break;
      } catch (error) {
        idleState.set(schema, false);
        logger.error({ projection: projection.name, schema, err: (error as Error).message }, 'projection batch failed; retrying');
        await sleep(pollIntervalMs);
      }
    }
    idleState.delete(schema);
    if (!stopped) await lease.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LEASE_CLASS, schema]).catch(() => undefined);
  }

  async function supervise() {
    if (stopped) return;
    try {
      for (const p of options.projections) await ensureInstance(db, p);
      const instances = await (db as Kysely<ProjectionsDatabase>)
        .selectFrom('projection_instances')
        .select(['schema_name', 'name', 'version', 'status'])
        .where('role', 'in', ['live', 'building'])
        .where('status', '=', 'running')
        .execute();
      for (const inst of instances) {
        const projection = byKey.get(`${inst.name}@${inst.version}`);
        if (!projection || loops.has(inst.schema_name) || stopped) continue;
        const { rows } = await lease.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LEASE_CLASS, inst.schema_name]);
        if (!rows[0]?.ok) continue;
        idleState.set(inst.schema_name, false);
        const loop = run(inst.schema_name, projection).finally(() => loops.delete(inst.schema_name));
        loops.set(inst.schema_name, loop);
      }
    } catch (error) {
      logger.error({ err: (error as Error).message }, 'projector supervisor failed; retrying');
    }
    if (!stopped) supervisorTimer = setTimeout(() => void supervise(), pollIntervalMs);
  }
  await supervise();

  async function stop() {
    if (stopped) return;
    stopped = true;
    clearTimeout(supervisorTimer);
    wakeAll();
    await Promise.allSettled([...loops.values()]);
    await lease.end().catch(() => undefined);
  }

  return {
    stop,
    isCaughtUp: (position, names) => isCaughtUp(db, position, names),
    status: () => projectionStatus(db),
    held: () => [...loops.keys()],
    async idle() {
      for (;;) {
        const building = await (db as Kysely<ProjectionsDatabase>)
          .selectFrom('projection_instances')
          .select('schema_name')
          .where('role', '=', 'building')
          .execute();
        const allIdle = [...idleState.values()].every(Boolean) && idleState.size > 0;
        if (allIdle && building.length === 0) {
          // Idle means "was idle at the last step": make sure nothing settled since.
          if (await isCaughtUp(db, await lastSettledPosition(db))) return;
          wakeAll();
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}
