// Where the machine's CPU goes during a step of the HTTP benchmark: per process of the target
// (API, projector, worker), PostgreSQL (every `postgres` process: backends, WAL writer,
// checkpointer), Redis, this bench process (the load generator) and the rest of the machine, each
// as CPU ms per successful command. On 2 cores everything shares, so this says which process a
// saturated machine is spending its cores on (issue 13). Also the machine's context switches per
// command: on a virtual machine each wake from idle is dear (docs/benchmarks.md, "The cost of waking
// up"), so how often the processes sleep and wake matters as much as what they compute.
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: /proc reports CPU time in clock ticks of 1/100 s on Linux. */
const TICKS_PER_SECOND = 100;

function ticksOf(pid: number | string): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  } catch {
    return 0; // exited
  }
}

function commOf(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The machine's PostgreSQL server processes (by command name: backends, WAL writer, checkpointer, …). */
export const postgresPids = (): string[] => readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && commOf(pid) === 'postgres');

/** Context switches (voluntary and not) of every thread of a process so far. */
function switchesOf(pid: number | string): number {
  let n = 0;
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8');
      for (const m of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)/gm)) n += Number(m[1]);
    }
  } catch {
    // exited
  }
  return n;
}

/** Busy ticks of the whole machine (all but idle and iowait) and its context switches so far, from /proc/stat. */
function machineCounters(): { busy: number; switches: number } {
  const stat = readFileSync('/proc/stat', 'utf8').split('\n');
  const cpu = stat[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = cpu as [number, number, number, number, number, number, number, number];
  const switches = Number(stat.find((l) => l.startsWith('ctxt '))?.split(' ')[1] ?? NaN);
  return { busy: user + nice + system + irq + softirq + steal, switches };
}

/**
 * PostgreSQL's processes come and go (a backend per connection): their CPU is the growth of each
 * pid alive at the end of the step (from 0 for one started in it); a backend that ended inside the
 * step is missed (its time shows as `other`), and `backendsStarted` counts the pids that are new.
 */
const postgresCounters = (): Map<string, Counters> => new Map(postgresPids().map((pid) => [pid, countersOf(pid)]));

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/** A process's CPU ticks and context switches so far. */
interface Counters {
  ticks: number;
  switches: number;
}
const countersOf = (pid: number | string): Counters => ({ ticks: ticksOf(pid), switches: switchesOf(pid) });

export interface CpuSnapshot {
  at: number;
  machine: number;
  switches: number;
  processes: Record<string, Counters>;
  postgres: Map<string, Counters>;
  /** This process (the load generator): its CPU from process.cpuUsage (finer than ticks), in ticks. */
  bench: Counters;
}

export function cpuSnapshot(processes: Record<string, number | undefined>): CpuSnapshot {
  const usage = process.cpuUsage();
  const counters = machineCounters();
  return {
    at: performance.now(),
    machine: counters.busy,
    switches: counters.switches,
    processes: Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, pid === undefined ? { ticks: 0, switches: 0 } : countersOf(pid)])),
    postgres: postgresCounters(),
    bench: { ticks: (usage.user + usage.system) / 10_000, switches: switchesOf(process.pid) }, // µs → ticks
  };
}

export interface CpuShare {
  /** CPU ms per successful command, by process, plus `postgres`, `bench`, `other` and `machine`. */
  msPerCommand: Record<string, number>;
  /** Busy share of the machine's cores over the step (1 = every core busy). */
  machineBusy: number;
  /** PostgreSQL processes started during the step (a pool that closes idle connections opens new ones). */
  backendsStarted: number;
  /** Context switches per successful command: by process (threads summed), `postgres`, and the whole `machine`. */
  switchesPerCommand: Record<string, number>;
  /**
   * PostgreSQL's CPU ms per command by whose backend spent it (application_name of the pid, from
   * `apps`), `server` for its own processes (WAL writer, checkpointer, autovacuum, …) and any pid
   * not in `apps`: which client's statements the server's share goes to.
   */
  postgresBy: Record<string, number>;
}

export function cpuShare(before: CpuSnapshot, after: CpuSnapshot, commands: number, cores: number, apps = new Map<number, string>()): CpuShare {
  const ms = (ticks: number) => ((ticks / TICKS_PER_SECOND) * 1000) / Math.max(1, commands);
  const pgByApp = new Map<string, number>();
  let pgTicks = 0;
  let pgSwitches = 0;
  let backendsStarted = 0;
  for (const [pid, t] of after.postgres) {
    const was = before.postgres.get(pid);
    if (was === undefined) backendsStarted++;
    pgTicks += t.ticks - (was?.ticks ?? 0);
    const app = (apps.get(Number(pid)) ?? 'server').replace(/^convene-/, '');
    pgByApp.set(app, (pgByApp.get(app) ?? 0) + t.ticks - (was?.ticks ?? 0));
    pgSwitches += t.switches - (was?.switches ?? 0);
  }
  const perCommand = (n: number) => n / Math.max(1, commands);
  const names = Object.keys(after.processes);
  const grown = (name: string, key: keyof Counters) => after.processes[name]![key] - (before.processes[name]?.[key] ?? 0);
  const switches = Object.fromEntries(names.map((name) => [name, perCommand(grown(name, 'switches'))]));
  const byProcess = Object.fromEntries(names.map((name) => [name, ms(grown(name, 'ticks'))]));
  const postgres = ms(pgTicks);
  const bench = ms(after.bench.ticks - before.bench.ticks);
  const machine = ms(after.machine - before.machine);
  const known = Object.values(byProcess).reduce((a, b) => a + b, 0) + postgres + bench;
  const seconds = (after.at - before.at) / 1000;
  return {
    msPerCommand: { ...byProcess, postgres, bench, other: Math.max(0, machine - known), machine },
    machineBusy: (after.machine - before.machine) / TICKS_PER_SECOND / seconds / cores,
    backendsStarted,
    postgresBy: Object.fromEntries([...pgByApp].sort((a, b) => b[1] - a[1]).map(([app, ticks]) => [app, ms(ticks)])),
    switchesPerCommand: { ...switches, bench: perCommand(after.bench.switches - before.bench.switches), postgres: perCommand(pgSwitches), machine: perCommand(after.switches - before.switches) },
  };
}

const postgresSplit = (s: CpuShare) => {
  const parts = Object.entries(s.postgresBy).filter(([, v]) => v >= 0.005);
  return parts.length > 1 ? ` (${parts.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')})` : '';
};

export const formatShare = (s: CpuShare) =>
  `${Object.entries(s.msPerCommand).map(([k, v]) => `${k} ${v.toFixed(2)}${k === 'postgres' ? postgresSplit(s) : ''}`).join(', ')} ms/command; machine ${(100 * s.machineBusy).toFixed(0)}% busy; context switches per command: ${Object.entries(s.switchesPerCommand).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}; ${s.backendsStarted} PostgreSQL processes started`;
