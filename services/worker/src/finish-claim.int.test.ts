// Issue 13: a sent message's row costs three statements of the sender (the claim, which also reads
// whether the delivery was recorded; the SMTP acceptance; the finish, which also ends the claim),
// not five. The finish clears the claim only where it is still the sender's, and leaves a row
// cancelled meanwhile cancelled, as the separate release and guarded finish did.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type pg from 'pg';
import nodemailer from 'nodemailer';
import { EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import type { RunningProjector } from '@convene/projections';
import { startWorkers, type Workers } from './index';
import { mailerFromTransport, type Mailer } from './mailer';
import { processDelivery, type ProcessorDeps } from './processor';
import { silentLogger } from './types';
import { startReadModels } from './testing/read-models';
import { scenario, TestClock } from './testing/scenario';

describe('issue 13: the sender finishes a row and ends its claim in one statement', () => {
  let tdb: TestDatabase;
  let store: EventStore;
  let readModels: RunningProjector | undefined;
  let planner: Workers;
  let keys: string[];
  const clock = new TestClock(new Date('2030-05-01T09:00:00Z'));
  const transport = nodemailer.createTransport({ jsonTransport: true });

  beforeAll(async () => {
    tdb = await createTestDatabase();
    store = new EventStore({ pool: tdb.pool });
    readModels = await startReadModels(tdb, store);
    planner = startWorkers({
      pool: tdb.pool, store, redisUrl: process.env.TEST_REDIS_URL!, prefix: `convene-finish-${process.pid}`, clock: clock.now,
      logger: silentLogger, tickIntervalMs: null, roles: { planner: true, dispatcher: false, worker: false }, transport,
    });
    const s = scenario(store, clock);
    const agencies = await s.launch(3);
    const meetingId = await s.scheduleMeeting(new Date('2030-05-01T15:00:00Z'), agencies.map((a) => a.agencyId));
    clock.set('2030-05-01T17:00:00Z');
    await s.run('RecordAttendance', { meetingId, attendance: agencies.map((a) => ({ agencyId: a.agencyId, present: true, attendees: [] })) });
    await s.run('PublishMinutes', { meetingId, minutes: 'Minutes of the call' });
    await planner.tick();
    keys = (await tdb.pool.query<{ key: string }>(`SELECT key FROM scheduled_deliveries WHERE status = 'pending' ORDER BY key`)).rows.map((r) => r.key);
    expect(keys).toHaveLength(3); // the minutes, to each agency
    await readModels.idle();
  }, 60_000);
  afterAll(async () => {
    await planner?.stop();
    await readModels?.stop();
    await store?.close();
    await tdb?.drop();
  });

  /** The sender's statements that touch the row or the idempotency keys, while `mailer` sends. */
  const deps = (statements: string[], mailer: Mailer = mailerFromTransport(transport)): ProcessorDeps => {
    const pool = new Proxy(tdb.pool, {
      get: (target, p) => (p === 'query' ? (text: string, values?: unknown[]) => (statements.push(text), target.query(text, values)) : Reflect.get(target, p, target)),
    }) as pg.Pool;
    return { pool, store, mailer, clock: clock.now, from: 'Convene <no-reply@convene.local>', logger: silentLogger, claimMs: 10_000 };
  };
  const rowOf = async (key: string) =>
    (await tdb.pool.query(`SELECT status, claimed_by, claimed_until, accepted_info FROM scheduled_deliveries WHERE key = $1`, [key])).rows[0];
  /** A mailer that runs `meanwhile` (another party's statement) before answering. */
  const sendingWith = (meanwhile: () => Promise<unknown>): Mailer => {
    const inner = mailerFromTransport(transport);
    return { ...inner, description: 'test', send: async (m) => (await meanwhile(), inner.send(m)) };
  };

  it('sends with three statements on the row: claim (with the recorded check), acceptance, finish (with the release)', async () => {
    const statements: string[] = [];
    expect(await processDelivery(deps(statements), keys[0]!)).toBe('sent');
    const onRow = statements.filter((s) => /scheduled_deliveries|idempotency_keys/.test(s));
    expect(onRow).toHaveLength(3);
    expect(await rowOf(keys[0]!)).toEqual({ status: 'sent', claimed_by: null, claimed_until: null, accepted_info: null });
    // Run again (a stalled job): the claim's own answer says it was recorded; nothing is sent.
    const again: string[] = [];
    expect(await processDelivery(deps(again), keys[0]!)).toBe('already-sent');
    expect(again.filter((s) => /scheduled_deliveries|idempotency_keys/.test(s))).toHaveLength(2);
    expect((await rowOf(keys[0]!)).claimed_by).toBeNull();
  });

  it('a claim taken over meanwhile is left to its new holder; the row is still marked sent', async () => {
    const key = keys[1]!;
    const takeOver = () => tdb.pool.query(`UPDATE scheduled_deliveries SET claimed_by = 'someone-else', claimed_until = now() + interval '1 minute' WHERE key = $1`, [key]);
    expect(await processDelivery(deps([], sendingWith(takeOver)), key)).toBe('sent');
    const row = await rowOf(key);
    expect([row.status, row.claimed_by, row.claimed_until === null]).toEqual(['sent', 'someone-else', false]);
  });

  it('a row cancelled while it was sent stays cancelled, and its claim ends', async () => {
    const key = keys[2]!;
    const cancel = () => tdb.pool.query(`UPDATE scheduled_deliveries SET status = 'cancelled' WHERE key = $1`, [key]);
    expect(await processDelivery(deps([], sendingWith(cancel)), key)).toBe('sent');
    const row = await rowOf(key);
    expect([row.status, row.claimed_by, row.claimed_until]).toEqual(['cancelled', null, null]);
  });
});
