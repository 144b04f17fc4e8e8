// The worker as its own process: `tsx services/worker/src/main.ts`.
// Env: DATABASE_URL, REDIS_URL (default redis://127.0.0.1:6379), SMTP_URL (else .eml files in
// MAIL_DIR or .data/mail), MAIL_FROM, WORKER_PREFIX, WORKER_ROLES (planner,dispatcher,worker),
// WORKER_CONCURRENCY, WORKER_TICK_MS, WORKER_LOCK_DURATION_MS, WORKER_STALLED_INTERVAL_MS.
import { createPool } from '@convene/db';
import { checkDeployment, createEventStore } from '@convene/eventstore';
import { startWorkers } from './index';
import { consoleLogger } from './types';

const env = process.env;
if (!env.DATABASE_URL) {
  console.error('DATABASE_URL is required');
  process.exit(1);
}
const num = (v: string | undefined) => (v ? Number(v) : undefined);
const roles = env.WORKER_ROLES?.split(',').map((r) => r.trim());
const pool = createPool({ connectionString: env.DATABASE_URL, max: 10, applicationName: 'convene-worker' });
// Reads personal values (recipients' e-mails) through the same sealing hook as the api.
const store = createEventStore({ pool, directConnectionString: env.DATABASE_DIRECT_URL });
await checkDeployment(store); // docs/operations.md, "Start-up checks"
const workers = startWorkers({
  pool,
  store,
  redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  ...(env.WORKER_PREFIX ? { prefix: env.WORKER_PREFIX } : {}),
  logger: consoleLogger,
  tickIntervalMs: num(env.WORKER_TICK_MS) ?? 1000,
  ...(roles ? { roles: { planner: roles.includes('planner'), dispatcher: roles.includes('dispatcher'), worker: roles.includes('worker') } } : {}),
  ...(env.WORKER_CONCURRENCY ? { concurrency: Number(env.WORKER_CONCURRENCY) } : {}),
  ...(env.WORKER_LOCK_DURATION_MS ? { lockDurationMs: Number(env.WORKER_LOCK_DURATION_MS) } : {}),
  ...(env.WORKER_STALLED_INTERVAL_MS ? { stalledIntervalMs: Number(env.WORKER_STALLED_INTERVAL_MS) } : {}),
});
console.log('convene worker started');

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: closing workers (running jobs finish first)`);
  await workers.stop();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
