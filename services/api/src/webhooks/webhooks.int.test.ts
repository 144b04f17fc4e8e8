// Webhook deliveries: order, signatures, checkpoints, retries with backoff, filters, history,
// two processes at once, the background loop, and the Standard Webhooks library's check.
import { describe, it, expect } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { backoffMs, startWebhookDeliveries } from './deliveries';
import { verifySignature } from './signature';
import { api, append, clock, COLLAB_A, COLLAB_B, deliveries, payloadOf, receiver, silent, subscribe, t, unixNow, useWebhookFixture } from './webhooks-fixture';

useWebhookFixture();

describe('webhook deliveries', () => {
  it('POSTs new events in global order with a valid signature and moves the checkpoint', async () => {
    const sub = await subscribe('/ordered');
    const positions: number[] = [];
    for (let n = 1; n <= 7; n++) positions.push(await append('Ordered', { collaborativeId: COLLAB_A, n }));
    await deliveries.tick();
    const got = receiver.at('/ordered');
    // batchSize 5: two POSTs, in order.
    expect(got).toHaveLength(2);
    const events = got.flatMap((r) => payloadOf(r).events);
    expect(events.map((e) => e.position)).toEqual(positions);
    expect(events.map((e) => e.data.n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events[0]).toMatchObject({ type: 'Ordered', metadata: { actorId: 'webhook-test', actorRole: 'admin' } });
    for (const r of got) {
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(payloadOf(r).subscriptionId).toBe(sub.subscriptionId);
      const header = String(r.headers['convene-signature']);
      expect(header).toMatch(new RegExp(`^t=${unixNow()},v1=[0-9a-f]{64}$`));
      expect(verifySignature(sub.secret, header, r.body, { now: unixNow() })).toBe(true);
      expect(verifySignature(sub.secret, header, r.body.replace('Ordered', 'Ordere_'), { now: unixNow() })).toBe(false);
      expect(verifySignature('whsec_wrong', header, r.body, { now: unixNow() })).toBe(false);
      expect(verifySignature(sub.secret, header, r.body, { now: unixNow() + 3600 })).toBe(false);
    }
    const state = await api('GET', `/v1/webhooks/${sub.subscriptionId}`);
    expect(state.body).toMatchObject({ position: positions.at(-1), failures: 0, nextAttemptAt: null, lastError: null });
    // The log names each POST by its Convene-Delivery header.
    const log = await api('GET', `/v1/webhooks/${sub.subscriptionId}/deliveries`);
    expect(log.body.items.map((d: { deliveryId: string }) => d.deliveryId)).toEqual(got.map((r) => r.headers['convene-delivery']).reverse());
    expect(log.body.items[1]).toMatchObject({ fromPosition: positions[0], toPosition: positions[4], eventCount: 5, httpStatus: 200, succeeded: true, error: null, attempt: 1 });
    // Nothing new: nothing sent.
    await deliveries.tick();
    expect(receiver.at('/ordered')).toHaveLength(2);
    await api('DELETE', `/v1/webhooks/${sub.subscriptionId}`);
  });

  it('retries a failing receiver with the same batch after a backoff, skipping nothing, and logs every attempt', async () => {
    const sub = await subscribe('/flaky');
    receiver.failNext('/flaky', 500, 500);
    const first = [await append('Flaky', { collaborativeId: COLLAB_A, n: 1 }), await append('Flaky', { collaborativeId: COLLAB_A, n: 2 })];
    const r1 = await deliveries.tick();
    expect(r1).toMatchObject({ delivered: 0, failed: 1 });
    // An event committed while the receiver is down comes after the failed batch, never inside it.
    const later = await append('Flaky', { collaborativeId: COLLAB_A, n: 3 });
    const failed = await api('GET', `/v1/webhooks/${sub.subscriptionId}`);
    expect(failed.body).toMatchObject({ failures: 1, position: sub.position, lastError: 'HTTP 500' });
    expect(failed.body.nextAttemptAt).toBe(new Date(clock.now.getTime() + backoffMs(1)).toISOString());

    // Not due yet: no attempt.
    await deliveries.tick();
    expect(receiver.at('/flaky')).toHaveLength(1);
    clock.now = new Date(clock.now.getTime() + backoffMs(1));
    expect((await deliveries.tick()).failed).toBe(1);
    expect(receiver.at('/flaky')).toHaveLength(2);
    // The second backoff is twice the first.
    const second = await api('GET', `/v1/webhooks/${sub.subscriptionId}`);
    expect(second.body.nextAttemptAt).toBe(new Date(clock.now.getTime() + backoffMs(2)).toISOString());
    expect(backoffMs(2)).toBe(2 * backoffMs(1));
    clock.now = new Date(clock.now.getTime() + backoffMs(1));
    await deliveries.tick();
    expect(receiver.at('/flaky')).toHaveLength(2);
    clock.now = new Date(clock.now.getTime() + backoffMs(2));
    const r3 = await deliveries.tick();
    expect(r3).toMatchObject({ delivered: 2, failed: 0, events: 3 });

    const got = receiver.at('/flaky');
    expect(got.map((r) => r.status)).toEqual([500, 500, 200, 200]);
    // The same batch three times (byte for byte), then the event that came later.
    expect(got[1]!.body).toBe(got[0]!.body);
    expect(got[2]!.body).toBe(got[0]!.body);
    expect(payloadOf(got[0]!).events.map((e) => e.position)).toEqual(first);
    expect(payloadOf(got[3]!).events.map((e) => e.position)).toEqual([later]);
    // Each attempt has its own delivery id and a fresh signature.
    expect(new Set(got.map((r) => r.headers['convene-delivery'])).size).toBe(4);
    for (const r of got) expect(verifySignature(sub.secret, String(r.headers['convene-signature']), r.body, { toleranceSeconds: Infinity })).toBe(true);

    const log = await api('GET', `/v1/webhooks/${sub.subscriptionId}/deliveries`);
    expect(log.status).toBe(200);
    expect(log.body.items.map((d: { attempt: number; httpStatus: number; succeeded: boolean }) => [d.attempt, d.httpStatus, d.succeeded])).toEqual([
      [1, 200, true],
      [3, 200, true],
      [2, 500, false],
      [1, 500, false],
    ]);
    const oldest = log.body.items[3];
    expect(oldest).toMatchObject({ fromPosition: first[0], toPosition: first[1], eventCount: 2, error: 'HTTP 500' });
    expect(oldest.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(oldest.attemptedAt)).toBeLessThan(Date.parse(log.body.items[0].attemptedAt));
    // Paginated.
    const page1 = await api('GET', `/v1/webhooks/${sub.subscriptionId}/deliveries?limit=3`);
    expect(page1.body.items).toHaveLength(3);
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await api('GET', `/v1/webhooks/${sub.subscriptionId}/deliveries?limit=3&cursor=${page1.body.nextCursor}`);
    expect(page2.body).toEqual({ items: [log.body.items[3]], nextCursor: null });
    expect((await api('GET', `/v1/webhooks/${sub.subscriptionId}/deliveries?cursor=bad`)).status).toBe(400);
    const healthy = await api('GET', `/v1/webhooks/${sub.subscriptionId}`);
    expect(healthy.body).toMatchObject({ position: later, failures: 0, lastError: null, nextAttemptAt: null });
    await api('DELETE', `/v1/webhooks/${sub.subscriptionId}`);
  });

  it('a connection failure is logged without a status', async () => {
    // A port with nothing listening: the POST fails before any response.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await api('POST', '/v1/webhooks', { url: `http://127.0.0.1:${port}/nobody` });
    await append('Unheard', { collaborativeId: COLLAB_A });
    await deliveries.tick();
    const log = await api('GET', `/v1/webhooks/${r.body.subscriptionId}/deliveries`);
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({ httpStatus: null, succeeded: false, attempt: 1 });
    expect(log.body.items[0].error).toEqual(expect.any(String));
    await api('DELETE', `/v1/webhooks/${r.body.subscriptionId}`);
  });

  it('delivers only the subscribed types and collaborative', async () => {
    const typed = await subscribe('/typed', { types: ['Wanted', 'AlsoWanted'] });
    const scoped = await subscribe('/scoped', { collaborativeId: COLLAB_B });
    const wanted: number[] = [];
    const inB: number[] = [];
    for (let n = 0; n < 12; n++) {
      const type = ['Wanted', 'Unwanted', 'AlsoWanted'][n % 3]!;
      const collaborativeId = n % 2 === 0 ? COLLAB_A : COLLAB_B;
      const position = await append(type, { collaborativeId, n });
      if (type !== 'Unwanted') wanted.push(position);
      if (collaborativeId === COLLAB_B) inB.push(position);
    }
    await append('NoCollaborative', { something: 1 });
    await deliveries.tick();
    const typedEvents = receiver.at('/typed').flatMap((r) => payloadOf(r).events);
    expect(typedEvents.map((e) => e.position)).toEqual(wanted);
    expect(new Set(typedEvents.map((e) => e.type))).toEqual(new Set(['Wanted', 'AlsoWanted']));
    const scopedEvents = receiver.at('/scoped').flatMap((r) => payloadOf(r).events);
    expect(scopedEvents.map((e) => e.position)).toEqual(inB);
    expect(scopedEvents.every((e) => e.data.collaborativeId === COLLAB_B)).toBe(true);
    // The scoped subscription's checkpoint moved past the events it does not get.
    const state = await api('GET', `/v1/webhooks/${scoped.subscriptionId}`);
    expect(state.body.position).toBeGreaterThan(inB.at(-1)!);
    await api('DELETE', `/v1/webhooks/${typed.subscriptionId}`);
    await api('DELETE', `/v1/webhooks/${scoped.subscriptionId}`);
  });

  it('replays history from `after: 0`, and two processes ticking at once deliver each batch once', async () => {
    const history = await subscribe('/history', { after: 0, types: ['Ordered'] });
    const other = startWebhookDeliveries({ pool: t.database.pool, store: t.eventStore, secretKey: t.webhookSecretKey, allowedHosts: '127.0.0.1', clock: () => clock.now, logger: silent, pollIntervalMs: 0, batchSize: 5 });
    try {
      await Promise.all([deliveries.tick(), other.tick(), other.tick()]);
    } finally {
      await other.stop();
    }
    const events = receiver.at('/history').flatMap((r) => payloadOf(r).events);
    expect(events.map((e) => e.data.n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(7);
    await api('DELETE', `/v1/webhooks/${history.subscriptionId}`);
  });

  it('the background loop delivers a new event when it commits', async () => {
    const sub = await subscribe('/live');
    const live = startWebhookDeliveries({ pool: t.database.pool, store: t.eventStore, secretKey: t.webhookSecretKey, allowedHosts: '127.0.0.1', logger: silent, pollIntervalMs: 200 });
    try {
      const position = await append('Live', { collaborativeId: COLLAB_A });
      await receiver.until('/live', 1);
      expect(payloadOf(receiver.at('/live')[0]!).events.map((e) => e.position)).toEqual([position]);
    } finally {
      await live.stop();
    }
    await api('DELETE', `/v1/webhooks/${sub.subscriptionId}`);
  });

  it('issue 13: commits in quick succession wake the background loop at most once per minTickIntervalMs', async () => {
    const pool = t.database.pool as unknown as { query: (...args: unknown[]) => unknown };
    const original = pool.query;
    let ticks = 0;
    pool.query = function (this: unknown, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      if (text?.includes('SELECT subscription_id FROM webhook_subscriptions')) ticks++;
      return original.apply(this, args);
    };
    // Polling alone would tick once in 10 s: every tick here is woken by a commit. A subscription
    // is due (with none, commits do not wake the loop at all: webhook-idle.int.test.ts).
    const sub = await subscribe('/burst');
    const live = startWebhookDeliveries({ pool: t.database.pool, store: t.eventStore, secretKey: t.webhookSecretKey, allowedHosts: '127.0.0.1', logger: silent, pollIntervalMs: 10_000, minTickIntervalMs: 400 });
    try {
      await new Promise((r) => setTimeout(r, 500)); // LISTEN is on, the first tick done
      ticks = 0;
      const started = Date.now();
      for (let i = 0; i < 30; i++) {
        await append('Burst', { collaborativeId: COLLAB_A, n: i });
        await new Promise((r) => setTimeout(r, 25));
      }
      await new Promise((r) => setTimeout(r, 500));
      const elapsed = Date.now() - started;
      expect(ticks).toBeGreaterThanOrEqual(1);
      // 30 commits ~25 ms apart: one tick each without the bound; with it, one per 400 ms.
      expect(ticks).toBeLessThanOrEqual(Math.ceil(elapsed / 400) + 1);
    } finally {
      pool.query = original;
      await live.stop();
      await api('DELETE', `/v1/webhooks/${sub.subscriptionId}`);
    }
  });

  it('issue 17: a delivery verifies with the Standard Webhooks library (standardwebhooks), its webhook-id the same on a retry', async () => {
    // The library checks webhook-timestamp against the wall clock: deliver on it.
    clock.now = new Date();
    const sub = await subscribe('/standard');
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    receiver.failNext('/standard', 503);
    await append('Standard', { collaborativeId: COLLAB_A });
    await deliveries.tick();
    clock.now = new Date(Date.now() + backoffMs(1) + 1000);
    await deliveries.tick();
    const got = receiver.at('/standard');
    expect(got.map((r) => r.status)).toEqual([503, 200]);
    const receiverSide = new Webhook(sub.secret);
    for (const r of got) {
      const headers = { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) };
      expect(receiverSide.verify(r.body, headers)).toMatchObject({ subscriptionId: sub.subscriptionId, events: [{ type: 'Standard' }] });
      // A changed body, another secret or a changed id fail.
      expect(() => receiverSide.verify(r.body.replace('Standard', 'Standarx'), headers)).toThrow();
      expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(r.body, headers)).toThrow();
      expect(() => receiverSide.verify(r.body, { ...headers, 'webhook-id': `${headers['webhook-id']}x` })).toThrow();
    }
    // The message id names the batch: a retry carries the same one (receivers deduplicate on it).
    expect(got[1]!.headers['webhook-id']).toBe(got[0]!.headers['webhook-id']);
    expect(got[1]!.headers['convene-delivery']).not.toBe(got[0]!.headers['convene-delivery']);
    await api('DELETE', `/v1/webhooks/${sub.subscriptionId}`);
  });
});
