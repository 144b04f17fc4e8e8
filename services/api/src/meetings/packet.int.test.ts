// Issue 18, over HTTP with the projector and the worker on real PostgreSQL and Redis: a coach asks
// for the kick-off's packet; the worker renders one PDF per invited agency and an aggregate one,
// stores them in the meeting's binder and e-mails each Change Leader once. An agency key downloads
// its own packet (whose text, read back with unpdf, names the agency and shows its figures as the
// report route computes them, and no other agency) and is refused the other agency's.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { LocalDocumentStore } from '@convene/object-store';
import { startProjector } from '@convene/projector';
import { createTestDatabase, testRedisUrl, uniqueRedisPrefix, type TestDatabase } from '@convene/testkit';
import { packetKeys, processPacket, silentLogger, startWorkers, type Mailer, type Workers } from '@convene/worker';
import type { FastifyInstance } from 'fastify';
import type Mail from 'nodemailer/lib/mailer';
import { extractText, getDocumentProxy } from 'unpdf';
import { buildApp } from '../app';
import { createApiKey } from '../auth/keys';
import { loadConfig } from '../config';
import { runSeedYear, SEED_IDS } from '../test-fixtures/seed-year';

let database: TestDatabase;
let store: EventStore;
let app: FastifyInstance;
let projector: Awaited<ReturnType<typeof startProjector>>;
let workers: Workers;
let keys: { admin: string; coach: string; agency: string; agency2: string };
let documents: LocalDocumentStore;
const clock = { now: new Date('2025-01-06T09:00:00Z') };
const documentsDir = mkdtempSync(path.join(tmpdir(), 'convene-packet-'));
const sent: Mail.Options[] = [];
// Every message the worker hands to "SMTP", accepted as a server would.
const mailer: Mailer = {
  description: 'test',
  async send(message) {
    sent.push(message);
    const to = (message.to as { address: string }[]).map((a) => a.address);
    return { messageId: String(message.messageId), accepted: to, rejected: [] };
  },
  close: () => undefined,
};
const C = `/v1/collaboratives/${SEED_IDS.collaborative}`;
const A2 = `${C}/agencies/${SEED_IDS.agency2}`;
const HILLSIDE_LEADER = 'pat.hill@example.org';

const request = (method: 'GET' | 'POST' | 'PUT', url: string, key: string, payload?: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...headers }, ...(payload === undefined ? {} : { payload: payload as object }) });

beforeAll(async () => {
  database = await createTestDatabase();
  store = createEventStore({ pool: database.pool });
  projector = await startProjector({ pool: database.pool, store, pollIntervalMs: 100 });
  documents = new LocalDocumentStore(documentsDir);
  workers = startWorkers({
    pool: database.pool, store, redisUrl: testRedisUrl(), prefix: uniqueRedisPrefix('packet'), clock: () => clock.now,
    transport: mailer, documents, logger: silentLogger, tickIntervalMs: null, attempts: 3, backoffMs: 100,
  });
  app = await buildApp(
    {
      config: loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000' }),
      pool: database.pool, db: database.db, eventStore: store, documentStore: documents,
      isCaughtUp: (position) => projector.isCaughtUp(position), clock: () => clock.now,
    },
    { logger: false },
  );
  await app.ready();
  const scoped = (role: 'coach' | 'agency', actorId: string, agencyId: string) =>
    createApiKey(database.pool, { name: role, role, actorId, collaborativeIds: [SEED_IDS.collaborative], agencyIds: [agencyId] }).then((k) => k.key);
  keys = {
    admin: (await createApiKey(database.pool, { name: 'admin', role: 'admin' })).key,
    coach: await scoped('coach', SEED_IDS.coach, SEED_IDS.agency1),
    agency: await scoped('agency', SEED_IDS.agencyChangeLeader, SEED_IDS.agency1),
    agency2: await scoped('agency', SEED_IDS.agency2, SEED_IDS.agency2),
  };
  const results = await runSeedYear(app, { keys, setClock: (at) => (clock.now = at) });
  expect(results.filter((r) => r.status !== r.step.status).map((r) => r.step.name)).toEqual([]);
  // Agency 2 names its Change Leader and reports a baseline and two months, so both packets hold figures.
  clock.now = new Date('2025-12-16T09:00:00Z');
  const counts = (treated: number, days: number, scheduled: number, noShows: number) => ({
    clientsTreated: treated, totalDaysToTreatment: days, medianDaysToTreatment: Math.round(days / treated), intakeScheduled: scheduled, intakeNoShows: noShows, admissions: treated,
  });
  for (const [url, body] of [
    [`${A2}/roles`, { role: 'change_leader', person: { personId: '0190a000-0000-7000-8000-0000000000e1', name: 'Pat Hill', email: HILLSIDE_LEADER } }],
    [`${A2}/baseline`, { period: { from: '2024-12-01', to: '2025-01-31' }, counts: counts(31, 1147, 77, 29) }],
    [`${A2}/measures`, { month: '2025-03', counts: counts(17, 391, 41, 13) }],
    [`${A2}/measures`, { month: '2025-04', counts: counts(19, 361, 43, 9) }],
  ] as const) {
    const r = await request('POST', url, keys.admin, body);
    expect([r.statusCode, r.body]).toEqual([200, expect.any(String)]);
  }
}, 120_000);

afterAll(async () => {
  await app?.close();
  await workers?.stop();
  await projector?.stop();
  await store?.close();
  await database?.drop();
  rmSync(documentsDir, { recursive: true, force: true });
});

const rows = async () =>
  (await database.pool.query<{ key: string; kind: string; status: string }>(`SELECT key, kind, status FROM scheduled_deliveries WHERE kind IN ('meeting-packet', 'packet-notice') ORDER BY key`)).rows;

async function settle(): Promise<void> {
  const until = Date.now() + 60_000;
  for (;;) {
    await workers.tick();
    const r = await rows();
    const c = await workers.queue.getJobCounts('waiting', 'active', 'delayed');
    if (r.length > 1 && r.every((x) => x.status === 'sent') && (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0) return;
    if (Date.now() > until) throw new Error(`packet not settled: ${JSON.stringify(r)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function pdfText(body: Buffer): Promise<string> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(body)), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

const fmt = (type: string, v: number) => (type === 'proportion' ? `${Math.round(v * 1000) / 10}%` : String(Math.round(v * 100) / 100));

describe('issue 18: the Change Leader meeting packet', () => {
  let packetId: string;
  let docs: { documentId: string; agencyId: string | null; fileName: string; contentType: string }[];

  it('issue 18: a coach asks for the packet (201, idempotent under one key); an agency key may not', async () => {
    const url = `/v1/meetings/${SEED_IDS.kickOff}/packets`;
    const first = await request('POST', url, keys.coach, {}, { 'idempotency-key': 'kick-off-packet' });
    expect(first.statusCode).toBe(201);
    packetId = (first.json() as { packetId: string }).packetId;
    const again = await request('POST', url, keys.coach, {}, { 'idempotency-key': 'kick-off-packet' });
    expect([again.statusCode, (again.json() as { packetId: string }).packetId]).toEqual([201, packetId]);
    const refused = await request('POST', url, keys.agency, {});
    expect(refused.statusCode).toBe(403);
    const bad = await request('POST', url, keys.coach, { packetId: 'no' });
    expect([bad.statusCode, (bad.json() as { errors: { path: string }[] }).errors.map((e) => e.path)]).toEqual([400, ['body.packetId']]);
  });

  it('issue 18: the worker stores one packet per invited agency and an aggregate one in the meeting\'s binder', async () => {
    await settle();
    const list = await request('GET', `${C}/documents?targetKind=meeting&targetId=${SEED_IDS.kickOff}&consistentWith=${await lastPosition()}`, keys.admin);
    expect(list.statusCode).toBe(200);
    docs = (list.json() as { items: typeof docs }).items;
    expect(docs.map((d) => d.agencyId).sort()).toEqual([SEED_IDS.agency1, SEED_IDS.agency2, null].sort());
    expect(docs.every((d) => d.contentType === 'application/pdf')).toBe(true);
  }, 90_000);

  it("issue 18: agency key A downloads its packet: it names the agency, shows its figures as the report route computes them and no other agency; B's packet is refused", async () => {
    const own = docs.find((d) => d.agencyId === SEED_IDS.agency1)!;
    const other = docs.find((d) => d.agencyId === SEED_IDS.agency2)!;
    const aggregate = docs.find((d) => d.agencyId === null)!;
    const got = await request('GET', `/v1/documents/${own.documentId}/content`, keys.agency);
    expect([got.statusCode, got.headers['content-type']]).toEqual([200, 'application/pdf']);
    const text = await pdfText(got.rawPayload);
    expect(text).toContain('Riverside Recovery');
    expect(text).toContain('Access to Treatment 2025');
    expect(text).not.toContain('Hillside');
    // Its figures: the report route's own series of agency 1, for each focus measure.
    for (const measureId of ['waiting_time', 'intake_no_show']) {
      const report = (await request('GET', `${C}/measures/${measureId}/report?cohortId=${SEED_IDS.cohort1}`, keys.agency)).json() as {
        measure: { name: string; type: string }; agencySeries: { agency: string; own: boolean; points: { period: string; value: number }[] }[]; points: { period: string; value: number }[];
      };
      const series = report.agencySeries.find((s) => s.own)!;
      expect(series.agency).toBe(SEED_IDS.agency1);
      expect(series.points.length).toBeGreaterThan(0);
      for (const p of series.points) expect(text).toContain(`${p.period} ${fmt(report.measure.type, p.value)}`);
      for (const p of report.points) expect(text).toContain(fmt(report.measure.type, p.value));
    }
    expect((await request('GET', `/v1/documents/${other.documentId}/content`, keys.agency)).statusCode).toBe(403);
    expect((await request('GET', `/v1/documents/${other.documentId}`, keys.agency)).statusCode).toBe(403);
    // The aggregate packet is the cohort's: every participant reads it; it names no agency.
    const agg = await request('GET', `/v1/documents/${aggregate.documentId}/content`, keys.agency);
    expect(agg.statusCode).toBe(200);
    const aggText = await pdfText(agg.rawPayload);
    expect(aggText).not.toContain('Riverside');
    expect(aggText).not.toContain('Hillside');
    // Agency 2 reads its own, not agency 1's; its binder lists its packet and the aggregate one only.
    expect((await request('GET', `/v1/documents/${other.documentId}/content`, keys.agency2)).statusCode).toBe(200);
    expect((await request('GET', `/v1/documents/${own.documentId}/content`, keys.agency2)).statusCode).toBe(403);
    const binder = (await request('GET', `${C}/documents?targetKind=meeting&targetId=${SEED_IDS.kickOff}`, keys.agency2)).json() as { items: { agencyId: string | null }[] };
    expect(binder.items.map((d) => d.agencyId).sort()).toEqual([SEED_IDS.agency2, null].sort());
  });

  it('issue 18: each Change Leader is e-mailed once, about their own packet', async () => {
    await workers.tick();
    await settle();
    const notices = sent.filter((m) => String(m.subject).includes('your packet'));
    const to = notices.map((m) => (m.to as { address: string }[]).map((a) => a.address));
    expect(to.sort()).toEqual([['morgan.leader@example.org'], [HILLSIDE_LEADER]].sort());
    const own = docs.find((d) => d.agencyId === SEED_IDS.agency1)!;
    const morgan = notices.find((m) => (m.to as { address: string }[])[0]!.address === 'morgan.leader@example.org')!;
    expect(String(morgan.text)).toContain(own.documentId);
    expect(String(morgan.text)).toContain('Riverside Recovery');
    const { events } = await store.readStream(`delivery-${SEED_IDS.collaborative}`);
    const recorded = events.filter((e) => e.type === 'MessageSent' && (e.data as { kind: string }).kind === 'packet-notice').map((e) => e.data as { documentId: string; deliveryKey: string });
    expect(recorded.map((d) => d.documentId).sort()).toEqual(docs.filter((d) => d.agencyId).map((d) => d.documentId).sort());
    expect(recorded.every((d) => d.deliveryKey.startsWith(`packet-${packetId}-notice-`))).toBe(true);
  });
});

describe('issue 18: a packet job run again', () => {
  it('issue 18: stores no second document or file and mails no Change Leader twice', async () => {
    const { readdir } = await import('node:fs/promises');
    const files = async () => (await readdir(documentsDir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile() && !f.parentPath.includes('.tmp')).length;
    const before = { files: await files(), mails: sent.length, events: (await store.readAll({ after: 0, limit: 100000 })).events.length };
    expect(before.files).toBe(3);
    const [generation] = (await rows()).filter((r) => r.kind === 'meeting-packet');
    expect(generation!.key).toBe(packetKeys.generate(SEED_IDS.kickOff, packetIdOf(generation!.key)));
    // As if the job had died after its work but before marking the row: it runs again in full.
    await database.pool.query(`UPDATE scheduled_deliveries SET status = 'dispatched' WHERE key = $1`, [generation!.key]);
    const outcome = await processPacket({ pool: database.pool, store, objects: documents, clock: () => clock.now, logger: silentLogger }, generation!.key);
    expect(outcome).toBe('prepared');
    await settle();
    expect({ files: await files(), mails: sent.length, events: (await store.readAll({ after: 0, limit: 100000 })).events.length }).toEqual(before);
  });
});

const packetIdOf = (key: string) => key.slice(-36);

async function lastPosition(): Promise<number> {
  const { rows: r } = await database.pool.query<{ p: string }>('SELECT max(global_position) AS p FROM events');
  return Number(r[0]!.p);
}
