// Issue 11.11 for the worker's planner: an event it cannot plan stops only its collaborative, loudly.
// The commands refuse such values now, but stored history can hold them, so the poison events are
// written to the store directly, as an old version of the API accepted them.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { createPool, listParked } from '@convene/db';
import { EventStore, UpcasterRegistry } from '@convene/eventstore';
import { createTestDatabase, recordStatements, testRedisUrl, uniqueRedisPrefix, type TestDatabase } from '@convene/testkit';
import { createReactor, startWorkers, workerHealth, type Workers } from './index';
import type { Logger } from './types';
import { startReadModels } from './testing/read-models';
import type { RunningProjector } from '@convene/projections';
import { startTestSmtp, type TestSmtp } from './testing/smtp';
import { scenario, TestClock, waitFor } from './testing/scenario';

describe('issue 11.11: a poison event parks only its collaborative in the delivery planner', () => {
  let tdb: TestDatabase;
  let readModels: RunningProjector | undefined;
  let store: EventStore;
  let smtp: TestSmtp;
  let workers: Workers | undefined;
  const clock = new TestClock(new Date('2030-03-01T09:00:00Z'));
  const errors: { obj: unknown; msg?: string }[] = [];
  const logger: Logger = { info: () => undefined, warn: () => undefined, error: (obj, msg) => void errors.push({ obj, msg }) };

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

  const launched = (collaborativeId: string, startsOn: string, endsOn: string) =>
    store.appendToStream(`collaborative-${collaborativeId}`, [{ type: 'CollaborativeLaunched', data: { collaborativeId, name: 'Old history', startsOn, endsOn } }], {
      expectedVersion: 'no_stream',
      metadata: { actorId: 'old-api', actorRole: 'convener', correlationId: randomUUID(), occurredAt: clock.now().toISOString() },
    });

  it('issue 11.11: the planner records, logs and shows the failing collaborative, plans every other one, and resumes after a fix', async () => {
    workers = startWorkers({
      pool: tdb.pool, store, redisUrl: testRedisUrl(), prefix: uniqueRedisPrefix('wpoison'), clock: clock.now,
      transport: nodemailer.createTransport(smtp.url), logger, tickIntervalMs: null,
    });
    // The API refuses the fuzzer's value now.
    await expect(scenario(store, clock).launch(1, { startsOn: '0000-01-01' })).rejects.toThrow();

    // Stored history: year 0000 (clamped for planning since issue 12.3) and a date PostgreSQL refuses.
    const yearZero = randomUUID();
    const poisoned = randomUUID();
    await launched(yearZero, '0000-01-01', '2031-12-31');
    await launched(poisoned, '2030-01-01', '2030-02-30');
    const poisonedAgency = randomUUID();
    await store.appendToStream(`collaborative-${poisoned}`, [{ type: 'AgencyAdmitted', data: { collaborativeId: poisoned, agencyId: poisonedAgency, cohortId: randomUUID() } }], {
      expectedVersion: 1,
      metadata: { actorId: 'old-api', actorRole: 'convener', correlationId: randomUUID(), occurredAt: clock.now().toISOString() },
    });
    // A healthy collaborative, after the poison in the feed.
    const s = scenario(store, clock);
    const agencies = await s.launch(2);
    const meetingId = await s.scheduleMeeting(new Date('2030-03-20T15:00:00Z'), agencies.map((a) => a.agencyId));

    const first = await workers.tick();
    expect(first.planned).toBeGreaterThan(0);
    const status = await workers.status();
    expect(status.lastError).toBeNull();
    expect(status.parked).toEqual([
      expect.objectContaining({ key: poisoned, eventType: 'CollaborativeLaunched', events: 2, error: expect.stringMatching(/out of range/) }),
    ]);
    expect(workerHealth(status)).toMatchObject({ ok: false, parked: status.parked });
    expect(await listParked(tdb.pool, 'worker-delivery-planner')).toEqual(status.parked); // what the API's /health shows
    expect(errors).toEqual([expect.objectContaining({ obj: expect.objectContaining({ parkedKey: poisoned, eventType: 'CollaborativeLaunched' }) })]);
    const { rows: collabs } = await tdb.pool.query(`SELECT collaborative_id, starts_on::text FROM worker_collaboratives ORDER BY starts_on`);
    expect(collabs.map((c) => c.collaborative_id).sort()).toEqual([yearZero, s.collaborativeId].sort());
    expect(collabs[0]).toEqual({ collaborative_id: yearZero, starts_on: '2000-01-01' });

    // The healthy collaborative's reminders go out; the planner keeps working on every tick.
    clock.set('2030-03-19T16:00:00Z');
    const due = await workers.tick();
    expect(due.dispatched).toBe(4); // 7 days and 1 day before, two agencies
    await waitFor(() => smtp.received.length >= 4, 30_000, 'four reminders');
    expect(smtp.received.every((m) => m.deliveryKey.includes(meetingId))).toBe(true);
    await s.run('CancelMeeting', { meetingId, reason: 'Moved' }).catch(() => undefined);
    expect((await workers.tick()).planned).toBeGreaterThanOrEqual(0);
    expect((await workers.status()).lastError).toBeNull();
    expect(errors).toHaveLength(1); // logged once, not every second

    // Resumed without a fix: it fails again, stays parked, nothing is lost.
    expect(await workers.resumeParked(poisoned)).toEqual({ replayed: 0, stillParked: true });
    expect((await workers.status()).parked).toHaveLength(1);

    // The fix: an upcaster that reads the impossible date as the month's last day (stored events
    // are never rewritten). A planner with it replays the parked events in order.
    const upcasters = new UpcasterRegistry().register('CollaborativeLaunched', 1, (d: { endsOn: string }) => ({ ...d, endsOn: d.endsOn === '2030-02-30' ? '2030-02-28' : d.endsOn }));
    const fixed = createReactor({ pool: tdb.pool, store: new EventStore({ pool: tdb.pool, upcasters }), logger });
    expect(await fixed.resume(poisoned)).toEqual({ replayed: 2, stillParked: false });
    expect(await fixed.parked()).toEqual([]);
    const { rows: now } = await tdb.pool.query(`SELECT ends_on::text FROM worker_collaboratives WHERE collaborative_id = $1`, [poisoned]);
    expect(now).toEqual([{ ends_on: '2030-02-28' }]);
    const { rows: agency } = await tdb.pool.query(`SELECT active FROM worker_agencies WHERE collaborative_id = $1 AND agency_id = $2`, [poisoned, poisonedAgency]);
    expect(agency).toEqual([{ active: true }]);
    expect(workerHealth(await workers.status()).ok).toBe(true);
  }, 90_000);

  it('issue 13: a batch without a poison event is planned without a savepoint per event, in one transaction', async () => {
    // The reactor's own pool: the read models' projector shares tdb.pool.
    const pool = createPool({ connectionString: tdb.url, max: 2 });
    const recorder = recordStatements(pool, { on: false });
    const reactor = createReactor({ pool, store, logger });
    await reactor.catchUp(); // what the first test left
    const agencies = await scenario(store, clock).launch(4);
    recorder.on = true;
    try {
      expect(await reactor.catchUp()).toBeGreaterThan(agencies.length);
    } finally {
      recorder.on = false;
      await pool.end();
    }
    const statements = recorder.statements;
    expect(statements.filter((q) => /SAVEPOINT/i.test(q))).toEqual([]);
    expect(statements.filter((q) => /^BEGIN\b/i.test(q.trim()))).toHaveLength(1); // "BEGIN; SET LOCAL synchronous_commit = off" since issue 13
    const { rows } = await tdb.pool.query(`SELECT count(*)::int AS n FROM worker_agencies WHERE agency_id = ANY($1::uuid[])`, [agencies.map((a) => a.agencyId)]);
    expect(rows[0].n).toBe(4);
  });
});
