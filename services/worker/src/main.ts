// The worker as its own process: `node dist/worker.js` (or tsx services/worker/src/main.ts).
// Env: DATABASE_URL (else the embedded PostgreSQL of `npm start`), REDIS_URL (default
// redis://127.0.0.1:6379), SMTP_URL (else .eml files in MAIL_DIR or .data/mail), MAIL_FROM, PUBLIC_BASE_URL,
// WORKER_PREFIX, WORKER_ROLES (planner,dispatcher,worker), WORKER_CONCURRENCY, WORKER_TICK_MS,
// WORKER_LOCK_DURATION_MS, WORKER_STALLED_INTERVAL_MS; DOCUMENTS_DIR or S3_* (the binder, for meeting
// packets: the same store as the API); WORKER_PORT (default 3001) and HOST serve
// /health/live, /health/ready, /health and /metrics. SIGTERM stops it gracefully (running jobs finish).
import { createPool, resolveDatabase } from '@convene/db';
import { checkDeployment, createEventStore } from '@convene/eventstore';
import { collectProcessMetrics, createLogger, initTracing, onShutdown, setMetricsSources, shutdownTracing, startOpsServer } from '@convene/runtime';
import { startWorkers, workerHealth } from './index';

const env = process.env;
const logger = createLogger('worker');
initTracing({ serviceName: 'convene-worker' });
collectProcessMetrics();
const database = await resolveDatabase({ migrateEmbedded: false, log: (line) => logger.info(line) });
const num = (v: string | undefined) => (v ? Number(v) : undefined);
const roles = env.WORKER_ROLES?.split(',').map((r) => r.trim());
const pool = createPool({ connectionString: database.url, max: 10, applicationName: 'convene-worker' });
// Reads personal values (recipients' e-mails) through the same sealing hook as the api.
const store = createEventStore({ pool, directConnectionString: env.DATABASE_DIRECT_URL });
await checkDeployment(store); // docs/operations.md, "Start-up checks"
const workers = startWorkers({
  pool,
  store,
  redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  ...(env.WORKER_PREFIX ? { prefix: env.WORKER_PREFIX } : {}),
  logger,
  tickIntervalMs: num(env.WORKER_TICK_MS) ?? 1000,
  ...(roles ? { roles: { planner: roles.includes('planner'), dispatcher: roles.includes('dispatcher'), worker: roles.includes('worker') } } : {}),
  ...(env.WORKER_CONCURRENCY ? { concurrency: Number(env.WORKER_CONCURRENCY) } : {}),
  ...(env.WORKER_LOCK_DURATION_MS ? { lockDurationMs: Number(env.WORKER_LOCK_DURATION_MS) } : {}),
  ...(env.WORKER_STALLED_INTERVAL_MS ? { stalledIntervalMs: Number(env.WORKER_STALLED_INTERVAL_MS) } : {}),
});
setMetricsSources({ pool, queueCounts: () => workers.queue.getJobCounts('waiting', 'active', 'delayed', 'failed') });
const ops = await startOpsServer({
  port: Number(env.WORKER_PORT ?? 3001),
  host: env.HOST ?? '127.0.0.1',
  logger,
  health: async () => workerHealth(await workers.status()),
});
logger.info('worker started');

onShutdown(logger, [
  { name: 'health server', run: () => ops.close() },
  { name: 'workers', run: () => workers.stop() },
  { name: 'connections', run: async () => (await store.close(), await pool.end()) },
  { name: 'traces', run: () => shutdownTracing() },
  { name: 'postgres', run: () => database.close() },
]);
