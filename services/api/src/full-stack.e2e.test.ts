import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import nodemailer from 'nodemailer';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { startProjector } from '@convene/projector';
import { createTestDatabase, testRedisUrl, uniqueRedisPrefix, type TestDatabase } from '@convene/testkit';
import { startWorkers, type Workers } from '@convene/worker';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { createApiKey } from './auth/keys';
import { loadConfig } from './config';
import { runSeedYear, SEED_IDS, type SeedResult } from './test-fixtures/seed-year';

// The whole product in one process, as `npm start` runs it: the API with personal data sealed in
// the events, the projector answering consistentWith, the workers reading the same sealed events.
let database: TestDatabase;
let store: EventStore;
let app: FastifyInstance;
let projector: Awaited<ReturnType<typeof startProjector>>;
let workers: Workers;
let results: SeedResult[];
let adminKey: string;
const clock = { now: new Date('2025-01-06T09:00:00Z') };
const LEADER_EMAIL = 'morgan.leader@example.org';

beforeAll(async () => {
  database = await createTestDatabase();
  store = createEventStore({ pool: database.pool });
  projector = await startProjector({ pool: database.pool, store, pollIntervalMs: 100 });
  workers = startWorkers({
    pool: database.pool,
    store,
    redisUrl: testRedisUrl(),
    prefix: uniqueRedisPrefix('full'),
    clock: () => clock.now,
    transport: nodemailer.createTransport({ jsonTransport: true }),
    tickIntervalMs: null,
  });
  app = await buildApp(
    {
      config: loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000' }),
      pool: database.pool,
      db: database.db,
      eventStore: store,
      isCaughtUp: (position) => projector.isCaughtUp(position),
      clock: () => clock.now,
    },
    { logger: false },
  );
  await app.ready();
  adminKey = (await createApiKey(database.pool, { name: 'admin', role: 'admin' })).key;
  const scoped = (role: 'coach' | 'agency', actorId: string) =>
    createApiKey(database.pool, { name: role, role, actorId, collaborativeIds: [SEED_IDS.collaborative], agencyIds: [SEED_IDS.agency1] }).then((k) => k.key);
  const keys = { admin: adminKey, coach: await scoped('coach', SEED_IDS.coach), agency: await scoped('agency', SEED_IDS.agencyChangeLeader) };
  results = await runSeedYear(app, { keys, setClock: (at) => (clock.now = at) });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await workers?.stop();
  await projector?.stop();
  await store?.close();
  await database?.drop();
});

describe('the seed year through the whole stack', () => {
  it('runs every step', () => {
    expect(results.filter((r) => r.status !== r.step.status).map((r) => r.step.name)).toEqual([]);
  });

  it('stores no plain e-mail in the events table, yet reads it back through the event store', async () => {
    const raw = await database.pool.query(`SELECT count(*)::int AS n FROM events WHERE data::text LIKE $1`, [`%${LEADER_EMAIL}%`]);
    expect(raw.rows[0].n).toBe(0);
    const { events } = await store.readStream(`participation-${SEED_IDS.collaborative}_${SEED_IDS.agency1}`);
    expect(JSON.stringify(events.map((e) => e.data))).toContain(LEADER_EMAIL);
  });

  it('answers a query consistent with the last command, from the projector', async () => {
    const last = (results.at(-1)!.body as { position: number }).position;
    const res = await app.inject({
      method: 'GET',
      url: `/v1/collaboratives/${SEED_IDS.collaborative}/agencies/${SEED_IDS.agency1}?consistentWith=${last}`,
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { roles: { change_leader?: { email: string } }; stage?: string };
    expect(body.roles.change_leader?.email).toBe(LEADER_EMAIL);
  });

  it('sends the minutes to the invited agencies, recording the delivery with the decrypted recipient', async () => {
    clock.now = new Date('2026-01-01T09:00:00Z');
    const tick = await workers.tick();
    expect(tick.dispatched).toBeGreaterThan(0);
    const deliveryStream = `delivery-${SEED_IDS.collaborative}`;
    const deadline = Date.now() + 20_000;
    let sent: { type: string; data: any }[] = [];
    // Every invited agency gets its own delivery, in no set order: wait for agency 1's.
    while (Date.now() < deadline) {
      sent = (await store.readStream(deliveryStream)).events.filter((e) => e.type === 'MinutesSent');
      if (sent.some((e) => e.data.agencyId === SEED_IDS.agency1)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sent.length).toBeGreaterThan(0);
    const recipients = sent.flatMap((e) => e.data.recipients.map((r: { email: string }) => r.email));
    expect(recipients).toContain(LEADER_EMAIL);
    const raw = await database.pool.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1 AND data::text LIKE $2`, [deliveryStream, `%${LEADER_EMAIL}%`]);
    expect(raw.rows[0].n).toBe(0);
  });
});
