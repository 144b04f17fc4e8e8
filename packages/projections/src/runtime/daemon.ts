import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { EventStore } from '@convene/eventstore';
import { ensureInstance, isCaughtUp, pdb, projectionStatus, resumeFailedInstances, swapInBuilt } from './instances';
import { advanceCheckpoints, keptRowsSetting, ProjectionRunner, readFeed, silentLogger, type FeedBatch, type Logger, type RunnerOptions, type StepResult } from './runner';
import type { Projection } from './types';
import type { Member, ProjectorHealth, ProjectorOptions, RunningProjector } from './daemon-types';
import { createListenConnection } from './listen-connection';
import { applyTogether } from './group-apply';
import { LeaseKeeper } from './leases';
import { createThrottle, createWakeableSleep, pause, waitUntilIdle } from './wake';

export type { ProjectorOptions, ProjectorHealth, RunningProjector } from './daemon-types';

/**
 * Runs every projection: each instance (live, or building a new version) under a lease — a row
 * claim with an expiry (projection_instances.claimed_by/claimed_until), renewed by heartbeat
 * through the ordinary pool — so with several processes each instance runs in one, also behind a
 * transaction pooler, and a dead holder's lease is taken over once it expires. A dropped
 * connection costs nothing but a reconnect: the pool opens a new one, the LISTEN connection is
 * reopened (the runners poll meanwhile). Batches commit only under the runner's own lease.
 */
export async function startProjectorRuntime(options: ProjectorOptions): Promise<RunningProjector> {
  const logger = options.logger ?? silentLogger;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const batchSize = options.batchSize ?? 2000;
  const db = options.db;
  keptRowsSetting(); // a bad PROJECTOR_ROW_CACHE stops the start, not a runner later
  const byKey = new Map(options.projections.map((p) => [`${p.name}@${p.version}`, p]));
  const idleState = new Map<string, boolean>();
  const held = new Map<string, Member>();
  const pipelines = new Set<Promise<void>>();
  let wakeSeq = 0;
  let scheduler: Promise<void> = Promise.resolve();

  const { wake: wakeScheduler, sleep } = createWakeableSleep();
  /** A pipeline waiting a little longer for a commit before it calls itself caught up. */
  const lingering = createWakeableSleep();
  let stopped = false;
  let supervisorTimer: NodeJS.Timeout | undefined;
  let supervising: Promise<void> = Promise.resolve();

  const holderId = options.holderId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const ttlMs = options.leaseTtlMs ?? 30_000;
  const health: ProjectorHealth = { listening: false, leasesValid: true, lastError: null };

  const connectionString = options.listenUrl ?? (options.pool as unknown as { options: { connectionString: string } }).options.connectionString;
  const listener = createListenConnection({
    connectionString,
    retryMs: Math.min(pollIntervalMs * 2, 5000),
    logger,
    onWake: () => throttledWake(),
    onState(listening, error) {
      health.listening = listening;
      if (error) health.lastError = error;
    },
  });

  const minReadIntervalMs = options.minReadIntervalMs ?? 50;
  // Commit notifications start pipelines at most every minReadIntervalMs (idle()'s nudge at once).
  const throttledWake = createThrottle(minReadIntervalMs, () => wakeAll());

  /** A NOTIFY (or idle()'s nudge): new events may be there, for every instance. */
  function wakeAll() {
    wakeSeq++;
    for (const m of held.values()) m.retryAt = 0;
    wakeScheduler();
    lingering.wake();
  }

  if (options.resumeFailed !== false) await resumeFailedInstances(db, (name, version) => byKey.has(`${name}@${version}`));

  const leases = new LeaseKeeper({
    db,
    holderId,
    ttlMs,
    logger,
    held: () => [...held.keys()],
    onLost(schema) {
      const m = held.get(schema);
      if (!m) return;
      logger.warn({ projection: m.projection.name, schema }, 'projection lease lost to another projector');
      held.delete(schema);
      idleState.delete(schema);
    },
    onExpired(reason) {
      if (held.size === 0) return;
      health.leasesValid = false;
      logger.error({ reason, schemas: [...held.keys()] }, 'projection leases expired: runners stop until they are claimed again');
      held.clear();
      idleState.clear();
    },
    onError: (message) => void (health.lastError = message),
    onRenewed: () => void (health.leasesValid = true),
  });
  async function release(m: Member) {
    held.delete(m.schema);
    idleState.delete(m.schema);
    await leases.release(m.schema);
  }
  const heartbeatTimer = setInterval(() => void (stopped || leases.renew()), Math.max(50, Math.floor(ttlMs / 3)));

  const union = (members: Member[]) => [...new Set(members.flatMap((m) => m.runner.readTypes))];

  /**
   * Runs instances that stand at the same position together: each batch of the feed is read once
   * (for the union of their types) and applied to all of them; the next is read while it is written.
   */
  async function pipeline(group: Member[], from: number) {
    let members = group;
    let readStarted = 0;
    const read = (after: number) => {
      readStarted = Date.now();
      const p = readFeed(options.store, { from: after, limit: batchSize, types: union(members) });
      p.catch(() => undefined); // awaited below, or dropped with the pipeline
      return p;
    };
    let seq = wakeSeq;
    let next: Promise<FeedBatch> | undefined = read(from);
    /** Caught up: building instances swap in; all wait for a NOTIFY or the poll interval. */
    const caughtUp = async () => {
      const building = members.filter((m) => m.building).map((m) => m.schema);
      for (const schema of building.length > 0 ? await swapInBuilt(db, building) : []) {
        const m = members.find((x) => x.schema === schema)!;
        logger.info({ projection: m.projection.name, version: m.projection.version, schema }, 'rebuilt projection swapped in');
      }
      for (const m of members) {
        idleState.set(m.schema, true);
        m.retryAt = seq === wakeSeq ? Date.now() + pollIntervalMs : 0;
      }
    };
    try {
      while (!stopped && members.length > 0 && next) {
        const batch: FeedBatch = await next;
        if (batch.events.length === 0 && batch.to <= batch.from) return await caughtUp();
        next = batch.full ? read(batch.to) : undefined;
        // Members with nothing in this batch only move their checkpoints; the busy ones apply it in
        // one transaction together (group-apply.ts) whose checkpoint UPDATE moves the idle ones too
        // (issue 13: nine projections woken by each commit). When that cannot be (an erasure, a
        // poison event, a checkpoint elsewhere), the idle ones move in one statement and the busy
        // ones apply it each in its own transaction, as does a member whose checkpoint could not move.
        const idle = batch.to > batch.from ? members.filter((m) => m.runner.nothingToApply(batch)) : [];
        const joining = members.filter((m) => !idle.includes(m));
        const together = joining.length > 0 && joining.every((m) => m.runner.canJoin(batch)) && (await applyTogether(db, joining.map((m) => m.runner), batch, holderId, idle.map((m) => m.schema)));
        const moved = together ? new Set(idle.map((m) => m.schema)) : await advanceCheckpoints(db, idle.map((m) => m.schema), batch.from, batch.to, holderId);
        const results = await Promise.allSettled(
          members.map((m): Promise<StepResult> => {
            if (!moved.has(m.schema) && !together) return m.runner.applyBatch(batch);
            if (moved.has(m.schema)) m.runner.movedWithoutBatch(batch.from, batch.to);
            return Promise.resolve({ kind: 'applied', events: 0, position: batch.to });
          }),
        );
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
        // The next read waits until minReadIntervalMs after the last one began: it then takes what
        // many commits left instead of one each (issue 13). If no commit was announced by then, the
        // last read took all there was: caught up without an empty read (~0.4 ms of server time
        // after every wake), unless an instance is building (it reads on to an empty read, to swap in).
        if (!next && members.length > 0) {
          await pause(readStarted + minReadIntervalMs - Date.now());
          // Half an interval more for an announcement (cut short by one): the notifier's own period is
          // a little over minReadIntervalMs, and a pipeline that stops goes through the scheduler again.
          if (seq === wakeSeq) await lingering.sleep(minReadIntervalMs / 2);
          if (seq === wakeSeq && !members.some((m) => m.building)) return await caughtUp();
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
          const rows = await pdb(db).selectFrom('projection_instances').select(['schema_name', 'position', 'role', 'status'])
            .where('schema_name', 'in', free.map((m) => m.schema)).execute();
          const byPosition = new Map<number, Member[]>();
          for (const m of free) {
            const row = rows.find((r) => r.schema_name === m.schema);
            if (!row || row.status !== 'running' || (row.role !== 'live' && row.role !== 'building')) {
              logger.warn({ projection: m.projection.name, schema: m.schema, reason: row ? `${row.role}/${row.status}` : 'gone' }, 'projection runner stopped');
              await release(m);
              continue;
            }
            byPosition.set(Number(row.position), [...(byPosition.get(Number(row.position)) ?? []), m]);
          }
          for (const [position, group] of byPosition) {
            for (const m of group) {
              m.busy = true;
              m.building = rows.find((r) => r.schema_name === m.schema)?.role === 'building';
            }
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
      // One query a second, not one per projection (issue 13): only a projection with no live or
      // building instance of its version needs ensureInstance (start-up, a new version, a retire).
      const current = () => pdb(db).selectFrom('projection_instances').select(['schema_name', 'name', 'version', 'status']).where('role', 'in', ['live', 'building']).execute();
      let instances = await current();
      const missing = options.projections.filter((p) => !instances.some((i) => i.name === p.name && i.version === p.version));
      for (const p of missing) await ensureInstance(db, p);
      if (missing.length > 0) instances = await current();
      let added = false;
      for (const inst of instances.filter((i) => i.status === 'running')) {
        const projection = byKey.get(`${inst.name}@${inst.version}`);
        if (!projection || held.has(inst.schema_name) || stopped) continue;
        if (!(await leases.claim(inst.schema_name))) continue;
        if (stopped) {
          // stop() ran while the claim was in flight: it has already released what it held.
          await leases.release(inst.schema_name);
          continue;
        }
        idleState.set(inst.schema_name, false);
        const runner = new ProjectionRunner({ db, store: options.store, projection, schema: inst.schema_name, batchSize, logger, beforeCommit: options.beforeCommit, leaseHolder: holderId });
        held.set(inst.schema_name, { schema: inst.schema_name, projection, runner, busy: false, retryAt: 0 });
        logger.info({ projection: projection.name, version: projection.version, schema: inst.schema_name }, 'projection runner started');
        added = true;
      }
      if (added) wakeScheduler();
    } catch (error) {
      logger.error({ err: (error as Error).message }, 'projector supervisor failed; retrying');
    }
    if (!stopped) supervisorTimer = setTimeout(() => void (supervising = supervise()), pollIntervalMs);
  }
  await listener.start();
  await (supervising = supervise());
  scheduler = schedule();

  async function stop() {
    if (stopped) return;
    stopped = true;
    throttledWake.cancel();
    clearTimeout(supervisorTimer);
    clearInterval(heartbeatTimer);
    wakeAll();
    // A claim in flight when stop() ran is released by supervise itself: wait for it.
    await supervising;
    await scheduler;
    while (pipelines.size > 0) await Promise.allSettled([...pipelines]);
    for (const m of [...held.values()]) await release(m);
    // Leases dropped from the map (renewals failed past the lease time) may still name us.
    await leases.releaseAll();
    await listener.stop();
  }

  return {
    stop,
    isCaughtUp: (position, names) => isCaughtUp(db, position, names),
    status: () => projectionStatus(db),
    held: () => [...held.keys()],
    health: () => ({ ...health }),
    holderId,
    idle: () => waitUntilIdle(db, idleState, wakeAll),
  };
}
