// Issue 11.4, the worker's half: two worker instances send the same due deliveries at once through a
// real PgBouncer in transaction pooling mode with ONE server connection, so every statement of both
// shares a server session. A session advisory lock (the old delivery lock) is re-entrant within a
// session and was granted to both; the row claim is one row's state, whatever the connection.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type pg from 'pg';
import nodemailer from 'nodemailer';
import { createPool } from '@convene/db';
import { EventStore } from '@convene/eventstore';
import { adminUrl, createTestDatabase, startPgBouncer, type ScratchPgBouncer, type TestDatabase } from '@convene/testkit';
import { DeliveryBusyError } from './claims';
import { deliveryStreamId } from './delivery-events';
import { startWorkers, type Workers } from './index';
import { mailerFromTransport } from './mailer';
import { processDelivery, type ProcessorDeps } from './processor';
import { silentLogger } from './types';
import { startReadModels } from './testing/read-models';
import type { RunningProjector } from '@convene/projections';
import { startTestSmtp, type TestSmtp } from './testing/smtp';
import { scenario, TestClock } from './testing/scenario';

describe('issue 11.4: the worker behind PgBouncer in transaction pooling mode', () => {
  let tdb: TestDatabase;
  let readModels: RunningProjector | undefined;
  let bouncer: ScratchPgBouncer;
  let smtp: TestSmtp;
  let planner: Workers;
  const pools: pg.Pool[] = [];
  const stores: EventStore[] = [];
  const clock = new TestClock(new Date('2030-05-01T09:00:00Z'));

  beforeAll(async () => {
    tdb = await createTestDatabase();
    readModels = await startReadModels(tdb, new EventStore({ pool: tdb.pool }));
    const server = new URL(adminUrl());
    bouncer = await startPgBouncer({ host: server.hostname, port: Number(server.port || 5432), poolMode: 'transaction', poolSize: 1 });
    smtp = await startTestSmtp();
  }, 60_000);
  afterAll(async () => {
    await planner?.stop();
    for (const s of stores) await s.close();
    for (const p of pools) await p.end();
    await bouncer?.stop();
    await smtp?.close();
    await readModels?.stop();
    await tdb?.drop();
  });

  it('issue 11.4: two workers sending the same due deliveries through the pooler send each message exactly once', async () => {
    const direct = new EventStore({ pool: tdb.pool });
    stores.push(direct);
    planner = startWorkers({
      pool: tdb.pool, store: direct, redisUrl: process.env.TEST_REDIS_URL!, prefix: `convene-pgb-${process.pid}`, clock: clock.now,
      logger: silentLogger, tickIntervalMs: null, roles: { planner: true, dispatcher: false, worker: false },
      transport: nodemailer.createTransport({ jsonTransport: true }),
    });
    const s = scenario(direct, clock);
    const agencies = await s.launch(4);
    const meetingId = await s.scheduleMeeting(new Date('2030-05-01T15:00:00Z'), agencies.map((a) => a.agencyId));
    clock.set('2030-05-01T17:00:00Z');
    await s.run('RecordAttendance', { meetingId, attendance: agencies.map((a, i) => ({ agencyId: a.agencyId, present: i % 2 === 0, attendees: [] })) });
    await s.run('PublishMinutes', { meetingId, minutes: 'Minutes of the call' });
    await planner.tick();
    const { rows } = await tdb.pool.query<{ key: string }>(`SELECT key FROM scheduled_deliveries WHERE status = 'pending' ORDER BY key`);
    expect(rows).toHaveLength(6); // 4 minutes + 2 follow-ups

    // Two worker instances: each its own pool and store through the pooler (LISTEN would go direct).
    const instance = (): ProcessorDeps => {
      const pool = createPool({ connectionString: bouncer.url(tdb.name), max: 4 });
      const store = new EventStore({ pool, directConnectionString: tdb.url });
      pools.push(pool);
      stores.push(store);
      return { pool, store, mailer: mailerFromTransport(nodemailer.createTransport(smtp.url)), clock: clock.now, from: 'Convene <no-reply@convene.local>', logger: silentLogger, claimMs: 10_000 };
    };
    await readModels!.idle(); // the senders read recipients from the directory read model
    const a = instance();
    const b = instance();
    // A slow SMTP answer keeps each send in flight while the other instance tries the same key.
    smtp.beforeAccept = () => new Promise((r) => setTimeout(r, 150));

    const outcomes = await Promise.all(
      rows.map(({ key }) => Promise.allSettled([processDelivery(a, key), processDelivery(b, key)])),
    );
    for (const pair of outcomes) {
      const sent = pair.filter((r) => r.status === 'fulfilled' && r.value === 'sent');
      expect(sent).toHaveLength(1);
      for (const r of pair.filter((x) => x.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(DeliveryBusyError);
    }
    // A late re-run (a stalled job) of each key by the other instance finds it sent.
    for (const { key } of rows) expect(await processDelivery(b, key)).toBe('already-sent');

    const keys = smtp.received.map((m) => m.deliveryKey).sort();
    expect(keys).toEqual(rows.map((r) => r.key));
    const recorded = (await direct.readStream(deliveryStreamId(s.collaborativeId))).events;
    expect(recorded).toHaveLength(6);
    const { rows: states } = await tdb.pool.query(`SELECT status, claimed_by, accepted_info FROM scheduled_deliveries`);
    expect(states).toEqual(Array(6).fill({ status: 'sent', claimed_by: null, accepted_info: null }));
    for (const d of [a, b]) d.mailer.close();
  }, 90_000);
});
