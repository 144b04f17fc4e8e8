import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import nodemailer from 'nodemailer';
import { EventStore } from '@convene/eventstore';
import { createTestDatabase, startRedisServer, uniqueRedisPrefix, type TestDatabase } from '@convene/testkit';
import { startWorkers, type Workers } from './index';
import { deliveryStreamId } from './delivery-events';
import { silentLogger } from './types';
import { startReadModels } from './testing/read-models';
import type { RunningProjector } from '@convene/projections';
import { startTestSmtp, type TestSmtp } from './testing/smtp';
import { scenario, TestClock, waitFor } from './testing/scenario';

describe('Redis down (own redis-server, stopped and restarted on the same port)', () => {
  let tdb: TestDatabase;
  let readModels: RunningProjector | undefined;
  let store: EventStore;
  let smtp: TestSmtp;
  let workers: Workers;
  let redis: Awaited<ReturnType<typeof startRedisServer>>;
  const clock = new TestClock(new Date('2030-03-02T09:00:00Z'));

  beforeAll(async () => {
    tdb = await createTestDatabase();
    store = new EventStore({ pool: tdb.pool });
    readModels = await startReadModels(tdb, store);
    smtp = await startTestSmtp();
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await workers?.stop();
    await redis?.stop();
    await smtp?.close();
    await readModels?.stop();
    await tdb?.drop();
  });

  it('commands succeed while Redis is down; every reminder goes out once it is back', async () => {
    workers = startWorkers({
      pool: tdb.pool,
      store,
      redisUrl: redis.url,
      prefix: uniqueRedisPrefix('wdown'),
      clock: clock.now,
      transport: nodemailer.createTransport(smtp.url),
      logger: silentLogger,
      tickIntervalMs: null,
    });
    const s = scenario(store, clock);
    const agencies = await s.launch(2);
    await workers.tick();

    await redis.stop();
    // Commands touch PostgreSQL only: they keep succeeding.
    const ids = agencies.map((a) => a.agencyId);
    const m1 = await s.scheduleMeeting(new Date('2030-03-20T15:00:00Z'), ids);
    const m2 = await s.scheduleMeeting(new Date('2030-03-25T15:00:00Z'), ids);
    await s.run('RescheduleMeeting', { meetingId: m2, startsAt: '2030-03-26T15:00:00.000Z' });

    clock.set('2030-03-19T16:00:00Z'); // 7d of both, 1d of m1 due
    const down = await workers.tick();
    expect(down.planned).toBe(3);
    expect(down.dispatched).toBe(0);
    expect(down.dispatchError).toBeDefined();
    const { rows: waiting } = await tdb.pool.query(`SELECT count(*)::int AS n FROM scheduled_deliveries WHERE status = 'pending' AND due_at <= $1`, [clock.now()]);
    expect(waiting[0].n).toBe(6);
    expect((await workers.status()).lastError).toBeTruthy();

    redis = await startRedisServer(redis.port);
    await waitFor(async () => (await workers.tick()).dispatched > 0 || false, 15_000, 'dispatch after Redis is back');
    await waitFor(() => smtp.received.length >= 6, 15_000, 'six reminders');
    const keys = smtp.received.map((m) => m.deliveryKey);
    expect(new Set(keys).size).toBe(6);
    expect(keys.filter((k) => k.includes(m1)).length).toBe(4);
    expect(keys.filter((k) => k.includes(m2) && k.includes('20300326T150000Z')).length).toBe(2);
    await waitFor(async () => (await store.readStream(deliveryStreamId(s.collaborativeId))).events.length === 6, 10_000, 'six delivery events');

    // Later rounds keep working, nothing is sent twice.
    clock.set('2030-03-25T16:00:00Z');
    expect((await workers.tick()).dispatched).toBe(2);
    await waitFor(() => smtp.received.length >= 8, 15_000, 'eight reminders');
    expect(new Set(smtp.received.map((m) => m.deliveryKey)).size).toBe(smtp.received.length);
  });
});
