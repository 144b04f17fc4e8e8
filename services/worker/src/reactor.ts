import type pg from 'pg';
import { isTransientDatabaseError, listParked, noteParkedError, openParkedKeys, parkedPositions, parkEvent, parkingKeyOf, resolveParked, type ParkedKey } from '@convene/db';
import type { EventStore, RecordedEvent } from '@convene/eventstore';
import { createPlanner, plannedEventTypesOf } from './planner';
import { RecordedPeriods } from './recorded-periods';
import { defaultKinds, type MessageKind } from './kinds';
import type { Logger } from './types';

// The planning reactor: follows the gap-safe feed and, for each relevant event, writes, replaces
// or cancels rows of scheduled_deliveries, in ONE transaction with its checkpoint (whose row it
// locks, so instances and resumes take turns). A crash re-reads the batch.
//
// Poison events (issue 11.11): an event the planner cannot handle (a value the tables refuse, a
// shape the code did not expect) is rolled back alone (a savepoint per event), parked with its
// collaborative in consumer_parked_events, and logged; later events of that collaborative are
// parked behind it, in order, while every other collaborative goes on being planned. The worker's
// /health shows the parking; resume(key) replays the parked events after a fix. Transient errors
// (connection, deadlock, server) are never parked: the whole batch rolls back and is retried.

export { eventTime, reminderDueTimes } from './planner-rows';
export { createPlanner } from './planner';
export type { ParkedKey };

export const REACTOR_NAME = 'worker-delivery-planner';

/** The event types the default kinds plan from (a worker with other kinds: plannedEventTypesOf). */
export const plannedEventTypes = plannedEventTypesOf(defaultKinds);

export interface Reactor {
  /** Reads and plans until the feed is exhausted; returns the number of events handled. */
  catchUp(): Promise<number>;
  position(): Promise<number>;
  /** Open parkings (one per collaborative or stream). */
  parked(): Promise<ParkedKey[]>;
  /** Replays a key's parked events in order after a fix; stops (still parked) at one that fails again. */
  resume(key: string): Promise<{ replayed: number; stillParked: boolean }>;
}

/** A batch planned without savepoints met a non-transient error: it is rolled back and planned again, event by event. */
class PlanAgainIsolated extends Error {
  constructor(readonly original: unknown) {
    super('plan the batch again, each event alone');
  }
}

const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

export function createReactor(deps: { pool: pg.Pool; store: EventStore; logger?: Logger; batchSize?: number; kinds?: readonly MessageKind[] }): Reactor {
  const planner = createPlanner(deps);
  const types = plannedEventTypesOf(deps.kinds ?? defaultKinds);
  /** The checkpoint, its row created when missing (locked with `forUpdate`, inside a transaction). */
  async function checkpointOf(c: pg.Pool | pg.PoolClient, forUpdate: boolean): Promise<number> {
    const read = () => c.query<{ position: string }>(`SELECT position FROM worker_checkpoints WHERE name = $1${forUpdate ? ' FOR UPDATE' : ''}`, [REACTOR_NAME]);
    let { rows } = await read();
    if (!rows[0]) {
      await c.query(`INSERT INTO worker_checkpoints (name, position) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING`, [REACTOR_NAME]);
      ({ rows } = await read());
    }
    return Number(rows[0]?.position ?? 0);
  }
  const readCheckpoint = () => checkpointOf(deps.pool, false);

  /** Runs `fn` in a transaction holding the checkpoint row; gives it the checkpoint. */
  async function locked<T>(fn: (client: pg.PoolClient, position: number) => Promise<T>): Promise<T> {
    const client = await deps.pool.connect();
    try {
      // Planned rows and checkpoint commit or vanish together: a commit lost in an OS crash only
      // means planning its batch again (rows are keyed, so re-planning writes the same rows). Nothing
      // is sent for a planned row before the sender's claim commits, and that synchronous commit
      // flushes the WAL up to it, this commit included; so the planner need not wait for the flush
      // (issue 13: the WAL writer flushes it in the background). One round trip, as BEGIN was.
      await client.query('BEGIN; SET LOCAL synchronous_commit = off');
      const result = await fn(client, await checkpointOf(client, true));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Plans one event alone: null when it was planned, else the (non-transient) error it failed with. */
  async function applyIsolated(client: pg.PoolClient, event: RecordedEvent): Promise<unknown> {
    await client.query('SAVEPOINT planned_event');
    try {
      await planner.apply(client, event);
      await client.query('RELEASE SAVEPOINT planned_event');
      return null;
    } catch (error) {
      if (isTransientDatabaseError(error)) throw error;
      // Fails too when the connection is gone: then the whole batch is retried, nothing parked.
      await client.query('ROLLBACK TO SAVEPOINT planned_event').catch(() => {
        throw error;
      });
      return error ?? new Error('unknown error');
    }
  }

  const saveCheckpoint = (client: pg.PoolClient | pg.Pool, position: number) =>
    client.query('UPDATE worker_checkpoints SET position = $2, updated_at = now() WHERE name = $1', [REACTOR_NAME, position]);

  /**
   * One batch; the number of events read (0: the feed is exhausted; -1: another instance moved the
   * checkpoint meanwhile). The feed is read before the transaction, so no server connection is held
   * while another is awaited (a small pooler pool could not deadlock on it).
   */
  async function runBatch(): Promise<number> {
    const after = await readCheckpoint();
    const { events, next } = await deps.store.readAll({ after, limit: deps.batchSize ?? 200, types });
    // Nothing of ours: the checkpoint still moves past the other types' events (issue 11.12), in
    // one statement that only moves it from where this read started.
    if (events.length === 0) {
      if (next <= after) return 0;
      // Not waiting for the WAL flush either (a lost move is made again from the older position):
      // set_config(..., true) holds for this statement's own transaction, whose commit reads it.
      const moved = await deps.pool.query(
        `WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
         UPDATE worker_checkpoints SET position = $3, updated_at = now() FROM async WHERE name = $1 AND position = $2`,
        [REACTOR_NAME, after, next],
      );
      return moved.rowCount === 1 ? 0 : -1;
    }
    // Each event is planned alone (a savepoint each) only once a batch has failed: a batch without
    // a poison event (nearly all) is planned without two statements per event (issue 13).
    let poisoned: { key: string; event: RecordedEvent; error: string }[] = [];
    const plan = (isolated: boolean) =>
      locked(async (client, position) => {
        if (position !== after) return -1;
        poisoned = [];
        planner.clearCache();
        const parked = await openParkedKeys(client, REACTOR_NAME);
        // A batch planned whole writes the periods its events record in one statement at its end
        // (a failure there plans it again, event by event, each writing its own).
        const periods = isolated ? undefined : new RecordedPeriods();
        const planned = (error: unknown) => {
          throw isTransientDatabaseError(error) ? error : new PlanAgainIsolated(error);
        };
        for (const event of events) {
          const key = parkingKeyOf(event);
          if (parked.has(key)) {
            await parkEvent(client, REACTOR_NAME, key, event, null); // kept in order behind the poison
            continue;
          }
          if (periods) {
            await planner.apply(client, event, periods).catch(planned);
            continue;
          }
          const failed = await applyIsolated(client, event);
          if (failed !== null) {
            parked.add(key);
            poisoned.push({ key, event, error: errorText(failed) });
            await parkEvent(client, REACTOR_NAME, key, event, errorText(failed));
          }
        }
        if (periods) await periods.flush(client).catch(planned);
        await saveCheckpoint(client, next);
        return events.length;
      });
    const n = await plan(false).catch((error: unknown) => {
      if (error instanceof PlanAgainIsolated) return plan(true);
      throw error;
    });
    for (const p of poisoned) {
      deps.logger?.error(
        { parkedKey: p.key, position: p.event.globalPosition, eventId: p.event.eventId, eventType: p.event.type, err: p.error },
        'delivery planner parked a poison event: this collaborative is not planned until it is resumed; the others go on',
      );
    }
    return n;
  }

  async function run(): Promise<number> {
    let handled = 0;
    for (;;) {
      const n = await runBatch();
      if (n === 0) return handled;
      if (n > 0) handled += n;
    }
  }

  async function replay(key: string): Promise<{ replayed: number; stillParked: boolean }> {
    const parked = await parkedPositions(deps.pool, REACTOR_NAME, key);
    if (parked.length === 0) return { replayed: 0, stillParked: false };
    const wanted = new Set(parked.map((p) => p.eventId));
    const events: RecordedEvent[] = [];
    for (const streamId of new Set(parked.map((p) => p.streamId))) {
      events.push(...(await deps.store.readStream(streamId)).events.filter((e) => wanted.has(e.eventId)));
    }
    return locked(async (client) => {
      // Only what is still parked now (a concurrent resume may have done some).
      const still = new Set((await parkedPositions(client, REACTOR_NAME, key)).map((p) => p.eventId));
      if (still.size === 0) return { replayed: 0, stillParked: false };
      events.sort((a, b) => a.globalPosition - b.globalPosition);
      planner.clearCache();
      const done: string[] = [];
      for (const event of events.filter((e) => still.has(e.eventId))) {
        const failed = await applyIsolated(client, event);
        if (failed !== null) {
          await noteParkedError(client, REACTOR_NAME, event.eventId, errorText(failed));
          await resolveParked(client, REACTOR_NAME, done);
          deps.logger?.error({ parkedKey: key, eventId: event.eventId, err: errorText(failed) }, 'resumed planning failed again: still parked');
          return { replayed: done.length, stillParked: true };
        }
        done.push(event.eventId);
      }
      await resolveParked(client, REACTOR_NAME, done);
      deps.logger?.info({ parkedKey: key, replayed: done.length }, 'parked planning resumed');
      return { replayed: done.length, stillParked: false };
    });
  }

  // One pass at a time in this process; a caller's pass starts after the previous one.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };

  return {
    catchUp: () => serial(run),
    position: readCheckpoint,
    parked: () => listParked(deps.pool, REACTOR_NAME),
    resume: (key) => serial(() => replay(key)),
  };
}
