// The API as its own process: `node dist/api.js` (or tsx services/api/src/main.ts). It migrates the
// schema (under the migrator's lock, so several api processes may start at once) and listens.
// DATABASE_URL (else the embedded PostgreSQL of `npm start`). SIGTERM drains requests first.
// The queue board (/v1/admin/queues) shows the workers' delivery queue in REDIS_URL under
// WORKER_PREFIX, as the worker process names it.
import { createDb, createPool, migrateToLatest, resolveDatabase } from '@convene/db';
import { checkDeployment, createEventStore, startIdempotencySweep } from '@convene/eventstore';
import { isCaughtUp } from '@convene/projections';
import { collectProcessMetrics, createLogger, initTracing, onShutdown } from '@convene/runtime';
import { buildApp } from './app';
import { openDeliveryQueue } from './admin/queue-board';
import { loadConfig } from './config';
import { createRedis } from './redis';
import { apiShutdownSteps } from './shutdown-steps';
import { startWebhookDeliveries } from './webhooks/deliveries';
import { loadWebhookSecretKey } from './webhooks/secret-box';

const config = loadConfig();
const logger = createLogger('api', { ...process.env, LOG_LEVEL: config.LOG_LEVEL });
initTracing({ serviceName: 'convene-api' });
collectProcessMetrics();
const database = await resolveDatabase({ migrateEmbedded: false, log: (line) => logger.info(line) });
// Production: webhook secrets are stored encrypted under WEBHOOK_SECRET_KEY; no key, no start
// (the embedded default generates one under the data dir).
const webhookSecretKey = await loadWebhookSecretKey({ setting: config.WEBHOOK_SECRET_KEY, development: database.source !== 'env', dataDir: config.CONVENE_DATA_DIR }).catch((error: Error) => {
  logger.fatal(error.message);
  process.exit(1);
});
const pool = createPool({ connectionString: database.url, max: config.DATABASE_POOL_MAX, applicationName: 'convene-api' });
const db = createDb(pool);
await migrateToLatest(db);
const redis = createRedis(config.REDIS_URL);
// Personal values in events are sealed per person so that they can be erased (docs/personal-data.md).
const eventStore = createEventStore({ pool, directConnectionString: config.DATABASE_DIRECT_URL });
// Re-seeds positions after a restore; refuses a LISTEN that goes through a transaction pooler.
await checkDeployment(eventStore);
// Idempotency records expire after IDEMPOTENCY_RETENTION_HOURS (issue 12.12, docs/personal-data.md).
const idempotencySweep = startIdempotencySweep(pool, {
  retentionMs: config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
  onError: (error) => logger.error({ err: error }, 'idempotency sweep failed'),
});
// The workers run in their own process; the board reads their queue through a handle of its own.
const deliveryQueue = openDeliveryQueue(config.REDIS_URL, process.env.WORKER_PREFIX, (error) => logger.warn({ err: error.message }, 'delivery queue error (queue board)'));
// The projector runs in its own process: `consistentWith` reads its checkpoints from the database.
const app = await buildApp({ config, pool, db, eventStore, redis, webhookSecretKey, boardQueues: [deliveryQueue.queue],
  // The workers run elsewhere; their queue's failed jobs are the dead letters /health reports.
  deadLetterCount: async () => (await deliveryQueue.queue.getJobCounts('failed')).failed ?? 0,
  isCaughtUp: (position) => isCaughtUp(db, position) }, { loggerInstance: logger });
// Webhook deliveries run beside the API; each subscription is locked to one process at a time.
const webhooks = startWebhookDeliveries({ pool, store: eventStore, logger: logger.child({ component: 'webhooks' }), secretKey: webhookSecretKey, allowedHosts: config.WEBHOOK_ALLOWED_HOSTS });

onShutdown(logger, apiShutdownSteps({ app, webhooks, idempotencySweep, eventStore, redis, db, database }, [{ name: 'queue board', run: () => deliveryQueue.close() }]));
await app.listen({ port: config.PORT, host: config.HOST });
