import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { EventStore } from '@convene/eventstore';
import { createTestDatabase, testRedisUrl, uniqueRedisPrefix, type TestDatabase } from '@convene/testkit';
import { startWorkers, type Workers } from './index';
import { deliveryStreamId } from './delivery-events';
import { silentLogger } from './types';
import { startReadModels } from './testing/read-models';
import type { RunningProjector } from '@convene/projections';
import { startTestSmtp, type TestSmtp } from './testing/smtp';
import { scenario, TestClock, waitFor } from './testing/scenario';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

describe('a worker killed while jobs run (SIGKILL of the worker process), then restarted', () => {
  let tdb: TestDatabase;
  let readModels: RunningProjector | undefined;
  let store: EventStore;
  let smtp: TestSmtp;
  const running: Workers[] = [];
  let child: ChildProcess | null = null;
  const prefix = uniqueRedisPrefix('wcrash');
  const clock = new TestClock(new Date('2030-05-01T09:00:00Z'));

  beforeAll(async () => {
    tdb = await createTestDatabase();
    store = new EventStore({ pool: tdb.pool });
    readModels = await startReadModels(tdb, store);
    smtp = await startTestSmtp();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    for (const w of running) await w.stop();
    await smtp?.close();
    await readModels?.stop();
    await tdb?.drop();
  });

  it('delivers every message exactly once', async () => {
    const planner = startWorkers({
      pool: tdb.pool, store, redisUrl: testRedisUrl(), prefix, clock: clock.now,
      transport: nodemailer.createTransport(smtp.url), logger: silentLogger, tickIntervalMs: null,
      roles: { planner: true, dispatcher: true, worker: false },
    });
    running.push(planner);
    const s = scenario(store, clock);
    const agencies = await s.launch(8);
    const meetingId = await s.scheduleMeeting(new Date('2030-05-01T15:00:00Z'), agencies.map((a) => a.agencyId));
    clock.set('2030-05-01T17:00:00Z');
    await s.run('RecordAttendance', {
      meetingId,
      attendance: agencies.map((a, i) => ({ agencyId: a.agencyId, present: i % 2 === 0, attendees: [] })),
    });
    await s.run('PublishMinutes', { meetingId, minutes: 'Minutes of the call' });
    expect((await planner.tick()).dispatched).toBe(12); // 8 minutes + 4 follow-ups
    const recorded = async () => (await store.readStream(deliveryStreamId(s.collaborativeId))).events;

    // The worker runs in its own process. Once 4 messages are accepted, the SMTP server holds
    // every new recipient (a client stuck mid-SMTP, before DATA: nothing of it is delivered);
    // when one is held and every accepted message is recorded, the process is killed.
    // Holding before DATA keeps the test honest: a message the server accepted after its client
    // died would be delivered by a real server too (SMTP's own at-least-once window).
    let release!: () => void;
    const killed = new Promise<void>((r) => (release = r));
    let held = 0;
    let holding = true;
    // Sessions let past RCPT (one message each: the worker's transport opens a connection per
    // message). One of them may still be sending DATA when the kill condition first holds: it
    // would be accepted before the kill and sent again after it, so the kill also waits for it.
    const letThrough = new Set<string>();
    smtp.beforeRcpt = async (sessionId) => {
      if (!holding || smtp.received.length < 4) {
        letThrough.add(sessionId);
        return;
      }
      letThrough.delete(sessionId); // held from here: its message never reaches DATA
      held += 1;
      await killed;
      throw new Error('client went away');
    };
    // One process (node with tsx's loader), so SIGKILL really kills the worker: the tsx CLI would
    // run it as a grandchild that outlives a killed parent.
    child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: tdb.url, REDIS_URL: testRedisUrl(), SMTP_URL: smtp.url, WORKER_PREFIX: prefix,
        WORKER_ROLES: 'worker', WORKER_PORT: '0', WORKER_CONCURRENCY: '3', WORKER_LOCK_DURATION_MS: '1500', WORKER_STALLED_INTERVAL_MS: '500',
      },
      stdio: 'ignore',
    });
    // The child loads the whole worker (tsx, OpenTelemetry, prom-client): on a loaded machine that
    // alone took over 20 s, so the wait is long (the assertions are unchanged).
    await waitFor(
      async () => held > 0 && smtp.received.length === letThrough.size && (await recorded()).length === smtp.received.length,
      90_000,
      'a job held mid-SMTP, every message let through accepted and recorded',
    );
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    holding = false;
    release();
    const beforeRestart = smtp.received.length;
    expect(beforeRestart).toBeGreaterThanOrEqual(4);
    expect(beforeRestart).toBeLessThan(12);
    const active = await planner.queue.getJobCounts('active', 'waiting');
    // The unsent ones, plus any sent-and-recorded job the kill caught before BullMQ marked it done
    // (it stalls, is retried, and is skipped because its delivery event exists).
    expect((active.active ?? 0) + (active.waiting ?? 0)).toBeGreaterThanOrEqual(12 - beforeRestart);
    expect(child.exitCode === null && child.signalCode === 'SIGKILL').toBe(true);

    const restarted = startWorkers({
      pool: tdb.pool, store, redisUrl: testRedisUrl(), prefix, clock: clock.now,
      transport: nodemailer.createTransport(smtp.url), logger: silentLogger, tickIntervalMs: null,
      roles: { planner: false, dispatcher: false, worker: true }, lockDurationMs: 1500, stalledIntervalMs: 500,
    });
    running.push(restarted);
    await waitFor(() => smtp.received.length >= 12, 30_000, 'all 12 messages');
    await waitFor(async () => {
      const c = await planner.queue.getJobCounts('waiting', 'active', 'delayed');
      return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0;
    }, 15_000, 'queue drained');

    const keys = smtp.received.map((m) => m.deliveryKey);
    expect(keys).toHaveLength(12);
    expect(new Set(keys).size).toBe(12);
    const events = await recorded();
    expect(events).toHaveLength(12);
    expect(new Set(events.map((e) => (e.data as { deliveryKey: string }).deliveryKey))).toEqual(new Set(keys));
    const { rows } = await tdb.pool.query(`SELECT status, count(*)::int AS n FROM scheduled_deliveries GROUP BY status`);
    expect(rows).toEqual([{ status: 'sent', n: 12 }]);
    expect(await restarted.deadLetters()).toEqual([]);
  }, 180_000);
});
