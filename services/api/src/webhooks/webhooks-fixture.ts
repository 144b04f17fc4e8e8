// The webhook tests' set-up (webhooks.int.test.ts, webhook-subscriptions.int.test.ts): a test app
// that allows a receiver on 127.0.0.1, the receiver, and a delivery loop the tests tick by hand
// on their own clock; helpers to subscribe, append and read what was delivered.
import { beforeAll, afterAll, expect } from '@jest/globals';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { startWebhookDeliveries, type WebhookDeliveries } from './deliveries';
import { Receiver, type Received } from '../test-fixtures/webhook-receiver';

export interface Payload {
  subscriptionId: string;
  events: { position: number; eventId: string; type: string; streamId: string; data: { collaborativeId?: string; n?: number } }[];
}

export const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
export const COLLAB_A = '0196aaaa-0000-7000-8000-00000000000a';
export const COLLAB_B = '0196bbbb-0000-7000-8000-00000000000b';
const meta = { actorId: 'webhook-test', actorRole: 'admin', correlationId: 'webhook-test' };

export let t: TestApp;
export let receiver: Receiver;
export let deliveries: WebhookDeliveries;
export const clock = { now: new Date('2025-03-01T12:00:00.000Z') };
export const unixNow = () => Math.floor(clock.now.getTime() / 1000);

export const api = async (method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, key = t.adminKey) => {
  const r = await t.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, ...(body === undefined ? {} : { payload: body as object }) });
  return { status: r.statusCode, body: r.json() as any };
};
export const subscribe = async (path: string, extra: Record<string, unknown> = {}) => {
  const r = await api('POST', '/v1/webhooks', { url: receiver.url(path), ...extra });
  expect(r.status).toBe(201);
  return r.body as { subscriptionId: string; secret: string; position: number };
};
let streamSeq = 0;
export const append = async (type: string, data: Record<string, unknown>) => {
  const r = await t.eventStore.appendToStream(`whtest-${++streamSeq}`, [{ type, data }], { expectedVersion: 'no_stream', metadata: meta });
  return r.lastPosition;
};
export const payloadOf = (r: Received) => JSON.parse(r.body) as Payload;

/** Creates the app, receiver and delivery loop before the file's tests and stops them after. */
export function useWebhookFixture(): void {
  beforeAll(async () => {
    // The receiver is on 127.0.0.1: an on-premise receiver, allowed by the setting (issue 12.9).
    t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    receiver = new Receiver();
    await receiver.start();
    // No background loop: the tests drive every tick and the clock.
    deliveries = startWebhookDeliveries({
      pool: t.database.pool,
      store: t.eventStore,
      secretKey: t.webhookSecretKey,
      allowedHosts: '127.0.0.1',
      clock: () => clock.now,
      logger: silent,
      pollIntervalMs: 0,
      batchSize: 5,
    });
  });
  afterAll(async () => {
    await deliveries.stop();
    await receiver.stop();
    await t.close();
  });
}
