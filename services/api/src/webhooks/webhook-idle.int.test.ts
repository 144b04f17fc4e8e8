// Issue 13: with no subscription due, a commit does not wake the webhook loop (it ticked on every
// commit notification, up to ten times a second, to find nothing: a statement and a wake-up per
// tick in the API process); it polls instead, and a subscription created meanwhile is served at
// the next poll. Once one is due, commits wake the loop again (webhooks.int.test.ts).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { EventStore } from '@convene/eventstore';
import { createTestDatabase, statementText, type TestDatabase } from '@convene/testkit';
import { startWebhookDeliveries } from './deliveries';

let tdb: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  tdb = await createTestDatabase({ poolSize: 4 });
  store = new EventStore({ pool: tdb.pool });
});
afterAll(async () => {
  await store.close();
  await tdb.drop();
});

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const meta = { actorId: 'tester', actorRole: 'admin', correlationId: 'c' };

describe('issue 13: the webhook loop with nothing due', () => {
  it('issue 13: 30 commits in 1.5 s wake it never while no subscription is due; it ticks on its poll interval', async () => {
    let ticks = 0;
    const ticksOfPool = () => ticks;
    // The tick's SELECT goes through pool.query.
    const original = tdb.pool.query.bind(tdb.pool);
    (tdb.pool as unknown as { query: unknown }).query = (...args: unknown[]) => {
      if (statementText(args).includes('SELECT subscription_id FROM webhook_subscriptions')) ticks++;
      return (original as (...a: unknown[]) => unknown)(...args);
    };
    const live = startWebhookDeliveries({ pool: tdb.pool, store, secretKey: randomBytes(32), allowedHosts: '127.0.0.1', logger: silent, pollIntervalMs: 1000, minTickIntervalMs: 50 });
    try {
      await new Promise((r) => setTimeout(r, 400)); // LISTEN is on, the first tick done
      const first = ticksOfPool();
      expect(first).toBeGreaterThanOrEqual(1);
      const started = Date.now();
      for (let i = 0; i < 30; i++) {
        await store.appendToStream(`burst-${randomUUID()}`, [{ type: 'Burst', data: { i } }], { expectedVersion: 'no_stream', metadata: meta });
        await new Promise((r) => setTimeout(r, 50));
      }
      const elapsed = Date.now() - started + 400;
      // One tick per poll interval at most (the commits woke it 30 times before: one tick each, bounded by 50 ms).
      expect(ticksOfPool() - first).toBeLessThanOrEqual(Math.ceil(elapsed / 1000) + 1);
      expect(ticksOfPool() - first).toBeGreaterThanOrEqual(1);
    } finally {
      (tdb.pool as unknown as { query: unknown }).query = original;
      await live.stop();
    }
  });
});
