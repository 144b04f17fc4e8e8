// bench:http's `pinned` target: the API process alone on CPU 0; PostgreSQL, Redis, the projector, the
// worker and the load generator on the other CPUs. It shows what command latency is when the API
// does not share its core, as a deployment that gives it its own cores would run it (issue 13:
// the p99 tail at moderate rates is processes waiting for a core). PostgreSQL's processes are
// moved for the run (new backends inherit the postmaster's mask) and given every CPU back at exit.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { postgresPids } from './cpu-share';

const cpus = os.cpus().length;
const ALL = `0-${cpus - 1}`;
/** The API's CPU, and everything else's. */
export const API_CPUS = '0';
export const REST_CPUS = cpus > 1 ? `1-${cpus - 1}` : '0';

/** Every thread of the process on these CPUs (taskset -a: V8's and libuv's threads too). */
export function setAffinity(pid: number | string, list: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', list, String(pid)], { stdio: 'ignore' });
}

/** The command that starts a program on these CPUs (taskset execs it: the pid stays the program's). */
export const pinned = (pin: boolean, list: string, file: string, args: string[]): [string, string[]] => (pin ? ['taskset', ['-c', list, file, ...args]] : [file, args]);

const movePostgres = (list: string) => {
  for (const pid of postgresPids()) {
    try {
      setAffinity(pid, list);
    } catch {
      // a backend that exited meanwhile
    }
  }
};

/**
 * Moves PostgreSQL, Redis and this process off the API's CPU until `release` (which gives them
 * every CPU back). A no-op when `pin` is false.
 */
export function pinBackground(pin: boolean, redisPid: number | undefined): { release(): void } {
  if (!pin) return { release: () => undefined };
  if (cpus < 2) throw new Error('the pinned target needs at least 2 CPUs');
  movePostgres(REST_CPUS);
  if (redisPid) setAffinity(redisPid, REST_CPUS);
  setAffinity(process.pid, REST_CPUS);
  console.log(`pinned: API on CPU ${API_CPUS}; PostgreSQL, Redis, projector, worker and this load generator on CPU ${REST_CPUS}`);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    movePostgres(ALL);
    if (redisPid) setAffinity(redisPid, ALL);
    setAffinity(process.pid, ALL);
  };
  process.once('exit', release);
  return { release };
}
