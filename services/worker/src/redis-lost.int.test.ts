// Issue 11.7: Redis loses its data (a restart without persistence, a failover, FLUSHALL) after rows
// were marked dispatched. This file shares the test Redis with others, so instead of FLUSHALL it
// deletes every key of its own BullMQ prefix: for this queue that is exactly what FLUSHALL does.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import { EventStore } from '@convene/eventstore';
import { createTestDatabase, testRedisUrl, uniqueRedisPrefix, type TestDatabase } from '@convene/testkit';
import { deliveryStreamId } from './delivery-events';
import { startWorkers, type Workers } from './index';
import { silentLogger } from './types';
import { startReadModels } from './testing/read-models';
import type { RunningProjector } from '@convene/projections';
import { startTestSmtp, type TestSmtp } from './testing/smtp';
import { scenario, TestClock, waitFor } from './testing/scenario';

async function deletePrefix(url: string, prefix: string): Promise<number> {
  const redis = new Redis(url);
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

describe('issue 11.7: Redis loses its data', () => {
  let tdb: TestDatabase;
  let readModels: RunningProjector | undefined;
  let store: EventStore;
  let smtp: TestSmtp;
  const running: Workers[] = [];
  const prefix = uniqueRedisPrefix('wlost');
  const clock = new TestClock(new Date('2030-05-01T09:00:00Z'));

  beforeAll(async () => {
    tdb = await createTestDatabase();
    store = new EventStore({ pool: tdb.pool });
    readModels = await startReadModels(tdb, store);
    smtp = await startTestSmtp();
  });
  afterAll(async () => {
    for (const w of running) await w.stop();
    await smtp?.close();
    await deletePrefix(testRedisUrl(), prefix);
    await readModels?.stop();
    await tdb?.drop();
  });

  it('issue 11.7: deliveries dispatched before Redis lost their jobs are dispatched again and sent exactly once', async () => {
    const common = { pool: tdb.pool, store, redisUrl: testRedisUrl(), prefix, clock: clock.now, transport: nodemailer.createTransport(smtp.url), logger: silentLogger, tickIntervalMs: null };
    // Planned and dispatched while no worker runs: the jobs wait in Redis.
    const dispatcher = startWorkers({ ...common, roles: { planner: true, dispatcher: true, worker: false }, sweepGraceMs: 60_000, sweepIntervalMs: 0 });
    running.push(dispatcher);
    const s = scenario(store, clock);
    const agencies = await s.launch(4);
    const meetingId = await s.scheduleMeeting(new Date('2030-05-01T15:00:00Z'), agencies.map((a) => a.agencyId));
    clock.set('2030-05-01T17:00:00Z');
    await s.run('RecordAttendance', { meetingId, attendance: agencies.map((a, i) => ({ agencyId: a.agencyId, present: i % 2 === 0, attendees: [] })) });
    await s.run('PublishMinutes', { meetingId, minutes: 'Minutes of the call' });
    expect((await dispatcher.tick()).dispatched).toBe(6);

    expect(await deletePrefix(testRedisUrl(), prefix)).toBeGreaterThan(0); // the jobs are gone
    expect(await dispatcher.queue.getJobCounts('waiting', 'delayed', 'active')).toMatchObject({ waiting: 0, delayed: 0, active: 0 });

    // Within the grace period nothing is touched (a job may only be slow).
    expect((await dispatcher.tick()).redispatched).toBe(0);
    clock.advance(61_000);
    const swept = await dispatcher.tick();
    expect(swept.redispatched).toBe(6);
    expect((await dispatcher.tick()).redispatched).toBe(0); // the jobs exist again: nothing more

    const worker = startWorkers({ ...common, transport: nodemailer.createTransport(smtp.url), roles: { planner: false, dispatcher: false, worker: true } });
    running.push(worker);
    await waitFor(() => smtp.received.length >= 6, 30_000, 'six messages');
    await waitFor(async () => (await store.readStream(deliveryStreamId(s.collaborativeId))).events.length === 6, 15_000, 'six delivery events');
    // Later sweeps find the completed jobs: nothing is sent again.
    clock.advance(61_000);
    expect((await dispatcher.tick()).redispatched).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    const keys = smtp.received.map((m) => m.deliveryKey);
    expect(keys).toHaveLength(6);
    expect(new Set(keys).size).toBe(6);
    const { rows } = await tdb.pool.query(`SELECT status, count(*)::int AS n FROM scheduled_deliveries GROUP BY status`);
    expect(rows).toEqual([{ status: 'sent', n: 6 }]);
  }, 90_000);
});
