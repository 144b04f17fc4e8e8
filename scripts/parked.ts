// Parked poison events of the worker's delivery planner and of webhook subscriptions (issue 11.11;
// the projections have scripts/projections.ts resume). docs/operations.md, "Poison events".
//   npx tsx scripts/parked.ts status
//   npx tsx scripts/parked.ts resume planner <collaborativeId or stream id>
//   npx tsx scripts/parked.ts resume webhook <subscriptionId> <collaborativeId or stream id>
// Resume after a fix (a deployed code fix or upcaster): the parked events are replayed in order;
// one that fails again stays parked. DATABASE_URL (else the embedded PostgreSQL of `npm start`);
// a webhook resume also needs WEBHOOK_SECRET_KEY (and WEBHOOK_ALLOWED_HOSTS as the API has it).
import { createPool, listParked, resolveDatabase } from '@convene/db';
import { createEventStore } from '@convene/eventstore';
import { loadWebhookSecretKey, startWebhookDeliveries } from '@convene/api';
import { parkedWebhookEvents } from '../services/api/src/webhooks/parking';
import { createReactor, REACTOR_NAME } from '@convene/worker';

const [command, kind, a, b] = process.argv.slice(2);
const usage = 'usage: parked.ts status | resume planner <key> | resume webhook <subscriptionId> <key>';
if (command !== 'status' && !(command === 'resume' && ((kind === 'planner' && a) || (kind === 'webhook' && a && b)))) {
  console.error(usage);
  process.exit(2);
}
const database = await resolveDatabase();
const pool = createPool({ connectionString: database.url, applicationName: 'convene-parked-cli' });
const store = createEventStore({ pool, notify: false });
try {
  if (command === 'status') {
    console.log(JSON.stringify({ planner: await listParked(pool, REACTOR_NAME), webhooks: await parkedWebhookEvents(pool) }, null, 2));
  } else if (kind === 'planner') {
    console.log(JSON.stringify(await createReactor({ pool, store }).resume(a!)));
  } else {
    const secretKey = await loadWebhookSecretKey({ setting: process.env.WEBHOOK_SECRET_KEY, development: database.source !== 'env', dataDir: process.env.CONVENE_DATA_DIR ?? '.data' });
    const deliveries = startWebhookDeliveries({ pool, store, secretKey, ...(process.env.WEBHOOK_ALLOWED_HOSTS ? { allowedHosts: process.env.WEBHOOK_ALLOWED_HOSTS } : {}), pollIntervalMs: 0 });
    console.log(JSON.stringify(await deliveries.resumeParked(a!, b!)));
    await deliveries.stop();
  }
} finally {
  await store.close();
  await pool.end();
  await database.close();
}
