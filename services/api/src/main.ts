// The API as its own process: `node dist/api.js` (or tsx services/api/src/main.ts). It migrates the
// schema (under the migrator's lock, so several api processes may start at once) and listens.
// DATABASE_URL (else the embedded PostgreSQL of `npm start`). SIGTERM drains requests first.
import { createDb, createPool, migrateToLatest, resolveDatabase } from '@convene/db';
import { describePersonalData } from '@convene/domain';
import { EventStore, checkDeployment, createPersonalDataHook } from '@convene/eventstore';
import { isCaughtUp } from '@convene/projections';
import { collectProcessMetrics, createLogger, initTracing, onShutdown, shutdownTracing } from '@convene/runtime';
import { buildApp } from './app';
import { loadConfig } from './config';
import { createRedis } from './redis';
import { startWebhookDeliveries } from './webhooks/deliveries';

const config = loadConfig();
const logger = createLogger('api', { ...process.env, LOG_LEVEL: config.LOG_LEVEL });
initTracing();
collectProcessMetrics();
const database = await resolveDatabase({ migrateEmbedded: false, log: (line) => logger.info(line) });
const pool = createPool({ connectionString: database.url, max: config.DATABASE_POOL_MAX, applicationName: 'convene-api' });
const db = createDb(pool);
await migrateToLatest(db);
const redis = createRedis(config.REDIS_URL);
// Personal values in events are sealed per person so that they can be erased (docs/personal-data.md).
const eventStore = new EventStore({
  pool,
  directConnectionString: config.DATABASE_DIRECT_URL,
  personalData: createPersonalDataHook({ pool, describe: describePersonalData }),
});
// Re-seeds positions after a restore; refuses a LISTEN that goes through a transaction pooler.
await checkDeployment(eventStore);
// The projector runs in its own process: `consistentWith` reads its checkpoints from the database.
const app = await buildApp({ config, pool, db, eventStore, redis, isCaughtUp: (position) => isCaughtUp(db, position) }, { loggerInstance: logger });
// Webhook deliveries run beside the API; each subscription is locked to one process at a time.
const webhooks = startWebhookDeliveries({ pool, store: eventStore, logger: logger.child({ component: 'webhooks' }) });

onShutdown(logger, [
  { name: 'http', run: () => app.close() },
  { name: 'webhooks', run: () => webhooks.stop() },
  {
    name: 'connections',
    run: async () => {
      await eventStore.close();
      redis.disconnect();
      await db.destroy();
    },
  },
  { name: 'traces', run: () => shutdownTracing() },
  { name: 'postgres', run: () => database.close() },
]);
await app.listen({ port: config.PORT, host: config.HOST });
