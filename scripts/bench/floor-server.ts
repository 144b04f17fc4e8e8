// The floor of an HTTP command path on Convene's event store, for bench:http's `floor` target: a
// fastify server whose one route parses the JSON body, appends it as one event to the agency's
// stream through the same store and group commit as the API, and answers with the position. No
// authentication, rate limit, validation, state, decision, idempotency, logging, metrics, wake-up
// notification, projector or worker: what any HTTP API storing one event per request on this store
// must at least spend, so that the API's rate can be read against it (docs/benchmarks.md).
// Run by bench:http as its own process: DATABASE_URL, DATABASE_POOL_MAX, PORT.
import Fastify from 'fastify';
import { createPool } from '@convene/db';
import { createEventStore } from '@convene/eventstore';

const pool = createPool({ connectionString: process.env.DATABASE_URL!, max: Number(process.env.DATABASE_POOL_MAX ?? 20), applicationName: 'convene-floor' });
// As the bare append measures it: no NOTIFY per commit.
const store = createEventStore({ pool, notify: false });
const metadata = { actorId: 'bench', actorRole: 'admin', correlationId: 'bench-floor' };
const app = Fastify({ logger: false });

app.get('/health', async () => ({ status: 'ok' }));
app.post<{ Params: { collaborativeId: string; agencyId: string }; Body: { month: string; counts: Record<string, number> } }>(
  '/v1/collaboratives/:collaborativeId/agencies/:agencyId/measures',
  async (req) => {
    const { collaborativeId, agencyId } = req.params;
    const result = await store.appendToStream(
      `floor-${agencyId}`,
      [{ type: 'MonthlyMeasuresRecorded', data: { collaborativeId, agencyId, month: req.body.month, counts: req.body.counts } }],
      // No state is kept, so no version to expect: a floor, cheaper than any checked append.
      { expectedVersion: 'any', metadata },
    );
    return { nextExpectedVersion: result.nextExpectedVersion };
  },
);

const close = async () => {
  await app.close();
  await store.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', close);
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
