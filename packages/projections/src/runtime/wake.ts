import type { Kysely } from 'kysely';
import { isCaughtUp, lastSettledPosition, type ProjectionsDatabase } from './instances';

/**
 * A sleep that `wake()` cuts short: the scheduler sleeps between idle reads and a NOTIFY (or a
 * newly claimed instance) wakes it at once instead of waiting out the poll interval.
 */
export function createWakeableSleep() {
  const wakers = new Set<() => void>();
  return {
    wake() {
      for (const w of [...wakers]) w();
    },
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          wakers.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        wakers.add(done);
      }),
  };
}

/**
 * Resolves once every instance this process holds was idle at its last step, nothing is being
 * built, and nothing settled since (tests and `projections wait` use it).
 */
export async function waitUntilIdle(db: Kysely<any>, idleState: Map<string, boolean>, wakeAll: () => void): Promise<void> {
  for (;;) {
    const building = await (db as Kysely<ProjectionsDatabase>).selectFrom('projection_instances').select('schema_name').where('role', '=', 'building').execute();
    const allIdle = [...idleState.values()].every(Boolean) && idleState.size > 0;
    if (allIdle && building.length === 0) {
      // Idle means "was idle at the last step": make sure nothing settled since.
      if (await isCaughtUp(db, await lastSettledPosition(db))) return;
      wakeAll();
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const pause = (ms: number) => (ms > 0 ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve());

/**
 * Calls `fn` at most once per `intervalMs`: at once when the last call is that long ago, else once
 * at the end of the interval however many calls came meanwhile.
 */
export function createThrottle(intervalMs: number, fn: () => void) {
  let last = 0;
  let timer: NodeJS.Timeout | undefined;
  const fire = () => {
    timer = undefined;
    last = Date.now();
    fn();
  };
  const throttled = () => {
    if (timer) return;
    const wait = last + intervalMs - Date.now();
    if (wait <= 0) fire();
    else timer = setTimeout(fire, wait);
  };
  throttled.cancel = () => {
    clearTimeout(timer);
    timer = undefined;
  };
  return throttled;
}
