// What one command of the realistic mix costs the API process, measured per command rather than
// per second (a shared machine distorts rates, not work): the API runs in this process (as
// services/api/src/main.ts builds it: pool, Redis, event store with sealing, webhook deliveries,
// logs at info to a file), the load comes from a child process (command-cost-load.ts, closed
// loop). After a warm-up, BENCH_RUNS measured runs give CPU ms per command (process.cpuUsage: user
// + system of this process; the median run) and statements per command (every query this
// process's pg clients send, by kind: each is one round trip); with BENCH_PROFILE=1 one more run
// is profiled (node:inspector) and its shares of busy samples, by stage (profile-summary.ts), are
// scaled to the median CPU per command.
// Run: npx tsx scripts/bench/command-cost.ts   (BENCH_COMMANDS=2000, BENCH_RUNS=3, BENCH_WARMUP=900,
// BENCH_RATE=150, BENCH_CONCURRENCY=64, BENCH_PROFILE=1, BENCH_ALLOC=1, BENCH_DATABASE_URL; the profile and the world are written
// to a temp folder)
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import pg from 'pg';
import { createDb, createPool, migrateToLatest } from '@convene/db';
import { createEventStore } from '@convene/eventstore';
import { buildApp, createRedis, loadConfig, startWebhookDeliveries } from '@convene/api';
import { createLogger } from '@convene/runtime';
import { allocationProfile } from './alloc-profile';
import { benchServer, freshDatabase, repoRoot } from './lib';
import { seedWorld } from './http-seed';
import { freePort, redisServer } from './http-processes';

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 2000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 900);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Commands per second of the measured runs (0: closed loop, as fast as answered); the warm-up is not paced. */
const RATE = Number(process.env.BENCH_RATE ?? 150);
/** BENCH_HEAP=1: the heap used after each run (run with node --expose-gc) and a heap snapshot at the end. */
const HEAP = process.env.BENCH_HEAP === '1';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'convene-command-cost-'));

// Every statement a pg client of this process sends, by kind (its first words).
const statements = new Map<string, number>();
let counting = false;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (counting) {
    const q = args[0] as string | { text?: string } | undefined;
    const text = typeof q === 'string' ? q : q?.text;
    if (text) {
      const kind = text.replace(/\s+/g, ' ').trim().slice(0, 70);
      statements.set(kind, (statements.get(kind) ?? 0) + 1);
    }
  }
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

interface RunResult { ok: number; failed: number; seconds: number; statuses: Record<string, number> }

const { adminUrl } = await benchServer();
const database = await freshDatabase(adminUrl, 'convene_bench_command_cost');
const redis = await redisServer();
const setup = createPool({ connectionString: database.url, max: 8 });
await migrateToLatest(createDb(setup));
console.log('seeding ...');
const world = await seedWorld(setup);
await setup.end();
const worldFile = path.join(tmp, 'world.json');
writeFileSync(worldFile, JSON.stringify(world));

const port = await freePort();
const config = loadConfig({
  ...process.env, DATABASE_URL: database.url, REDIS_URL: redis.url, PORT: String(port),
  RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000000', LOG_LEVEL: 'info',
});
const logger = createLogger('api', { ...process.env, LOG_LEVEL: 'info' }, path.join(tmp, 'api.log'));
const pool = createPool({ connectionString: database.url, max: config.DATABASE_POOL_MAX, applicationName: 'convene-api' });
const db = createDb(pool);
const redisClient = createRedis(config.REDIS_URL);
// Writes to Redis's socket (each a round trip's request: auto-pipelined commands share one).
let redisWrites = 0;
const countWrites = () => {
  const stream = (redisClient as unknown as { stream?: { write: (...a: unknown[]) => boolean; counted?: boolean } }).stream;
  if (!stream || stream.counted) return;
  stream.counted = true;
  const write = stream.write.bind(stream);
  stream.write = (...a: unknown[]) => {
    if (counting) redisWrites++;
    return write(...a);
  };
};
redisClient.on('connect', countWrites);
countWrites();
const eventStore = createEventStore({ pool });
const webhookSecretKey = randomBytes(32);
const app = await buildApp({ config, pool, db, eventStore, redis: redisClient, webhookSecretKey }, { loggerInstance: logger });
const webhooks = startWebhookDeliveries({ pool, store: eventStore, logger: logger.child({ component: 'webhooks' }), secretKey: webhookSecretKey });
await app.listen({ port, host: '127.0.0.1' });

const profiled = process.env.BENCH_PROFILE === '1';
/** BENCH_ALLOC=1: one more run with allocation sampling (alloc-profile.ts): the bytes each function allocates per command. */
const allocs = process.env.BENCH_ALLOC === '1';
const load = fork(path.join(repoRoot, 'scripts/bench/command-cost-load.ts'), [worldFile, `http://127.0.0.1:${port}`, String(CONCURRENCY), String(RATE), String(WARMUP), ...Array.from({ length: RUNS }, () => String(COMMANDS)), ...(profiled ? [String(COMMANDS)] : []), ...(allocs ? [String(COMMANDS)] : [])], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
/** Tells the load process to send its next run; resolves with the run's result. */
const nextRun = () =>
  new Promise<RunResult>((resolve) => {
    load.once('message', (m: { result: RunResult }) => resolve(m.result));
    load.send('go');
  });

const warm = await nextRun();
console.log(`warm-up: ${JSON.stringify(warm)}`);

// Measured runs: CPU and statements; the median run's figures are the result.
const runs: { result: RunResult; cpuMs: number; statements: Map<string, number>; load: string; elu: number; redisWrites: number }[] = [];
for (let i = 0; i < RUNS; i++) {
  statements.clear();
  redisWrites = 0;
  counting = true;
  const cpu = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const result = await nextRun();
  const used = process.cpuUsage(cpu);
  const loop = performance.eventLoopUtilization(elu);
  counting = false;
  const cpuMs = (used.user + used.system) / 1000 / result.ok;
  runs.push({ result, cpuMs, statements: new Map(statements), load: os.loadavg().map((l) => l.toFixed(1)).join(', '), elu: loop.utilization, redisWrites });
  const total = [...statements.values()].reduce((a, b) => a + b, 0);
  if (HEAP) {
    (globalThis as { gc?: () => void }).gc?.();
    console.log(`heap after run ${i + 1}: ${(process.memoryUsage().heapUsed / 1e6).toFixed(1)} MB used (after a full GC when run with --expose-gc)`);
  }
  console.log(`run ${i + 1}: ${result.ok} ok, ${result.failed} failed ${JSON.stringify(result.statuses)}; API CPU ${cpuMs.toFixed(3)} ms per command; ${(total / result.ok).toFixed(3)} statements per command; ${(redisWrites / result.ok).toFixed(2)} Redis writes per command; ${(result.ok / result.seconds).toFixed(0)} commands/s (paced at ${RATE || 'no rate'}, at most ${CONCURRENCY} in flight); event loop utilisation ${(loop.utilization * 100).toFixed(0)}%; load average ${runs.at(-1)!.load}`);
}
const median = [...runs].sort((a, b) => a.cpuMs - b.cpuMs)[Math.floor(runs.length / 2)]!;
const cpuMs = median.cpuMs;
const statementCounts = new Map<string, number>();
for (const r of runs) for (const [k, n] of r.statements) statementCounts.set(k, (statementCounts.get(k) ?? 0) + n / r.result.ok / runs.length);
const total = [...statementCounts.values()].reduce((a, b) => a + b, 0);
console.log(`\nAPI CPU per command, median of ${runs.length} runs: ${cpuMs.toFixed(3)} ms (all: ${runs.map((r) => r.cpuMs.toFixed(3)).join(', ')})`);
console.log(`statements per command, mean of the runs: ${total.toFixed(3)}`);
for (const [kind, n] of [...statementCounts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${n.toFixed(3)}  ${kind}`);

// Profiled run: the same number of commands again, the mix going on.
if (profiled) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  const cpu2 = process.cpuUsage();
  const r2 = await nextRun();
  const used2 = process.cpuUsage(cpu2);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const file = path.join(tmp, 'api.cpuprofile');
  writeFileSync(file, JSON.stringify(profile));
  console.log(`\nprofiled: ${JSON.stringify(r2)}; CPU ${((used2.user + used2.system) / 1000 / r2.ok).toFixed(3)} ms per command with the profiler on`);
  console.log(execFileSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/bench/profile-summary.ts'), file, `--commands=${r2.ok}`, `--cpu-ms=${cpuMs}`], { encoding: 'utf8' }));
}

if (allocs) {
  const session = new Session();
  session.connect();
  const summary = await allocationProfile(session, path.join(tmp, 'api.heapprofile'), async () => (await nextRun()).ok);
  session.disconnect();
  console.log(`\nallocations (sampled, collected objects included):\n${summary}`);
}

if (HEAP) console.log(`heap snapshot: ${writeHeapSnapshot(path.join(tmp, 'api.heapsnapshot'))}`);
await app.close();
await webhooks.stop();
await eventStore.close();
redisClient.disconnect();
await pool.end();
redis.stop();
await database.drop();
console.log(`files: ${tmp}`);
process.exit(0);
