// Issue 13: whether a delivery was recorded is one index look-up of its idempotency key, not a scan
// of the collaborative's delivery stream (which grows with every message ever sent), read by the
// statement that claims the row.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { deliveryIdempotencyKey, deliveryStreamId } from './delivery-events';
import { claimDelivery } from './claims';

let t: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  t = await createTestDatabase();
  store = createEventStore({ pool: t.pool, notify: false });
});
afterAll(async () => {
  await store.close();
  await t.drop();
});

/** Whether the claim of `key`'s row saw its delivery event recorded (the row is planned here first). */
async function deliveryRecorded(key: string): Promise<boolean> {
  await t.pool.query(
    `INSERT INTO scheduled_deliveries (key, kind, collaborative_id, subject_id, due_at, payload) VALUES ($1, 'announcement', $2, $3, now(), '{}') ON CONFLICT (key) DO NOTHING`,
    [key, randomUUID(), randomUUID()],
  );
  const claim = await claimDelivery(t.pool, key, 'test', 30_000, () => undefined, { recordedKey: deliveryIdempotencyKey(key) });
  await claim!.release();
  return claim!.recorded;
}

describe('the delivery claim reads whether the delivery was recorded', () => {
  it('issue 13: answers from the idempotency key the delivery event was appended with, whatever the stream holds', async () => {
    const collaborativeId = randomUUID();
    const record = (key: string) =>
      store.appendToStream(deliveryStreamId(collaborativeId), [{ type: 'MessageSent', data: { deliveryKey: key, kind: 'announcement', collaborativeId, subjectId: 's', recipients: [], rejected: [], subject: 'x', messageId: '<m>', sentAt: new Date().toISOString() } }], {
        expectedVersion: 'any',
        metadata: { actorId: 'worker', actorRole: 'system', correlationId: key },
        idempotency: { key: deliveryIdempotencyKey(key), fingerprint: key },
      });
    for (let i = 0; i < 50; i++) await record(`k-${i}`);
    expect(await deliveryRecorded('k-7')).toBe(true);
    expect(await deliveryRecorded('k-49')).toBe(true);
    expect(await deliveryRecorded('k-50')).toBe(false);
    // A retry of the same delivery is replayed by the store, not written twice.
    await record('k-7');
    const { events } = await store.readStream(deliveryStreamId(collaborativeId));
    expect(events.filter((e) => (e.data as { deliveryKey: string }).deliveryKey === 'k-7')).toHaveLength(1);
  });
});
