// Issue 11, "Must show": writers on several streams while the test (a) kills the API process and
// starts it again, (b) restarts Redis empty (its own redis-server, no persistence), (c) terminates
// the projector's and the worker's database connections. Afterwards every acknowledged command is
// stored once, every read model equals a rebuild, every due message was delivered once.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { createApiKey } from '@convene/api';
import { createPool } from '@convene/db';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { projections, verifyProjection, type RunningProjector } from '@convene/projections';
import { startProjector } from '@convene/projector';
import { createTestDatabase, freePort, startRedisServer, uniqueRedisPrefix, type TestDatabase } from '@convene/testkit';
import { startWorkers, type Workers } from '@convene/worker';
import { silentLogger } from '../services/worker/src/types';
import { startTestSmtp, type TestSmtp } from '../services/worker/src/testing/smtp';
import { scenario, TestClock, waitFor, DAY } from '../services/worker/src/testing/scenario';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let tdb: TestDatabase;
let redis: Awaited<ReturnType<typeof startRedisServer>>;
let smtp: TestSmtp;
let api: ChildProcess | undefined;
let projector: RunningProjector | undefined;
let workers: Workers | undefined;
let senders: Workers | undefined;
const pools: ReturnType<typeof createPool>[] = [];
const stores: EventStore[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase();
  redis = await startRedisServer();
  smtp = await startTestSmtp();
}, 60_000);
afterAll(async () => {
  if (api && api.exitCode === null) api.kill('SIGKILL');
  await senders?.stop();
  await workers?.stop();
  await projector?.stop();
  for (const s of stores) await s.close();
  for (const p of pools) await p.end();
  await redis?.stop();
  await smtp?.close();
  await tdb?.drop();
});

describe('issue 11 chaos: the API killed, Redis restarted empty, consumer connections terminated, while writers write', () => {
  it('issue 11 (chaos): every acknowledged command stored once, read models equal a rebuild, every due message delivered once', async () => {
    const port = await freePort();
    const apiUrl = `http://127.0.0.1:${port}`;
    const startApi = () => {
      api = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'services/api/src/main.ts')], {
        cwd: root,
        stdio: 'ignore',
        env: {
          ...process.env,
          DATABASE_URL: tdb.url, REDIS_URL: redis.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent',
          WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'), RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '100000',
        },
      });
      return api;
    };
    const apiUp = () => fetch(`${apiUrl}/health/live`).then((r) => r.ok, () => false);

    // Collaboratives and agencies set up directly; the writers then schedule meetings over HTTP.
    const now = Date.now();
    const setupStore = createEventStore({ pool: tdb.pool });
    stores.push(setupStore);
    const setupClock = new TestClock(new Date(now));
    const collabs = [];
    for (let i = 0; i < 3; i++) {
      const s = scenario(setupStore, setupClock);
      collabs.push({ id: s.collaborativeId, agencies: (await s.launch(2, { startsOn: '2026-01-01', endsOn: '2029-12-31' })).map((a) => a.agencyId) });
    }
    const { key } = await createApiKey(tdb.pool, { name: 'chaos', role: 'admin' });

    // The consumers in this process, each with its own pool (application_name to terminate by).
    const consumerPool = (name: string) => {
      const pool = createPool({ connectionString: tdb.url, max: 6, applicationName: name });
      pools.push(pool);
      const store = createEventStore({ pool });
      stores.push(store);
      return { pool, store };
    };
    const p = consumerPool('chaos-projector');
    projector = await startProjector({ pool: p.pool, store: p.store, pollIntervalMs: 200, logger: silentLogger });
    const w = consumerPool('chaos-worker');
    // The worker's clock is 2.5 days ahead: the 1-day reminders of meetings 3 days ahead are due.
    // Planner and dispatcher run from the start; the senders only after Redis restarted empty, so
    // the jobs dispatched before are surely lost with it and only the sweeper brings them back.
    const redispatched: number[] = [];
    const workerOptions = {
      pool: w.pool, store: w.store, prefix: uniqueRedisPrefix('chaos'), clock: () => new Date(Date.now() + 2.5 * DAY),
      transport: nodemailer.createTransport(smtp.url), tickIntervalMs: 250, backoffMs: 300, attempts: 20,
      lockDurationMs: 5000, stalledIntervalMs: 1000, sweepGraceMs: 3000, sweepIntervalMs: 1000,
      logger: { ...silentLogger, warn: (obj: unknown) => void ((obj as { count?: number }).count && redispatched.push((obj as { count: number }).count)) },
    };
    workers = startWorkers({ ...workerOptions, redisUrl: redis.url, roles: { planner: true, dispatcher: true, worker: false } });

    startApi();
    await waitFor(apiUp, 90_000, 'the API to start');

    // Writers: one per collaborative, each meeting with an Idempotency-Key, retried until acknowledged.
    const acknowledged: string[] = [];
    const perWriter = 6;
    const writer = async (c: { id: string; agencies: string[] }, w: number) => {
      for (let i = 0; i < perWriter; i++) {
        const meetingId = randomUUID();
        const body = JSON.stringify({
          meetingId, kind: 'regular_call', modality: 'video', startsAt: new Date(now + 3 * DAY + (w * 100 + i) * 60_000).toISOString(),
          durationMinutes: 60, callIn: 'https://meet.example.org/chaos', agenda: 'Wins and barriers', invitedAgencyIds: c.agencies,
        });
        for (let attempt = 0; ; attempt++) {
          const res = await fetch(`${apiUrl}/v1/collaboratives/${c.id}/meetings`, {
            method: 'POST', body,
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': `chaos-${meetingId}` },
          }).catch(() => null);
          if (res && res.status >= 200 && res.status < 300) break;
          if (res && res.status >= 400 && res.status < 500) throw new Error(`refused ${res.status}: ${await res.text()}`);
          if (attempt > 600) throw new Error('never acknowledged');
          await sleep(100);
        }
        acknowledged.push(meetingId);
        await sleep(150);
      }
    };
    const writing = Promise.all(collabs.map(writer));

    const terminate = () =>
      tdb.pool.query(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name IN ('chaos-projector', 'chaos-worker')`, [tdb.name]);
    const chaos = (async () => {
      await waitFor(() => acknowledged.length >= 2, 30_000, 'first acknowledgements');
      // (a) the API dies mid-stream and comes back.
      const dead = new Promise((r) => api!.once('exit', r));
      api!.kill('SIGKILL');
      await dead;
      startApi();
      // (b) Redis restarts empty, while (c) the consumers lose their connections.
      await waitFor(async () => (await tdb.pool.query(`SELECT 1 FROM scheduled_deliveries WHERE status = 'dispatched'`)).rows.length > 0, 30_000, 'jobs in Redis');
      await redis.stop();
      expect((await terminate()).rows[0].n).toBeGreaterThan(0);
      redis = await startRedisServer(redis.port);
      senders = startWorkers({ ...workerOptions, redisUrl: redis.url, roles: { planner: false, dispatcher: false, worker: true } });
      await waitFor(apiUp, 90_000, 'the API to start again');
      await waitFor(() => acknowledged.length >= 10, 60_000, 'more acknowledgements');
      await terminate();
    })();
    await Promise.all([writing, chaos]);
    expect(acknowledged).toHaveLength(3 * perWriter);

    // Every acknowledged command is stored exactly once.
    const { rows: stored } = await tdb.pool.query<{ meeting_id: string; n: number }>(
      `SELECT data->>'meetingId' AS meeting_id, count(*)::int AS n FROM events WHERE event_type = 'MeetingScheduled' GROUP BY 1`,
    );
    expect(stored.every((r) => r.n === 1)).toBe(true);
    expect(stored.map((r) => r.meeting_id).sort()).toEqual([...acknowledged].sort());

    // Every due message is delivered exactly once: one 1-day reminder per meeting and agency.
    const expected = acknowledged.length * 2;
    await waitFor(async () => {
      const { rows } = await tdb.pool.query(`SELECT count(*)::int AS n FROM scheduled_deliveries WHERE status = 'sent'`);
      return rows[0].n === expected;
    }, 90_000, 'every reminder sent');
    const keys = smtp.received.map((m) => m.deliveryKey);
    expect(keys).toHaveLength(expected);
    expect(new Set(keys).size).toBe(expected);
    const { rows: states } = await tdb.pool.query(`SELECT status, count(*)::int AS n FROM scheduled_deliveries GROUP BY status`);
    expect(states).toEqual([{ status: 'sent', n: expected }]);

    // Every read model equals a rebuild from the events.
    const { rows: last } = await tdb.pool.query(`SELECT max(global_position)::text AS p FROM events`);
    await waitFor(() => projector!.isCaughtUp(Number(last[0].p)), 60_000, 'the projector to catch up');
    for (const projection of projections) {
      const verified = await verifyProjection({ db: tdb.db, store: setupStore, projection });
      expect({ name: projection.name, equal: verified.equal, differences: verified.differences }).toEqual({ name: projection.name, equal: true, differences: [] });
    }
    // The sweeper did bring back the jobs Redis lost.
    expect(redispatched.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  }, 240_000);
});
