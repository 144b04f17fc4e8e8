// `npm start`: with no DATABASE_URL, a real embedded PostgreSQL keeps its data in
// $CONVENE_DATA_DIR/pg (default .data/pg); with DATABASE_URL, that database is used. Either way
// the schema is migrated before the API listens.
import path from 'node:path';
import { createDb, createPool, migrateToLatest, startEmbeddedPostgres, type EmbeddedPostgres } from '@convene/db';
import { checkDeployment, createEventStore, startIdempotencySweep } from '@convene/eventstore';
import { consoleLogger, startWorkers } from '@convene/worker';
import { startProjector } from '@convene/projector';
import { buildApp, createRedis, ensureDevelopmentAdminKey, loadConfig, loadWebhookSecretKey, startWebhookDeliveries } from '@convene/api';


const config = loadConfig();
let embedded: EmbeddedPostgres | undefined;
let databaseUrl = config.DATABASE_URL;
if (!databaseUrl) {
  const dataDir = path.resolve(config.CONVENE_DATA_DIR, 'pg');
  embedded = await startEmbeddedPostgres({ dataDir, port: config.CONVENE_PG_PORT });
  await embedded.ensureDatabase('convene');
  databaseUrl = embedded.urlFor('convene');
  console.log(`embedded PostgreSQL on port ${embedded.port}, data in ${dataDir}`);
}

// Webhook secrets are encrypted at rest: WEBHOOK_SECRET_KEY, or in embedded (development) mode a key
// generated once under the data dir; with DATABASE_URL (production) the setting is required.
const webhookSecretKey = await loadWebhookSecretKey({
  setting: config.WEBHOOK_SECRET_KEY,
  development: embedded !== undefined,
  dataDir: config.CONVENE_DATA_DIR,
});
const pool = createPool({ connectionString: databaseUrl, max: config.DATABASE_POOL_MAX, applicationName: 'convene-api' });
const db = createDb(pool);
const applied = await migrateToLatest(db);
if (applied.length) console.log(`migrated: ${applied.join(', ')}`);

const redis = createRedis(config.REDIS_URL);
// Personal values in events are sealed per person so that they can be erased (docs/personal-data.md).
const eventStore = createEventStore({ pool, directConnectionString: config.DATABASE_DIRECT_URL });
await checkDeployment(eventStore); // docs/operations.md, "Start-up checks"

// Embedded mode runs everything in one process; production runs the projector and the worker on
// their own (services/*/src/main.ts). Without SMTP_URL, mail is written to .data/mail as .eml files.
const projector = await startProjector({ pool, store: eventStore });
const workers = startWorkers({
  pool,
  store: eventStore,
  redisUrl: config.REDIS_URL,
  logger: consoleLogger,
  tickIntervalMs: 1000,
});
// Idempotency records expire after IDEMPOTENCY_RETENTION_HOURS (issue 12.12, docs/personal-data.md).
const idempotencySweep = startIdempotencySweep(pool, {
  retentionMs: config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
  onError: (error) => console.error('idempotency sweep failed', error),
});
// Webhook deliveries (services/api/src/webhooks): per-subscription checkpoints, signed POSTs, retries.
const webhooks = startWebhookDeliveries({ pool, store: eventStore, logger: consoleLogger, secretKey: webhookSecretKey, allowedHosts: config.WEBHOOK_ALLOWED_HOSTS });

const app = await buildApp({
  config,
  pool,
  db,
  eventStore,
  redis,
  webhookSecretKey,
  isCaughtUp: (position) => projector.isCaughtUp(position),
  workers,
  deadLetterCount: async () => (await workers.status()).queue?.failed ?? 0,
});
if (embedded) {
  // Development only: one admin key, kept in the data folder and reused while active.
  const { key, created } = await ensureDevelopmentAdminKey(pool, path.resolve(config.CONVENE_DATA_DIR));
  console.log(`development admin API key${created ? ' (new)' : ''}: ${key}`);
}

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  await workers.stop();
  idempotencySweep.stop();
  await webhooks.stop();
  await projector.stop();
  await eventStore.close();
  redis.disconnect();
  await db.destroy();
  await embedded?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port: config.PORT, host: config.HOST });
