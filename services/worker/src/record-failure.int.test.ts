// Issue 11.9: a database error after the SMTP server accepted a message (not a crash) must not make
// BullMQ send it again. The failure is real: a trigger refuses the delivery event's INSERT into
// the events table until the test drops it, so the recording step fails on every attempt meanwhile.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
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

describe('issue 11.9: the send is recorded before BullMQ is acknowledged', () => {
  let tdb: TestDatabase;
  let readModels: RunningProjector | undefined;
  let store: EventStore;
  let smtp: TestSmtp;
  let workers: Workers | undefined;
  const clock = new TestClock(new Date('2030-05-01T09:00:00Z'));

  beforeAll(async () => {
    tdb = await createTestDatabase();
    store = new EventStore({ pool: tdb.pool });
    readModels = await startReadModels(tdb, store);
    smtp = await startTestSmtp();
  });
  afterAll(async () => {
    await workers?.stop();
    await smtp?.close();
    await readModels?.stop();
    await tdb?.drop();
  });

  it('issue 11.9: the delivery event cannot be stored after SMTP accepted; retries send nothing again and record it once the database takes it', async () => {
    workers = startWorkers({
      pool: tdb.pool, store, redisUrl: testRedisUrl(), prefix: uniqueRedisPrefix('wrecord'), clock: clock.now,
      transport: nodemailer.createTransport(smtp.url), logger: silentLogger, tickIntervalMs: null, attempts: 10, backoffMs: 200,
    });
    const s = scenario(store, clock);
    const agencies = await s.launch(1);
    const meetingId = await s.scheduleMeeting(new Date('2030-05-01T15:00:00Z'), agencies.map((a) => a.agencyId));
    clock.set('2030-05-01T17:00:00Z');
    await s.run('RecordAttendance', { meetingId, attendance: agencies.map((a) => ({ agencyId: a.agencyId, present: true, attendees: [] })) });
    await tdb.pool.query(`
      CREATE FUNCTION refuse_minutes_sent() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk full (test)' USING ERRCODE = '53100'; END $$;
      CREATE TRIGGER refuse_minutes_sent BEFORE INSERT ON events FOR EACH ROW
        WHEN (NEW.event_type = 'MinutesSent') EXECUTE FUNCTION refuse_minutes_sent();`);
    await s.run('PublishMinutes', { meetingId, minutes: 'Minutes of the call' });
    expect((await workers.tick()).dispatched).toBe(1);
    const [{ key }] = (await tdb.pool.query<{ key: string }>(`SELECT key FROM scheduled_deliveries`)).rows as [{ key: string }];

    // Sent, and BullMQ has retried the failing record at least twice.
    await waitFor(async () => ((await workers!.queue.getJob(key))?.attemptsMade ?? 0) >= 3, 30_000, 'three failed attempts');
    expect(smtp.received).toHaveLength(1);
    expect((await store.readStream(deliveryStreamId(s.collaborativeId))).events).toHaveLength(0);
    const { rows: pending } = await tdb.pool.query(`SELECT status, accepted_at IS NOT NULL AS accepted FROM scheduled_deliveries`);
    expect(pending).toEqual([{ status: 'dispatched', accepted: true }]);

    await tdb.pool.query('DROP TRIGGER refuse_minutes_sent ON events');
    await waitFor(async () => (await store.readStream(deliveryStreamId(s.collaborativeId))).events.length === 1, 30_000, 'the delivery event');
    await waitFor(async () => (await workers!.queue.getJob(key))?.finishedOn !== undefined, 15_000, 'the job done');
    expect(smtp.received.map((m) => m.deliveryKey)).toEqual([key]);
    const [event] = (await store.readStream(deliveryStreamId(s.collaborativeId))).events;
    expect(event!.data).toMatchObject({ deliveryKey: key });
    expect((event!.data as { recipients: { email: string }[] }).recipients.map((r) => r.email).sort()).toEqual([...smtp.received[0]!.to].sort());
    const { rows } = await tdb.pool.query(`SELECT status, accepted_info FROM scheduled_deliveries`);
    expect(rows).toEqual([{ status: 'sent', accepted_info: null }]);
    expect(await workers.deadLetters()).toEqual([]);
  }, 90_000);
});
