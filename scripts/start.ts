// `npm start`: the whole service in one process. With no DATABASE_URL, a real embedded PostgreSQL
// keeps its data in $CONVENE_DATA_DIR/pg (default .data/pg): found running, or started here and
// stopped here, last. Either way the schema is migrated before the API listens. Mail goes to
// $MAIL_DIR (default $CONVENE_DATA_DIR/mail) unless SMTP_URL is set.
// Stopping (Ctrl-C, SIGTERM): drain HTTP, stop the webhooks, workers and projector, close the
// pools, stop PostgreSQL — in that order (packages/runtime/src/shutdown.ts).
import path from 'node:path';
import { createDb, createPool, migrateToLatest, resolveDatabase } from '@convene/db';
import { checkDeployment, createEventStore, startIdempotencySweep } from '@convene/eventstore';
import { devMailRoutes, folderMailer, startWorkers } from '@convene/worker';
import { startProjector } from '@convene/projector';
import { apiShutdownSteps, buildApp, createRedis, ensureDevelopmentAdminKey, loadConfig, loadWebhookSecretKey, startWebhookDeliveries } from '@convene/api';
import { collectProcessMetrics, createLogger, initTracing, onShutdown, setMetricsSources } from '@convene/runtime';

const config = loadConfig();
const logger = createLogger('convene');
initTracing({ serviceName: 'convene' }); // OTEL_TRACES_EXPORTER=console prints spans, OTEL_EXPORTER_OTLP_ENDPOINT sends them; off otherwise
collectProcessMetrics();
const database = await resolveDatabase({ migrateEmbedded: false, log: (line) => logger.info(line) });

// Webhook secrets are encrypted at rest: WEBHOOK_SECRET_KEY, or in embedded (development) mode a key
// generated once under the data dir; with DATABASE_URL (production) the setting is required.
const webhookSecretKey = await loadWebhookSecretKey({
  setting: config.WEBHOOK_SECRET_KEY,
  development: database.source !== 'env',
  dataDir: config.CONVENE_DATA_DIR,
});
const pool = createPool({ connectionString: database.url, max: config.DATABASE_POOL_MAX, applicationName: 'convene-api' });
const db = createDb(pool);
const applied = await migrateToLatest(db);
if (applied.length) logger.info({ applied }, 'migrated');

const redis = createRedis(config.REDIS_URL);
// Personal values in events are sealed per person so that they can be erased (docs/personal-data.md).
const eventStore = createEventStore({ pool, directConnectionString: config.DATABASE_DIRECT_URL });
await checkDeployment(eventStore); // docs/operations.md, "Start-up checks"

// Everything runs in this one process here; production runs the projector and the worker on their
// own (services/*/src/main.ts).
const projector = await startProjector({ pool, store: eventStore, logger: logger.child({ component: 'projector' }) });
const mailDir = process.env.SMTP_URL ? null : path.resolve(process.env.MAIL_DIR ?? path.join(config.CONVENE_DATA_DIR, 'mail'));
const workers = startWorkers({
  pool,
  store: eventStore,
  redisUrl: config.REDIS_URL,
  logger: logger.child({ component: 'worker' }),
  tickIntervalMs: 1000,
  ...(process.env.WORKER_PREFIX ? { prefix: process.env.WORKER_PREFIX } : {}),
  ...(mailDir ? { transport: folderMailer(mailDir) } : {}),
});
// Idempotency records expire after IDEMPOTENCY_RETENTION_HOURS (issue 12.12, docs/personal-data.md).
const idempotencySweep = startIdempotencySweep(pool, {
  retentionMs: config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
  onError: (error) => logger.error({ err: error }, 'idempotency sweep failed'),
});
// Webhook deliveries (services/api/src/webhooks): per-subscription checkpoints, signed POSTs, retries.
const webhooks = startWebhookDeliveries({ pool, store: eventStore, logger: logger.child({ component: 'webhooks' }), secretKey: webhookSecretKey, allowedHosts: config.WEBHOOK_ALLOWED_HOSTS });

const app = await buildApp(
  {
    config,
    pool,
    db,
    eventStore,
    redis,
    webhookSecretKey,
    isCaughtUp: (position) => projector.isCaughtUp(position),
    workers,
    // The queue board (/v1/admin/queues, global admin key) shows the workers' delivery queue.
    boardQueues: [workers.queue],
    deadLetterCount: async () => (await workers.status()).queue?.failed ?? 0,
  },
  { loggerInstance: logger.child({ component: 'api' }) },
);
// GET /metrics (buildApp) also shows the delivery queue's depths, as this process runs the worker.
setMetricsSources({ queueCounts: () => workers.queue.getJobCounts('waiting', 'active', 'delayed', 'failed') });
const isAdmin = (request: { principal?: { role: string } | null }) => request.principal?.role === 'admin';
if (mailDir) await app.register(devMailRoutes, { prefix: '/v1/admin', dir: mailDir, authorize: isAdmin });

onShutdown(
  logger,
  apiShutdownSteps({ app, webhooks, idempotencySweep, eventStore, redis, db, database }, [
    { name: 'workers', run: () => workers.stop() },
    { name: 'projector', run: () => projector.stop() },
  ]),
);

await app.listen({ port: config.PORT, host: config.HOST });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.PORT;
const host = ['0.0.0.0', '::', ''].includes(config.HOST) ? '127.0.0.1' : config.HOST;
const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
const redactPassword = (url: string) => (database.source === 'env' ? url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@') : url);
const lines = [
  `Convene is running (Ctrl-C stops it)`,
  `  API            ${base}   (GET /health)`,
  `  API docs       ${base}/docs`,
  `  database       ${redactPassword(database.url)}${database.dataDir ? `   (embedded, data in ${database.dataDir})` : ''}`,
  mailDir
    ? `  mail           written to ${mailDir} as .eml files; listed at ${base}/v1/admin/dev-mail (admin key)`
    : `  mail           sent through SMTP_URL`,
  `  queues         ${base}/v1/admin/queues   (bull-board: any user name, a global admin key as password)`,
];
if (database.source !== 'env') {
  // Development only: one admin key, kept in the data folder and reused while active.
  const { key, created } = await ensureDevelopmentAdminKey(pool, path.resolve(config.CONVENE_DATA_DIR));
  lines.push(`  admin API key  ${key}${created ? '   (new)' : ''}`);
}
logger.info({ api: base, docs: `${base}/docs`, database: redactPassword(database.url), mailDir }, 'listening');
process.stdout.write(`\n${lines.join('\n')}\n\n`);
