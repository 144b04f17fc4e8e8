// The API as its own process (docker-compose): `tsx services/api/src/main.ts`. It migrates the
// schema (under the migrator's lock, so several api processes may start at once) and listens.
import { createDb, createPool, migrateToLatest } from '@convene/db';
import { checkDeployment, createEventStore, startIdempotencySweep } from '@convene/eventstore';
import { buildApp } from './app';
import { loadConfig } from './config';
import { createRedis } from './redis';
import { startWebhookDeliveries } from './webhooks/deliveries';
import { loadWebhookSecretKey } from './webhooks/secret-box';

const config = loadConfig();
if (!config.DATABASE_URL) {
  console.error('DATABASE_URL is required (npm start runs an embedded PostgreSQL instead)');
  process.exit(1);
}
// Production: webhook secrets are stored encrypted under WEBHOOK_SECRET_KEY; no key, no start.
const webhookSecretKey = await loadWebhookSecretKey({ setting: config.WEBHOOK_SECRET_KEY, development: false, dataDir: config.CONVENE_DATA_DIR }).catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
const pool = createPool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_MAX, applicationName: 'convene-api' });
const db = createDb(pool);
await migrateToLatest(db);
const redis = createRedis(config.REDIS_URL);
// Personal values in events are sealed per person so that they can be erased (docs/personal-data.md).
const eventStore = createEventStore({ pool, directConnectionString: config.DATABASE_DIRECT_URL });
// Re-seeds positions after a restore; refuses a LISTEN that goes through a transaction pooler.
await checkDeployment(eventStore);
const app = await buildApp({ config, pool, db, eventStore, redis, webhookSecretKey });
// Webhook deliveries run beside the API; each subscription is locked to one process at a time.
// Idempotency records expire after IDEMPOTENCY_RETENTION_HOURS (issue 12.12, docs/personal-data.md).
const idempotencySweep = startIdempotencySweep(pool, {
  retentionMs: config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
  onError: (error) => console.error('idempotency sweep failed', error),
});
const webhooks = startWebhookDeliveries({ pool, store: eventStore, secretKey: webhookSecretKey, allowedHosts: config.WEBHOOK_ALLOWED_HOSTS });

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  idempotencySweep.stop();
  await webhooks.stop();
  await eventStore.close();
  redis.disconnect();
  await db.destroy();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
await app.listen({ port: config.PORT, host: config.HOST });
