// HTTP command throughput: open-loop load of the realistic mix (http-load.ts) from this process
// against (a) the API in its own process with the projector and the worker in theirs, (b) the same
// with the API alone on CPU 0 and everything else on the other CPUs (pin.ts) and (c) the
// everything-in-one-process `npm start`, at rising rates until saturation, then at half of it; and
// first (floor) the smallest HTTP server storing the same request as one event on the same store
// (floor-server.ts), the rate no API on this store and machine could pass. Each target gets a
// fresh scratch database (created and dropped here), the product's seeded with the same world,
// and the event store's bare append rate (the best of BENCH_BARE_RUNS=3) is measured on its server
// in the same run at the API pool's concurrency. Run: npm run bench:http   (BENCH_DATABASE_URL, BENCH_STEP_SECONDS, BENCH_RATES,
// BENCH_TARGETS=floor,split,pinned,start, BENCH_WARMUP_REQUESTS, BENCH_CPU_PROF=1 to write the processes' CPU profiles,
// BENCH_SLOW_LOG=<ms>, BENCH_BUILT=1 (servers from dist/), BENCH_NODE_ARGS, BENCH_BACKGROUND_NICE, BENCH_PGSS=1 (statements, WAL per command),
// BENCH_NO_WRITE=1)
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, createPool, migrateToLatest } from '@convene/db';
import { benchServer, freshDatabase, machineDescription, repoRoot, writeBenchmarkSection } from './lib';
import { FloorMix, httpClient, IDEMPOTENT_SHARE, Mix, MIX, runStep, warmUp, type StepResult } from './http-load';
import { freePort, launch, redisServer, stop, waitHealthy } from './http-processes';
import { bestBareAppendRate } from './http-bare';
import { seedWorld, COLLABORATIVES, AGENCIES_PER_COLLABORATIVE } from './http-seed';
import { connectionBudget, databaseCounters } from './pg-budget';
import { logOffset, logStatements } from './pg-log';
import { printWal, walCounters } from './pg-wal';
import { backendApps, catchUpSeconds, printCostliestStatements, tableReads, printStatementsByApp, profileStep, waitUntilSettled } from './http-diagnostics';
import { cpuSeconds, cpuShare, cpuSnapshot, formatShare, type CpuShare } from './cpu-share';
import { pinBackground } from './pin';

const STEP_SECONDS = Number(process.env.BENCH_STEP_SECONDS ?? 8);
const RATES = (process.env.BENCH_RATES ?? '50,100,200,400,700,1000,1400,2000').split(',').map(Number);
type Target = 'floor' | 'split' | 'pinned' | 'start';
const TARGETS = (process.env.BENCH_TARGETS ?? 'floor,split,pinned,start').split(',') as Target[];
const TITLES: Record<Target, string> = {
  floor: '(floor) The floor of an HTTP command path on this store: fastify, the JSON body appended as one event, nothing else (scripts/bench/floor-server.ts)',
  split: '(a) API process alone (projector and worker in their own processes)',
  pinned: '(b) API process alone on CPU 0 (PostgreSQL, Redis, projector, worker and the load generator on the other CPUs)',
  start: '(c) `npm start` (everything in one process)',
};
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';
/** BENCH_BACKGROUND_NICE=<n>: the projector's and worker's processes at that CPU priority (split and pinned targets). */
const BACKGROUND_NICE = Number(process.env.BENCH_BACKGROUND_NICE ?? 0);
/** BENCH_NODE_ARGS: extra Node.js flags for the servers (e.g. --trace-gc), space-separated. */
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const IDLE_WINDOWS = Number(process.env.BENCH_IDLE_WINDOWS ?? 1);
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS ?? 180);
/** BENCH_IDLE_LOG=1: the statements every process sends while idle after the warm-up, by kind. */
const IDLE_LOG = process.env.BENCH_IDLE_LOG === '1';
/** BENCH_STEP_LOG=1: every statement of each step logged and counted per command, by process (application_name) and kind. */
const STEP_LOG = process.env.BENCH_STEP_LOG === '1';
/** BENCH_PGSS=1: pg_stat_statements (when the server has it loaded) reset before each step, its costliest statements printed after. */
const PGSS = process.env.BENCH_PGSS === '1';
const PROFILE_RATE = Number(process.env.BENCH_PROFILE_RATE ?? 0);
/** BENCH_BUILT=1: the API, projector and worker run from `npm run build`'s dist/ (as the image runs them), built first. */
const BUILT = process.env.BENCH_BUILT === '1';
const WARMUP_REQUESTS = Number(process.env.BENCH_WARMUP_REQUESTS ?? 3 * COLLABORATIVES * AGENCIES_PER_COLLABORATIVE);
/** Where the servers run from (BENCH_SERVER_ROOT: another checkout, e.g. the code before a change). */
const serverRoot = process.env.BENCH_SERVER_ROOT ?? repoRoot;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'convene-bench-http-'));

interface TargetResult {
  target: Target;
  poolSize: number;
  bare: number;
  bareRates: number[];
  steps: StepResult[];
  half: StepResult;
  rowsPerCommand: number;
  /** CPU time of the API's process per successful command over the rising steps. */
  cpuMsPerCommand: number;
  /** Where the machine's CPU went per command in the step that reached saturation. */
  cpuAtSaturation: CpuShare;
  /** Seconds after the warm-up until the target's processes were idle (the backlog worked off). */
  settledSeconds: number;
  load: string;
}

async function benchTarget(adminUrl: string, target: Target, redis: { url: string; pid: number | undefined }): Promise<TargetResult | null> {
  const redisUrl = redis.url;
  const db = await freshDatabase(adminUrl, `convene_bench_http_${target}`);
  const setupPool = createPool({ connectionString: db.url, max: 8 });
  await migrateToLatest(createDb(setupPool), path.join(serverRoot, 'migrations')); // the servers' own migrations
  const floor = target === 'floor';
  if (!floor) console.log(`[${target}] seeding ${COLLABORATIVES} × ${AGENCIES_PER_COLLABORATIVE} agencies ...`);
  const world = floor ? undefined : await seedWorld(setupPool);
  if (PROFILE_RATE || IDLE_LOG || STEP_LOG) await logStatements(setupPool, db.name);
  // The API's pool: what the server has left for us (the projector and the worker keep 10 each).
  const budget = await connectionBudget(setupPool);
  const poolSize = Math.max(2, Math.min(20, budget - 24));
  console.log(`[${target}] connection budget ${budget}: API pool ${poolSize}`);
  const { best: bare, rates: bareRates } = await bestBareAppendRate(adminUrl, poolSize);
  console.log(`[${target}] bare append: ${Math.round(bare)} events/s at ${poolSize} connections (best of ${bareRates.map(Math.round).join(', ')})`);

  const port = await freePort();
  // Own ports for the worker's and projector's health servers (other checkouts may run theirs), and
  // the webhook secret key every non-embedded API process needs.
  const env = {
    DATABASE_URL: db.url, REDIS_URL: redisUrl, PORT: String(port), DATABASE_POOL_MAX: String(poolSize), WORKER_PREFIX: `bench-${target}`,
    WORKER_PORT: String(await freePort()), PROJECTOR_PORT: String(await freePort()), WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
    // Every request comes from this one address, and some keys send many commands a second: the
    // limits stay on (their Redis round trip is part of the path) but must not answer 429.
    RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000000',
  };
  // Pinned after the bare append rate was measured on the whole machine.
  const pin = pinBackground(target === 'pinned', redis.pid);
  const prof = (name: string) => [...NODE_ARGS, ...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.join(tmp, `prof-${target}-${name}`)}`] : [])];
  const names = floor ? ['floor'] : target !== 'start' ? ['api', 'projector', 'worker'] : ['start'];
  // The floor's server is this checkout's, whatever BENCH_SERVER_ROOT says.
  const children = floor
    ? [launch(tmp, repoRoot, 'floor', 'scripts/bench/floor-server.ts', env, prof('floor'), false)]
    : target !== 'start'
      ? names.map((n) => launch(tmp, serverRoot, n, `services/${n}/src/main.ts`, env, prof(n), target === 'pinned', BUILT))
      : [launch(tmp, serverRoot, 'start', 'scripts/start.ts', env, prof('start'), false)];
  if (BACKGROUND_NICE && names.length > 1) for (const c of children.slice(1)) os.setPriority(c.pid!, BACKGROUND_NICE);
  const pids = () => ({ ...Object.fromEntries(names.map((n, i) => [n, children[i]!.pid])), redis: redis.pid });
  const origin = `http://127.0.0.1:${port}`;
  const client = httpClient(origin);
  const mix = world ? new Mix(world) : new FloorMix();
  try {
    await waitHealthy(tmp, origin, children);
    // Warm-up: connections, JIT, plans, and the state cache of every stream the mix touches
    // (BENCH_WARMUP_REQUESTS, default 3 per agency), closed-loop so that it ends when served.
    const warm = await warmUp(client, mix, WARMUP_REQUESTS);
    console.log(`[${target}] warm-up: ${warm.ok} of ${WARMUP_REQUESTS} requests in ${warm.seconds.toFixed(1)} s`);
    if (PROFILE_RATE) {
      await profileStep(client, mix, db.name, setupPool, children[0]!.pid, PROFILE_RATE, STEP_SECONDS);
      return null;
    }
    // The seeding and warm-up wrote most of the tables: vacuumed and analysed now, so that
    // autovacuum does not do it (a core for seconds) inside a measured step.
    await setupPool.query('VACUUM (ANALYZE)');
    const settledAfter = await waitUntilSettled({ target, names, pids, admin: setupPool, database: db.name, minWindows: IDLE_WINDOWS, maxSeconds: SETTLE_SECONDS, logIdle: IDLE_LOG });
    const steps: StepResult[] = [];
    const before = await databaseCounters(setupPool);
    const cpuBefore = cpuSeconds(children[0]!.pid);
    let okTotal = 0;
    const shares: CpuShare[] = [];
    // With the default rates, on past the last at 1.5 times the rate until the target saturates
    // (the floor does not at 2,000/s): the saturation reported is a rate it could not keep. A
    // BENCH_RATES list is run as given.
    const more = process.env.BENCH_RATES ? [] : Array.from({ length: 8 }, (_, i) => Math.round((RATES.at(-1)! * 1.5 ** (i + 1)) / 100) * 100);
    const rates = [...RATES, ...more];
    for (const rate of rates) {
      const cpu0 = cpuSnapshot(pids());
      const [stepOffset, apps0] = [logOffset(), await backendApps(setupPool, db.name)];
      if (PGSS) await setupPool.query('SELECT pg_stat_statements_reset()');
      const wal0 = PGSS ? await walCounters(setupPool) : undefined;
      const tables0 = PGSS ? await tableReads(setupPool) : undefined;
      const r = await runStep(client, mix, rate, STEP_SECONDS);
      // The step's CPU before the diagnostics' own queries; the backends of the step, asked once.
      const cpu1 = cpuSnapshot(pids());
      const apps = new Map([...apps0, ...(await backendApps(setupPool, db.name))]);
      if (PGSS) await printCostliestStatements(setupPool, r.ok, target, tables0);
      if (wal0) printWal(wal0, await walCounters(setupPool), r.ok, target);
      if (STEP_LOG) printStatementsByApp(stepOffset, db.name, apps, r.ok, target);
      shares.push(cpuShare(cpu0, cpu1, r.ok, os.cpus().length, apps));
      okTotal += r.ok;
      // Measured after the step's CPU: the catching up is background work the step left behind.
      if (!floor) r.caughtUpSeconds = await catchUpSeconds(setupPool);
      steps.push(r);
      console.log(`[${target}] ${JSON.stringify(r)}`);
      console.log(`[${target}] CPU: ${formatShare(shares.at(-1)!)}`);
      if (r.achieved < 0.9 * rate) break; // saturated
    }
    const after = await databaseCounters(setupPool);
    const cpuMsPerCommand = ((cpuSeconds(children[0]!.pid) - cpuBefore) * 1000) / Math.max(1, okTotal);
    const saturation = Math.max(...steps.map((s) => s.achieved));
    const cpuAtSaturation = shares[steps.findIndex((s) => s.achieved === saturation)]!;
    const half = await runStep(client, mix, Math.round(saturation / 2), STEP_SECONDS);
    if (!floor) half.caughtUpSeconds = await catchUpSeconds(setupPool);
    console.log(`[${target}] half: ${JSON.stringify(half)}`);
    return {
      target, poolSize, bare, bareRates, steps, half,
      rowsPerCommand: (after.rowsRead - before.rowsRead) / Math.max(1, okTotal),
      cpuMsPerCommand,
      cpuAtSaturation,
      settledSeconds: settledAfter,
      load: os.loadavg().map((l) => l.toFixed(1)).join(', '),
    };
  } finally {
    await client.close();
    for (const c of children) await stop(c);
    pin.release();
    await setupPool.end();
    await db.drop();
  }
}

const saturationOf = (r: TargetResult) => Math.max(...r.steps.map((s) => s.achieved));
const f = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–');
function table(r: TargetResult): string {
  const saturation = Math.max(...r.steps.map((s) => s.achieved));
  const rows = [...r.steps, r.half].map(
    (s, i) => `| ${i === r.steps.length ? 'half of saturation: ' : ''}${f(s.offered)}/s | ${f(s.achieved)}/s | ${f(s.p50)} ms | ${f(s.p99)} ms | ${s.failed + s.shed} | ${s.caughtUpSeconds === undefined ? '–' : s.caughtUpSeconds === null ? 'not within 120 s' : `${s.caughtUpSeconds.toFixed(1)} s after`} |`,
  );
  return [
    `**${TITLES[r.target]}** — ${r.target === 'floor' ? 'server' : 'API'} pool ${r.poolSize} connections; bare append ${f(r.bare)} events/s at ${r.poolSize} connections (best of ${r.bareRates.map(f).join(', ')}); saturation ${f(saturation)} commands/s = ${((100 * saturation) / r.bare).toFixed(1)}% of the bare append rate; ${r.target === 'floor' ? 'server' : 'API'} process CPU ${r.cpuMsPerCommand.toFixed(2)} ms per command; rows read per command ${r.rowsPerCommand.toFixed(1)} (pg_stat_database: all processes on the database); processes idle ${r.settledSeconds.toFixed(0)} s after the warm-up; load average after: ${r.load}`,
    '',
    `CPU per command at saturation (ms; by process, \`postgres\` = all its processes, \`bench\` = the load generator): ${formatShare(r.cpuAtSaturation)}.`,
    '',
    '| offered | achieved | p50 | p99 | failed or shed | projector and worker caught up |',
    '|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

async function main() {
  if (BUILT) execFileSync(process.execPath, ['--import', 'tsx', path.join(serverRoot, 'scripts/build.ts')], { cwd: serverRoot, stdio: 'inherit' });
  const { adminUrl, embedded } = await benchServer();
  const machine = await machineDescription(adminUrl);
  const redis = await redisServer();
  const loadBefore = os.loadavg().map((l) => l.toFixed(1)).join(', ');
  const results: TargetResult[] = [];
  try {
    for (const target of TARGETS) {
      const r = await benchTarget(adminUrl, target, redis);
      if (r) results.push(r);
    }
  } finally {
    await redis.stop();
    await embedded?.stop();
  }
  if (PROFILE_RATE) {
    console.log(`process logs and profiles: ${tmp}`);
    return;
  }
  const mixText = Object.entries(MIX).map(([k, v]) => `${k} ${Math.round(v * 100)}%`).join(', ');
  const markdown = `## HTTP commands (scripts/bench/http.ts)

Run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: \`npm run bench:http\`${serverRoot === repoRoot ? '' : ` (servers from ${serverRoot})`}. Machine: ${machine}; load average before: ${loadBefore}.
${COLLABORATIVES} collaboratives × ${AGENCIES_PER_COLLABORATIVE} agencies seeded per target in a fresh database; mix: ${mixText}
(${Math.round(IDEMPOTENT_SHARE * 100)}% with an Idempotency-Key), one API key per agency and per 10 agencies' coach. Open-loop load
(undici, latency from each request's due time) from the bench process after a closed-loop warm-up of ${WARMUP_REQUESTS} requests, ${STEP_SECONDS} s per rate, rising until the
achieved rate falls below 90% of the offered one, then at half of the best achieved rate. Logs at the default level (info). Servers ${BUILT ? 'from `npm run build` (dist/, as the image runs them)' : 'from their TypeScript sources under tsx'}.

${results.map(table).join('\n\n')}`;
  console.log(markdown);
  if (process.env.BENCH_NO_WRITE !== '1') await writeBenchmarkSection('http', markdown);
  // The figures the issue's targets name, one line per target.
  console.log(`\nsummary (${new Date().toISOString().slice(0, 16)} UTC, load average before ${loadBefore}):`);
  const floor = results.find((r) => r.target === 'floor');
  for (const r of results) {
    const saturation = saturationOf(r);
    const ofFloor = floor && r !== floor ? ` (${((100 * saturation) / saturationOf(floor)).toFixed(0)}% of the floor's)` : '';
    console.log(
      `  ${{ floor: 'floor     ', split: 'API alone ', pinned: 'API pinned', start: 'npm start ' }[r.target]}  saturation ${f(saturation)}${ofFloor} commands/s = ${((100 * saturation) / r.bare).toFixed(1)}% of bare append (${f(r.bare)} events/s at ${r.poolSize} connections); ` +
        `at half (${f(r.half.achieved)}/s) p50 ${f(r.half.p50)} ms p99 ${f(r.half.p99)} ms; API CPU ${r.cpuMsPerCommand.toFixed(2)} ms and ${r.rowsPerCommand.toFixed(1)} rows read per command; load average after ${r.load}`,
    );
  }
  console.log(`process logs and profiles: ${tmp}`);
}

await main();
