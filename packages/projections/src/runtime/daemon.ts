import pg from 'pg';
import type { Kysely } from 'kysely';
import { EVENTS_CHANNEL, type EventStore } from '@convene/eventstore';
import { ensureInstance, isCaughtUp, lastSettledPosition, projectionStatus, resumeInstance, swapIn, type ProjectionsDatabase } from './instances';
import { ProjectionRunner, readFeed, silentLogger, type FeedBatch, type Logger, type RunnerOptions } from './runner';
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
  const batchSize = options.batchSize ?? 2000;
  const db = options.db;
  const byKey = new Map(options.projections.map((p) => [`${p.name}@${p.version}`, p]));
  const idleState = new Map<string, boolean>();
  /** An instance this process holds the lease of. */
  interface Member {
    schema: string;
    projection: Projection;
    runner: ProjectionRunner;
    /** In a running pipeline. */
    busy: boolean;
    /** Not to be scheduled before (after an idle read or an error); 0: at once. */
    retryAt: number;
  }
  const held = new Map<string, Member>();
  const pipelines = new Set<Promise<void>>();
  let wakeSeq = 0;
  let scheduler: Promise<void> = Promise.resolve();

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

  /** A NOTIFY (or idle()'s nudge): new events may be there, for every instance. */
  function wakeAll() {
    wakeSeq++;
    for (const m of held.values()) m.retryAt = 0;
    wakeScheduler();
  }
  function wakeScheduler() {
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

  async function release(m: Member) {
    held.delete(m.schema);
    idleState.delete(m.schema);
    if (!stopped) await lease.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LEASE_CLASS, m.schema]).catch(() => undefined);
  }

  const union = (members: Member[]) => [...new Set(members.flatMap((m) => m.runner.readTypes))];

  /**
   * Runs instances that stand at the same position together: each batch of the feed is read once
   * (for the union of their types) and applied to each of them, each in its own transaction with
   * its own checkpoint; the next batch is read while the current one is written.
   */
  async function pipeline(group: Member[], from: number) {
    let members = group;
    const read = (after: number) => {
      const p = readFeed(db, options.store, { from: after, limit: batchSize, types: union(members) });
      p.catch(() => undefined); // awaited below, or dropped with the pipeline
      return p;
    };
    let seq = wakeSeq;
    let next: Promise<FeedBatch> | undefined = read(from);
    try {
      while (!stopped && members.length > 0 && next) {
        const batch: FeedBatch = await next;
        if (batch.events.length === 0 && batch.to <= batch.from) {
          // Caught up: building instances swap in; all wait for a NOTIFY or the poll interval.
          const roles = await (db as Kysely<ProjectionsDatabase>).selectFrom('projection_instances').select(['schema_name', 'role']).where('schema_name', 'in', members.map((m) => m.schema)).execute();
          for (const r of roles) {
            if (r.role !== 'building') continue;
            await swapIn(db, r.schema_name);
            const m = members.find((x) => x.schema === r.schema_name)!;
            logger.info({ projection: m.projection.name, version: m.projection.version, schema: m.schema }, 'rebuilt projection swapped in');
          }
          for (const m of members) {
            idleState.set(m.schema, true);
            m.retryAt = seq === wakeSeq ? Date.now() + pollIntervalMs : 0;
          }
          return;
        }
        next = batch.full ? read(batch.to) : undefined;
        const results = await Promise.allSettled(members.map((m) => m.runner.applyBatch(batch)));
        const kept: Member[] = [];
        for (const [i, r] of results.entries()) {
          const m = members[i]!;
          if (r.status === 'fulfilled' && r.value.kind === 'applied') {
            idleState.set(m.schema, false);
            kept.push(m);
          } else if (r.status === 'fulfilled') {
            const v = r.value;
            logger.warn({ projection: m.projection.name, schema: m.schema, ...(v.kind === 'failed' ? { position: v.position, error: v.error } : v.kind === 'stopped' ? { reason: v.reason } : {}) }, 'projection runner stopped');
            m.busy = false;
            await release(m);
          } else {
            idleState.set(m.schema, false);
            logger.error({ projection: m.projection.name, schema: m.schema, err: (r.reason as Error)?.message }, 'projection batch failed; retrying');
            m.busy = false;
            m.retryAt = Date.now() + pollIntervalMs;
          }
        }
        members = kept;
        if (!next) {
          seq = wakeSeq;
          next = read(batch.to);
        }
      }
    } catch (error) {
      logger.error({ err: (error as Error).message, schemas: members.map((m) => m.schema) }, 'projection feed read failed; retrying');
      for (const m of members) {
        idleState.set(m.schema, false);
        m.retryAt = Date.now() + pollIntervalMs;
      }
    } finally {
      for (const m of members) m.busy = false;
    }
  }

  /** Groups the free instances by position and starts a pipeline per group. */
  async function schedule() {
    while (!stopped) {
      try {
        const now = Date.now();
        const free = [...held.values()].filter((m) => !m.busy && m.retryAt <= now);
        if (free.length > 0) {
          const rows = await (db as Kysely<ProjectionsDatabase>)
            .selectFrom('projection_instances')
            .select(['schema_name', 'position', 'role', 'status'])
            .where('schema_name', 'in', free.map((m) => m.schema))
            .execute();
          const byPosition = new Map<number, Member[]>();
          for (const m of free) {
            const row = rows.find((r) => r.schema_name === m.schema);
            if (!row || row.status !== 'running' || (row.role !== 'live' && row.role !== 'building')) {
              logger.warn({ projection: m.projection.name, schema: m.schema, reason: row ? `${row.role}/${row.status}` : 'gone' }, 'projection runner stopped');
              await release(m);
              continue;
            }
            const list = byPosition.get(Number(row.position)) ?? [];
            list.push(m);
            byPosition.set(Number(row.position), list);
          }
          for (const [position, group] of byPosition) {
            for (const m of group) m.busy = true;
            const p: Promise<void> = pipeline(group, position).finally(() => {
              pipelines.delete(p);
              wakeScheduler();
            });
            pipelines.add(p);
          }
        }
      } catch (error) {
        logger.error({ err: (error as Error).message }, 'projector scheduler failed; retrying');
      }
      const waits = [...held.values()].filter((m) => !m.busy).map((m) => m.retryAt - Date.now());
      await sleep(Math.max(0, Math.min(pollIntervalMs, ...waits)));
    }
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
      let added = false;
      for (const inst of instances) {
        const projection = byKey.get(`${inst.name}@${inst.version}`);
        if (!projection || held.has(inst.schema_name) || stopped) continue;
        const { rows } = await lease.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LEASE_CLASS, inst.schema_name]);
        if (!rows[0]?.ok) continue;
        idleState.set(inst.schema_name, false);
        const runner = new ProjectionRunner({ db, store: options.store, projection, schema: inst.schema_name, batchSize, logger, beforeCommit: options.beforeCommit });
        held.set(inst.schema_name, { schema: inst.schema_name, projection, runner, busy: false, retryAt: 0 });
        logger.info({ projection: projection.name, version: projection.version, schema: inst.schema_name }, 'projection runner started');
        added = true;
      }
      if (added) wakeScheduler();
    } catch (error) {
      logger.error({ err: (error as Error).message }, 'projector supervisor failed; retrying');
    }
    if (!stopped) supervisorTimer = setTimeout(() => void supervise(), pollIntervalMs);
  }
  await supervise();
  scheduler = schedule();

  async function stop() {
    if (stopped) return;
    stopped = true;
    clearTimeout(supervisorTimer);
    wakeAll();
    await scheduler;
    while (pipelines.size > 0) await Promise.allSettled([...pipelines]);
    await lease.end().catch(() => undefined);
  }

  return {
    stop,
    isCaughtUp: (position, names) => isCaughtUp(db, position, names),
    status: () => projectionStatus(db),
    held: () => [...held.keys()],
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
