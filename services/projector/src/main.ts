// The projector as its own process: `tsx services/projector/src/main.ts` with DATABASE_URL set.
import { createDb, createPool, migrateToLatest } from '@convene/db';
import { checkDeployment, createEventStore } from '@convene/eventstore';
import { startProjector } from './index';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is required');
  process.exit(1);
}
const line = (level: string) => (obj: object, msg?: string) => console.log(JSON.stringify({ level, time: new Date().toISOString(), msg, ...obj }));
const logger = { info: line('info'), warn: line('warn'), error: line('error') };

const pool = createPool({ connectionString: url, applicationName: 'convene-projector' });
await migrateToLatest(createDb(pool));
// Personal values are unsealed on read (erased ones read as placeholders), as in every process.
const store = createEventStore({ pool, directConnectionString: process.env.DATABASE_DIRECT_URL });
await checkDeployment(store); // docs/operations.md, "Start-up checks"
// Leases are row claims through the pool (fine behind PgBouncer in transaction mode); LISTEN
// needs a session, so it goes to DATABASE_DIRECT_URL when set (without it the runners still poll).
const projector = await startProjector({ pool, store, logger, ...(process.env.DATABASE_DIRECT_URL ? { listenUrl: process.env.DATABASE_DIRECT_URL } : {}) });
logger.info({}, 'projector started');

const shutdown = async (signal: string) => {
  logger.info({ signal }, 'projector stopping');
  await projector.stop();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
