import type pg from 'pg';
import type { MessageKind } from './kinds';
import type { Reactor } from './reactor';
import type { Clock, Logger } from './types';
import type { TickResult } from './workers-types';

// One tick: plan from the feed (reactor) and the clock (kinds with a tick, e.g. data due), then
// dispatch what is due and, at most every sweepIntervalMs, sweep jobs Redis lost. Ticks run one
// after another; a background loop ticks every intervalMs.

export interface TickerOptions {
  pool: pg.Pool;
  clock: Clock;
  logger: Logger;
  roles: { planner: boolean; dispatcher: boolean };
  reactor: Reactor;
  kinds: readonly MessageKind[];
  dispatcher: { dispatchDue(): Promise<{ dispatched: number; error?: unknown }> };
  sweeper: { sweep(): Promise<{ redispatched: string[] }> };
  sweepIntervalMs: number;
  intervalMs: number | null;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const empty = (): TickResult => ({ planned: 0, dataDuePlanned: 0, dispatched: 0, redispatched: 0 });

export function createTicker(o: TickerOptions) {
  let lastSweep = 0;
  let lastTick: TickResult | null = null;
  let lastError: string | null = null;
  let ticking: Promise<TickResult> = Promise.resolve(empty());

  async function plan(result: TickResult): Promise<void> {
    result.planned = await o.reactor.catchUp();
    for (const kind of o.kinds) if (kind.tick) result.dataDuePlanned += await kind.tick(o.pool, o.clock());
  }

  async function dispatch(result: TickResult): Promise<void> {
    const d = await o.dispatcher.dispatchDue();
    result.dispatched = d.dispatched;
    if (d.error) {
      result.dispatchError = message(d.error);
      o.logger.warn({ err: result.dispatchError }, 'dispatch failed; due deliveries wait in PostgreSQL');
      return;
    }
    if (Date.now() - lastSweep < o.sweepIntervalMs) return;
    try {
      result.redispatched = (await o.sweeper.sweep()).redispatched.length;
      lastSweep = Date.now();
    } catch (error) {
      result.dispatchError = message(error);
      o.logger.warn({ err: result.dispatchError }, 'sweep of dispatched deliveries failed; retried next tick');
    }
  }

  async function runTick(): Promise<TickResult> {
    const result = empty();
    if (o.roles.planner) await plan(result);
    if (o.roles.dispatcher) await dispatch(result);
    lastTick = result;
    lastError = result.dispatchError ?? null;
    return result;
  }

  const tick = () => {
    const next = ticking.then(runTick, runTick);
    ticking = next.catch((error) => {
      lastError = message(error);
      o.logger.error({ err: lastError }, 'worker tick failed');
      return empty();
    });
    return next;
  };

  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  if (o.intervalMs !== null && (o.roles.planner || o.roles.dispatcher)) {
    const interval = o.intervalMs;
    const loop = () => {
      if (stopped) return;
      tick()
        .catch(() => undefined)
        .finally(() => {
          if (!stopped) timer = setTimeout(loop, interval);
        });
    };
    timer = setTimeout(loop, 0);
  }

  return {
    tick,
    state: () => ({ lastTick, lastError }),
    /** Stops the loop and waits for a tick in flight. */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await ticking.catch(() => undefined);
    },
  };
}
