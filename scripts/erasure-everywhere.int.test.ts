// Issue 12, must show: after erasing a person, search every table of the database (every schema,
// read-model schemas included; each row cast to text) for their name and e-mail and find nothing
// readable; the events still hold their sealed values (unreadable without the deleted key); the
// idempotency records, delivery events (rejected addresses too), webhook deliveries, read models
// and the logs captured during the test hold nothing either.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import nodemailer from 'nodemailer';
import type { FastifyInstance } from 'fastify';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { startProjector } from '@convene/projector';
import type { RunningProjector } from '@convene/projections';
import { createTestDatabase, testRedisUrl, uniqueRedisPrefix, type TestDatabase } from '@convene/testkit';
import { startWorkers, type Logger, type Workers } from '@convene/worker';
import { buildApp, createApiKey, loadConfig, startWebhookDeliveries } from '@convene/api';
import { runSeedYear, SEED_IDS } from '../services/api/src/test-fixtures/seed-year';
import { startTestSmtp, type TestSmtp } from '../services/worker/src/testing/smtp';

const NAME = 'Morgan Leader';
const EMAIL = 'morgan.leader@example.org';
const FORBIDDEN = /morgan/i;

let database: TestDatabase;
let store: EventStore;
let app: FastifyInstance;
let projector: RunningProjector;
let workers: Workers;
let smtp: TestSmtp;
let receiver: Server;
let adminKey: string;
const logs: string[] = [];
const clock = { now: new Date('2025-01-06T09:00:00Z') };
const capture: Logger = {
  info: (o, m) => void logs.push(JSON.stringify([o, m])),
  warn: (o, m) => void logs.push(JSON.stringify([o, m])),
  error: (o, m) => void logs.push(JSON.stringify([o, m])),
};
const webhookKey = randomBytes(32);

beforeAll(async () => {
  database = await createTestDatabase();
  store = createEventStore({ pool: database.pool });
  projector = await startProjector({ pool: database.pool, store, pollIntervalMs: 50, logger: capture });
  smtp = await startTestSmtp();
  smtp.rejectRecipients.add(EMAIL); // Morgan's address bounces: the delivery event lists it as rejected
  workers = startWorkers({
    pool: database.pool, store, redisUrl: testRedisUrl(), prefix: uniqueRedisPrefix('erase'), clock: () => clock.now,
    transport: nodemailer.createTransport(smtp.url), logger: capture, tickIntervalMs: null, attempts: 1,
  });
  receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(500).end(`echo ${NAME} ${EMAIL}`)));
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const sink = new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) });
  app = await buildApp(
    {
      config: loadConfig({ LOG_LEVEL: 'trace', RATE_LIMIT_PER_MINUTE: '100000', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' }),
      pool: database.pool, db: database.db, eventStore: store, webhookSecretKey: webhookKey, clock: () => clock.now,
      isCaughtUp: (p) => projector.isCaughtUp(p),
    },
    { logger: { level: 'trace', stream: sink } },
  );
  await app.ready();
  adminKey = (await createApiKey(database.pool, { name: 'admin', role: 'admin' })).key;
  const scoped = (role: 'coach' | 'agency', actorId: string) =>
    createApiKey(database.pool, { name: role, role, actorId, collaborativeIds: [SEED_IDS.collaborative], agencyIds: [SEED_IDS.agency1] }).then((k) => k.key);
  const hook = await app.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: `Bearer ${adminKey}` }, payload: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/h`, after: 0 } });
  expect(hook.statusCode).toBe(201);
  const keys = { admin: adminKey, coach: await scoped('coach', SEED_IDS.coach), agency: await scoped('agency', SEED_IDS.agencyChangeLeader) };
  const results = await runSeedYear(app, { keys, setClock: (at) => (clock.now = at) });
  expect(results.filter((r) => r.status !== r.step.status).map((r) => r.step.name)).toEqual([]);
}, 90_000);

afterAll(async () => {
  await app?.close();
  await workers?.stop();
  await projector?.stop();
  await smtp?.close();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
  await store?.close();
  await database?.drop();
});

/** Every row of every table of every schema, as text, where `pattern` matches: [schema.table, row]. */
async function searchEveryTable(pattern: RegExp): Promise<{ table: string; row: string }[]> {
  const { rows: tables } = await database.pool.query<{ s: string; t: string }>(
    `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
  );
  expect(tables.length).toBeGreaterThan(15);
  const hits: { table: string; row: string }[] = [];
  for (const { s, t } of tables) {
    const name = `"${s.replaceAll('"', '""')}"."${t.replaceAll('"', '""')}"`;
    const { rows } = await database.pool.query<{ row: string }>(`SELECT x::text AS row FROM ${name} x`);
    for (const r of rows) if (pattern.test(r.row)) hits.push({ table: `${s}.${t}`, row: r.row.slice(0, 300) });
  }
  return hits;
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('issue 12: an erasure leaves nothing readable in any table, nor in the logs', () => {
  it('erases Morgan Leader everywhere', async () => {
    // The minutes go out; Morgan's address bounces and is recorded (sealed) as rejected.
    clock.now = new Date('2026-01-01T09:00:00Z');
    await workers.tick();
    await waitFor('minutes to agency 1', async () =>
      (await store.readStream(`delivery-${SEED_IDS.collaborative}`)).events.some((e) => e.type === 'MinutesSent' && (e.data as { agencyId?: string }).agencyId === SEED_IDS.agency1));
    const sent = (await store.readStream(`delivery-${SEED_IDS.collaborative}`)).events.find((e) => e.type === 'MinutesSent' && (e.data as { agencyId?: string }).agencyId === SEED_IDS.agency1)!;
    expect(JSON.stringify((sent.data as { rejected: unknown[] }).rejected)).toContain(EMAIL);
    const webhooks = startWebhookDeliveries({ pool: database.pool, store, secretKey: webhookKey, allowedHosts: '127.0.0.1', pollIntervalMs: 0, logger: capture });
    expect((await webhooks.tick()).failed).toBeGreaterThan(0); // the receiver answers 500 with Morgan's name in its body
    await projector.idle();

    // Before: the search finds Morgan in the read models (the search can fail).
    const before = await searchEveryTable(FORBIDDEN);
    expect(before.some((h) => h.table.startsWith('proj_') || !h.table.startsWith('public.'))).toBe(true);
    expect(before.filter((h) => h.table === 'public.events')).toEqual([]); // sealed in the events from the start

    await projector.stop(); // the live read models must lose the values without waiting for the projector
    const erased = await app.inject({
      method: 'POST', url: '/v1/privacy/erasures', headers: { authorization: `Bearer ${adminKey}` },
      payload: { personId: SEED_IDS.agencyChangeLeader, email: EMAIL, name: NAME },
    });
    expect(erased.statusCode).toBe(201);
    const atOnce = await app.inject({ method: 'GET', url: `/v1/collaboratives/${SEED_IDS.collaborative}/agencies/${SEED_IDS.agency1}`, headers: { authorization: `Bearer ${adminKey}` } });
    expect(atOnce.statusCode).toBe(200);
    expect(atOnce.body).not.toMatch(FORBIDDEN);
    expect(await searchEveryTable(FORBIDDEN)).toEqual([]);

    // Then the projector rebuilds from the erased log, the workers and webhooks go on.
    projector = await startProjector({ pool: database.pool, store, pollIntervalMs: 50, logger: capture });
    await projector.idle();
    await database.pool.query('UPDATE webhook_subscriptions SET next_attempt_at = NULL');
    await webhooks.tick();
    await webhooks.stop();
    await workers.tick();

    expect(await searchEveryTable(FORBIDDEN)).toEqual([]);
    // The events still hold Morgan's values, sealed, and read as the placeholders.
    const { rows } = await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE data::text LIKE '%"$pii"%'`);
    expect(rows[0]!.n).toBeGreaterThan(5);
    const participation = await store.readStream(`participation-${SEED_IDS.collaborative}_${SEED_IDS.agency1}`);
    expect(JSON.stringify(participation.events.map((e) => e.data))).toContain('[erased]');
    expect(JSON.stringify(participation.events.map((e) => e.data))).not.toMatch(FORBIDDEN);
    // Other people are untouched.
    expect(JSON.stringify(participation.events.map((e) => e.data))).toContain('Avery Sponsor');
    // Logs of the API (pino), the projector, the workers and the webhooks.
    expect(logs.length).toBeGreaterThan(50);
    expect(logs.filter((l) => FORBIDDEN.test(l))).toEqual([]);
  }, 120_000);
});
