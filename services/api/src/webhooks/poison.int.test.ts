// Issue 11.11 for webhooks: an event a subscription cannot read parks only its collaborative for that
// subscription, loudly (logged once, /health), the subscription goes on with the others, and a
// resume after a fix POSTs the parked events in order. The poison is real: an upcaster that throws
// on one stored event (as a buggy upcaster or an unreadable sealed value would).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventStore, UpcasterRegistry } from '@convene/eventstore';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { startWebhookDeliveries, type WebhookDeliveries } from './deliveries';

const COLLAB_A = '0196aaaa-0000-7000-8000-0000000000a1';
const COLLAB_B = '0196bbbb-0000-7000-8000-0000000000b2';
const meta = { actorId: 'webhook-poison-test', actorRole: 'admin', correlationId: 'webhook-poison-test' };

let t: TestApp;
let server: Server;
let port = 0;
const posts: { n: number; collaborativeId: string }[][] = [];
const running: WebhookDeliveries[] = [];

beforeAll(async () => {
  t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: { data: { n: number; collaborativeId: string } }[] }).events.map((e) => e.data));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const d of running) await d.stop();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.close();
});

describe('issue 11.11: poison events in webhook deliveries', () => {
  it('issue 11.11: an unreadable event parks its collaborative for the subscription only, is logged and shown on /health, and is POSTed in order after a fix', async () => {
    const errors: { obj: any; msg?: string }[] = [];
    const logger = { info: () => undefined, warn: () => undefined, error: (obj: unknown, msg?: string) => void errors.push({ obj, msg }) };
    const deliveriesWith = (upcast: (d: any) => unknown) => {
      const store = new EventStore({ pool: t.database.pool, upcasters: new UpcasterRegistry().register('Gadget', 1, upcast) });
      const d = startWebhookDeliveries({ pool: t.database.pool, store, secretKey: t.webhookSecretKey, allowedHosts: '127.0.0.1', logger, pollIntervalMs: 0, batchSize: 4 });
      running.push(d);
      return d;
    };
    const broken = deliveriesWith((d: { bad?: boolean }) => {
      if (d.bad) throw new Error('cannot read this Gadget');
      return d;
    });
    const created = await t.app.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: `Bearer ${t.adminKey}` }, payload: { url: `http://127.0.0.1:${port}/poison`, types: ['Gadget'] } });
    expect(created.statusCode).toBe(201);
    const subscriptionId = created.json().subscriptionId as string;
    let seq = 0;
    const gadget = (collaborativeId: string, extra: Record<string, unknown> = {}) =>
      t.eventStore.appendToStream(`gadget-${collaborativeId}`, [{ type: 'Gadget', data: { collaborativeId, n: ++seq, ...extra } }], { expectedVersion: 'any', metadata: meta });
    await gadget(COLLAB_A);
    await gadget(COLLAB_B, { bad: true }); // n 2: the poison
    await gadget(COLLAB_B); // n 3: behind it
    for (let i = 0; i < 6; i++) await gadget(COLLAB_A); // n 4..9

    for (let i = 0; i < 10; i++) await broken.tick();
    const delivered = posts.flat();
    expect(delivered.map((e) => e.n)).toEqual([1, 4, 5, 6, 7, 8, 9]);
    expect(errors).toEqual([expect.objectContaining({ obj: expect.objectContaining({ subscriptionId, parkedKey: COLLAB_B, eventType: 'Gadget' }) })]);
    const health = (await t.app.inject({ method: 'GET', url: '/health' })).json();
    expect(health.status).not.toBe('ok');
    expect(health.webhooks).toEqual({
      ok: false,
      parked: [expect.objectContaining({ subscriptionId, key: COLLAB_B, eventType: 'Gadget', events: 2, error: expect.stringContaining('cannot read this Gadget') })],
    });

    // The subscription keeps going; the parked collaborative's new events wait behind the poison.
    await gadget(COLLAB_A); // n 10
    await gadget(COLLAB_B); // n 11
    await broken.tick();
    expect(posts.flat().map((e) => e.n)).toEqual([1, 4, 5, 6, 7, 8, 9, 10]);
    expect(errors).toHaveLength(1);

    // Resumed before the fix: still parked. With the fixed upcaster: POSTed in order, health ok.
    expect(await broken.resumeParked(subscriptionId, COLLAB_B)).toMatchObject({ replayed: 0, stillParked: true });
    const fixed = deliveriesWith((d: { bad?: boolean }) => ({ ...d, bad: false }));
    expect(await fixed.resumeParked(subscriptionId, COLLAB_B)).toEqual({ replayed: 3, stillParked: false });
    expect(posts.at(-1)!.map((e) => e.n)).toEqual([2, 3, 11]);
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json().webhooks).toEqual({ ok: true, parked: [] });
    await gadget(COLLAB_B); // n 12: goes out as usual now
    await fixed.tick();
    expect(posts.at(-1)!.map((e) => e.n)).toEqual([12]);
  }, 60_000);
});
