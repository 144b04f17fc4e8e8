// The projector as its own process: `node dist/projector.js` (or tsx services/projector/src/main.ts).
// DATABASE_URL (else the embedded PostgreSQL of `npm start`); PROJECTOR_PORT (default 3002) and
// HOST serve /health/live, /health/ready, /health and /metrics. SIGTERM stops it gracefully.
import { createDb, createPool, migrateToLatest, resolveDatabase } from '@convene/db';
import { checkDeployment, createEventStore } from '@convene/eventstore';
import { collectProcessMetrics, createLogger, initTracing, onShutdown, setMetricsSources, shutdownTracing, startOpsServer } from '@convene/runtime';
import { startProjector } from './index';

const logger = createLogger('projector');
initTracing({ serviceName: 'convene-projector' });
collectProcessMetrics();
const database = await resolveDatabase({ migrateEmbedded: false, log: (line) => logger.info(line) });
const pool = createPool({ connectionString: database.url, applicationName: 'convene-projector' });
const db = createDb(pool);
await migrateToLatest(db);
setMetricsSources({ pool });
// Personal values are unsealed on read (erased ones read as placeholders), as in every process.
const store = createEventStore({ pool, directConnectionString: process.env.DATABASE_DIRECT_URL });
await checkDeployment(store); // docs/operations.md, "Start-up checks"
// Leases are row claims through the pool (fine behind PgBouncer in transaction mode); LISTEN
// needs a session, so it goes to DATABASE_DIRECT_URL when set (without it the runners still poll).
const projector = await startProjector({ pool, store, logger, ...(process.env.DATABASE_DIRECT_URL ? { listenUrl: process.env.DATABASE_DIRECT_URL } : {}) });
const ops = await startOpsServer({
  port: Number(process.env.PROJECTOR_PORT ?? 3002),
  host: process.env.HOST ?? '127.0.0.1',
  logger,
  health: async () => {
    await pool.query('SELECT 1');
    const { projections } = await projector.status();
    const failed = projections.filter((p) => p.failure).map((p) => p.name);
    // A stream parked at a poison event (issue 11.11) is unhealthy too: its read models are stale.
    const parked = projections.flatMap((p) => p.parked.map((x) => ({ name: p.name, streamId: x.streamId, position: x.position, eventType: x.eventType, error: x.error })));
    return { ok: failed.length === 0 && parked.length === 0, held: projector.held().length, failed, parked };
  },
});
logger.info('projector started');

onShutdown(logger, [
  { name: 'health server', run: () => ops.close() },
  { name: 'projector', run: () => projector.stop() },
  { name: 'connections', run: async () => (await store.close(), await pool.end()) },
  { name: 'traces', run: () => shutdownTracing() },
  { name: 'postgres', run: () => database.close() },
]);
