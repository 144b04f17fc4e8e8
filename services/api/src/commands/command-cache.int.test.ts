// Issue 13: aggregate states cached in the API process. A command's reads do not grow with its
// collaborative's history, and a cache made stale by another API process never decides wrongly.
// Each "API process" here is what one process has: its own fastify app, pg pool, event store and
// state cache; both run on one database.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { createDb, createPool } from '@convene/db';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { checkHistory, StreamStateCache, streamIds, type RecordedEvent } from '@convene/domain';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { seedYearSteps } from '../test-fixtures/seed-year';

/** Statements sent and rows PostgreSQL returned, over every connection of a pool. */
interface QueryCounter {
  statements: number;
  rows: number;
}
function countingPool(url: string, applicationName: string): { pool: pg.Pool; counter: QueryCounter } {
  const counter: QueryCounter = { statements: 0, rows: 0 };
  const pool = createPool({ connectionString: url, max: 4, applicationName });
  pool.on('connect', (client) => {
    // pg's Pool calls query with a callback, the event store with promises: count both.
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    const count = (r: unknown) => {
      const rows = (r as { rows?: unknown } | undefined)?.rows;
      counter.rows += Array.isArray(rows) ? rows.length : 0;
    };
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      counter.statements++;
      const last = args.at(-1);
      if (typeof last === 'function') {
        return query(...args.slice(0, -1), (error: unknown, r: unknown) => {
          if (!error) count(r);
          (last as (e: unknown, r: unknown) => void)(error, r);
        });
      }
      const result = query(...args);
      if (result instanceof Promise) return result.then((r: unknown) => (count(r), r));
      return result;
    };
  });
  return { pool, counter };
}

/** One API process: app, pool, store and cache of its own on the test database. */
interface ApiProcess {
  app: FastifyInstance;
  pool: pg.Pool;
  store: EventStore;
  counter: QueryCounter;
  cache: StreamStateCache;
  close(): Promise<void>;
}
async function apiProcess(name: string, cache = new StreamStateCache()): Promise<ApiProcess> {
  const { pool, counter } = countingPool(t.database.url, name);
  const store = createEventStore({ pool });
  // Keys cached for the whole test: a key lookup per window, not one per expiry of the cache.
  const config = loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '1000000', API_KEY_CACHE_MS: '600000' });
  const app = await buildApp({ config, pool, db: createDb(pool), eventStore: store, clock: () => t.clock.now, commandCache: cache });
  await app.ready();
  return {
    app, pool, store, counter, cache,
    async close() {
      await app.close();
      await store.close();
      await pool.end();
    },
  };
}

/**
 * Rows PostgreSQL read (scanned and fetched by index) from the user tables, and from `events`,
 * per pg_stat_user_tables. Backends report their counters when they go idle at most once a
 * second and at exit: callers end the pools whose work they count before reading.
 */
async function rowsRead(): Promise<{ all: number; events: number }> {
  const { rows } = await t.database.pool.query<{ all: number; events: number }>(
    `SELECT pg_stat_clear_snapshot(),
            sum(seq_tup_read + coalesce(idx_tup_fetch, 0))::float8 AS all,
            sum(seq_tup_read + coalesce(idx_tup_fetch, 0)) FILTER (WHERE relname = 'events')::float8 AS events
       FROM pg_stat_user_tables`,
  );
  return rows[0]!;
}
/** Waits until no connection of `applicationName` is left (their counters are reported at exit). */
async function gone(applicationName: string) {
  for (let i = 0; i < 100; i++) {
    const { rows } = await t.database.pool.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    if (rows.length === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // Inside the seed collaborative's span (2025-02-01 to 2025-12-31): every date below is in it.
  t.clock.now = new Date('2025-09-15T09:00:00.000Z');
});
afterAll(async () => t.close());

const send = async (app: FastifyInstance, url: string, payload: object, method: 'POST' | 'PUT' = 'POST') => {
  const r = await app.inject({ method, url, headers: { authorization: `Bearer ${t.adminKey}` }, payload });
  return { status: r.statusCode, code: (r.json() as { code?: string }).code };
};
const counts = { clientsTreated: 10, totalDaysToTreatment: 300, intakeScheduled: 20, intakeNoShows: 5, admissions: 10 };
const person = (name: string) => ({ personId: randomUUID(), name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org` });

/** A launched collaborative with a coach, one cohort of `capacity` and `applicants` applications. */
async function collaborative(app: FastifyInstance, capacity: number, applicants: number) {
  const id = randomUUID();
  const cohortId = randomUUID();
  const coach = person('Chris Coach');
  const C = `/v1/collaboratives/${id}`;
  expect((await send(app, '/v1/collaboratives', { ...seedYearSteps()[0]!.body, collaborativeId: id })).status).toBe(201);
  expect((await send(app, `${C}/system-roles`, { role: 'coach', person: coach })).status).toBe(200);
  expect((await send(app, `${C}/cohorts`, { cohortId, name: 'One', startsOn: '2025-03-01', capacity })).status).toBe(201);
  const agencies = Array.from({ length: applicants }, () => randomUUID());
  for (const [i, agencyId] of agencies.entries()) {
    const body = { agencyId, agencyName: `Agency ${i}`, contact: { name: 'Dee Director', email: 'd@example.org' }, proposal: 'Cut the wait' };
    expect((await send(app, `${C}/applications`, body)).status).toBe(201);
  }
  const A = (agencyId: string) => `${C}/agencies/${agencyId}`;
  return { id, cohortId, coachId: coach.personId, agencies, C, A };
}

describe('issue 13: command cost does not grow with history', () => {
  it('issue 13.2: a command costs as many rows read on a collaborative of 10,000 events as on one of 10 (pg_stat_user_tables and a query counter)', async () => {
    // Every backend of the test set-up reports its counters within 10 s of going idle.
    await new Promise((r) => setTimeout(r, 11_000));
    const perCommand = async (history: number, cache = new StreamStateCache(), N = 20) => {
      // One process's memory (the state cache) across two pools: the set-up's, then the
      // measured window's, which is ended so that its backends report what they read.
      const setup = await apiProcess(`convene-setup-${history}`, cache);
      const c = await collaborative(setup.app, 5, 1);
      const [agencyId] = c.agencies as [string];
      expect((await send(setup.app, `${c.A(agencyId)}/admission`, { cohortId: c.cohortId })).status).toBe(200);
      expect((await send(setup.app, `${c.A(agencyId)}/baseline`, { period: { from: '2025-02-01', to: '2025-03-31' }, counts })).status).toBe(200);
      expect((await send(setup.app, `${c.A(agencyId)}/measures`, { month: '2025-04', counts })).status).toBe(200);
      // Grow the collaborative's stream to `history` events (expenditures), as years of use would,
      // from outside the process (its cache does not see them).
      const stream = streamIds.collaborative(c.id);
      const version = async () => Number((await setup.pool.query<{ v: number }>('SELECT version AS v FROM streams WHERE stream_id = $1', [stream])).rows[0]?.v);
      for (let v = await version(); v < history; v += 1000) {
        const n = Math.min(1000, history - v);
        const events = Array.from({ length: n }, () => ({
          type: 'ExpenditureRecorded',
          data: { collaborativeId: c.id, expenditureId: randomUUID(), amountCents: 100, category: 'travel', spentOn: '2025-04-02' },
        }));
        await setup.store.appendMany([{ streamId: stream, events, expectedVersion: v }], { metadata: { actorId: 'test', actorRole: 'admin', correlationId: 'grow' } });
      }
      expect(await version()).toBe(history);
      // The first command after the growth catches the cache up (reads the new events once).
      expect((await send(setup.app, `${c.A(agencyId)}/coaching-notes`, { coachId: c.coachId, coachedOn: '2025-04-03', assistance: 'Run chart' })).status).toBe(200);
      await setup.close();
      await gone(`convene-setup-${history}`);

      const before = await rowsRead();
      const window = await apiProcess(`convene-window-${history}`, cache);
      const started = performance.now();
      for (let i = 0; i < N; i++) {
        const r = i % 2
          ? await send(window.app, `${c.A(agencyId)}/coaching-notes`, { coachId: c.coachId, coachedOn: '2025-04-03', assistance: `Note ${i}` })
          : await send(window.app, `${c.A(agencyId)}/measures/corrections`, { month: '2025-04', counts, reason: `Fix ${i}` });
        expect(r.status).toBe(200);
      }
      const ms = (performance.now() - started) / N;
      await window.close();
      await gone(`convene-window-${history}`);
      const after = await rowsRead();
      return {
        rowsRead: (after.all - before.all) / N,
        eventRowsRead: (after.events - before.events) / N,
        statements: window.counter.statements / N,
        rowsReturned: window.counter.rows / N,
        ms,
      };
    };
    const small = await perCommand(10);
    const large = await perCommand(10_000);
    console.log(`issue 13.2 flat cost, per command on a collaborative of 10 vs 10,000 events: ${JSON.stringify({ small, large })}`);
    // Without the cache a command reads its participation and the whole collaborative: 10,000+ rows here.
    expect(large.eventRowsRead).toBe(small.eventRowsRead);
    expect(large.rowsRead).toBe(small.rowsRead);
    expect(large.statements).toBe(small.statements);
    expect(large.rowsReturned).toBe(small.rowsReturned);
    // What remains is the append's own checks (stream row, idempotency, the last event), not history.
    expect(large.eventRowsRead).toBeLessThanOrEqual(1);
    expect(large.rowsRead).toBeLessThan(10);
    // The counting sees history when a process keeps no states (a cache of no entries): every
    // command reads its participation and the whole collaborative.
    // (Two commands: each folds the 10,000 events again.)
    const uncached = await perCommand(10_000, new StreamStateCache(0), 2);
    console.log(`issue 13.2 without the state cache: ${JSON.stringify(uncached)}`);
    expect(uncached.eventRowsRead).toBeGreaterThanOrEqual(10_000);
    expect(uncached.rowsReturned).toBeGreaterThanOrEqual(10_000);
  });
});

describe('issue 13: two API processes (app, pool, store and cache each) on one database', () => {
  let p1: ApiProcess;
  let p2: ApiProcess;
  let app1: FastifyInstance;
  let app2: FastifyInstance;
  beforeAll(async () => {
    p1 = await apiProcess('convene-api-1');
    p2 = await apiProcess('convene-api-2');
    app1 = p1.app;
    app2 = p2.app;
  });
  afterAll(async () => {
    await p1.close();
    await p2.close();
  });
  it('issue 13: racing admissions from both never overfill a cohort or put an agency in two cohorts', async () => {
    const c = await collaborative(app1, 3, 8);
    const second = randomUUID();
    expect((await send(app2, `${c.C}/cohorts`, { cohortId: second, name: 'Two', startsOn: '2025-06-01', capacity: 8 })).status).toBe(201);
    // Warm both caches on every stream involved, then race: app1 and app2 alternate.
    for (const a of c.agencies) {
      await send(app1, `${c.A(a)}/application/scores`, { reviewerId: randomUUID(), scores: [{ criterion: 'fit', score: 5 }] });
      await send(app2, `${c.A(a)}/application/scores`, { reviewerId: randomUUID(), scores: [{ criterion: 'fit', score: 6 }] });
    }
    const answers = await Promise.all(
      c.agencies.flatMap((a, i) => [
        send(i % 2 ? app1 : app2, `${c.A(a)}/admission`, { cohortId: c.cohortId }),
        // The same agency into the other cohort from the other process.
        ...(i < 2 ? [send(i % 2 ? app2 : app1, `${c.A(a)}/admission`, { cohortId: second })] : []),
      ]),
    );
    const { events } = await t.eventStore.readStream(streamIds.collaborative(c.id));
    const enrolled = events.filter((e) => e.type === 'AgencyEnrolledInCohort').map((e) => e.data as { agencyId: string; cohortId: string });
    // Ten racing writers may exhaust a command's conflict retries (a 409 too), but never a rule.
    const inFirst = enrolled.filter((e) => e.cohortId === c.cohortId).length;
    expect(inFirst).toBeLessThanOrEqual(3);
    expect(inFirst === 3 || answers.some((a) => a.code === 'concurrency_conflict')).toBe(true);
    expect(new Set(enrolled.map((e) => e.agencyId)).size).toBe(enrolled.length);
    expect(answers.filter((a) => a.status === 200).length).toBe(enrolled.length);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.status === 409)).toBe(true);
  });

  it('issue 13: a state cached before the other process changed it is neither accepted nor refused wrongly', async () => {
    const c = await collaborative(app1, 8, 3);
    const [x, y, z] = c.agencies as [string, string, string];
    for (const a of [x, z]) expect((await send(app1, `${c.A(a)}/admission`, { cohortId: c.cohortId })).status).toBe(200);
    for (const a of [x, z]) expect((await send(app1, `${c.A(a)}/baseline`, { period: { from: '2025-02-01', to: '2025-03-31' }, counts })).status).toBe(200);
    // app2 caches x and z as admitted, y as applied.
    for (const a of [x, y, z]) await send(app2, `${c.A(a)}/coaching-notes`, { coachId: c.coachId, coachedOn: '2025-04-03', assistance: 'Warm' });
    // app1 changes all three behind app2's back.
    expect((await send(app1, `${c.A(x)}/withdrawal`, { withdrawnOn: '2025-05-05' })).status).toBe(200);
    expect((await send(app1, `${c.A(y)}/admission`, { cohortId: c.cohortId })).status).toBe(200);
    expect((await send(app1, `${c.A(z)}/measures`, { month: '2025-04', counts })).status).toBe(200);
    // Stale "admitted" must not accept for a withdrawn agency.
    expect(await send(app2, `${c.A(x)}/measures`, { month: '2025-04', counts })).toEqual({ status: 409, code: 'agency_withdrawn' });
    // Stale "applied" must not refuse for an admitted one.
    expect((await send(app2, `${c.A(y)}/baseline`, { period: { from: '2025-02-01', to: '2025-03-31' }, counts })).status).toBe(200);
    // Stale "month not recorded" must not record it twice.
    expect(await send(app2, `${c.A(z)}/measures`, { month: '2025-04', counts })).toEqual({ status: 409, code: 'month_already_recorded' });
    // Interleaved on one stream from both: each month once.
    const months = ['2025-05', '2025-05', '2025-04', '2025-05'];
    const raced = await Promise.all(months.map((month, i) => send(i % 2 ? app1 : app2, `${c.A(y)}/measures`, { month, counts })));
    expect(raced.filter((r) => r.status === 200).length).toBe(2);
    const recorded = (await t.eventStore.readStream(streamIds.participation(c.id, y))).events.filter((e) => e.type === 'MonthlyMeasuresRecorded');
    expect(recorded.map((e) => (e.data as { month: string }).month).sort()).toEqual(['2025-04', '2025-05']);
  });

  it('issue 13.3: random interleaved commands from both processes on the same streams break no rule of the domain', async () => {
    const c = await collaborative(app1, 4, 10);
    const second = randomUUID();
    expect((await send(app2, `${c.C}/cohorts`, { cohortId: second, name: 'Two', startsOn: '2025-06-01', capacity: 3 })).status).toBe(201);
    // Both caches hold every stream involved before the race.
    for (const a of c.agencies) {
      await send(app1, `${c.A(a)}/application/scores`, { reviewerId: randomUUID(), scores: [{ criterion: 'fit', score: 5 }] });
      await send(app2, `${c.A(a)}/application/scores`, { reviewerId: randomUUID(), scores: [{ criterion: 'fit', score: 6 }] });
    }
    let seed = 13;
    // A linear congruential generator's high bits (its low bits repeat with a short period).
    const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), Math.floor((seed / 2 ** 31) * n));
    const months = ['2025-04', '2025-05', '2025-06'];
    const answers: { status: number; code?: string }[] = [];
    for (let round = 0; round < 8; round++) {
      // Each agency gets two commands per round, from either process, all in flight together.
      const commands = c.agencies.flatMap((a) =>
        [0, 1].map(() => {
          const app = random(2) ? app1 : app2;
          switch (random(round < 2 ? 2 : 6)) {
            case 0:
              return send(app, `${c.A(a)}/admission`, { cohortId: random(2) ? c.cohortId : second });
            case 1:
              return send(app, `${c.A(a)}/baseline`, { period: { from: '2025-02-01', to: '2025-03-31' }, counts });
            case 2:
            case 3:
              return send(app, `${c.A(a)}/measures`, { month: months[random(3)], counts });
            case 4:
              return send(app, `${c.A(a)}/measures/corrections`, { month: months[random(3)], counts, reason: 'Recount' });
            default:
              return random(4) ? send(app, `${c.A(a)}/coaching-notes`, { coachId: c.coachId, coachedOn: '2025-04-03', assistance: 'Run chart' }) : send(app, `${c.A(a)}/withdrawal`, { withdrawnOn: '2025-07-01' });
          }
        }),
      );
      answers.push(...(await Promise.all(commands)));
    }
    const byCode = answers.reduce<Record<string, number>>((m, a) => ((m[`${a.status} ${a.code ?? ''}`] = (m[`${a.status} ${a.code ?? ''}`] ?? 0) + 1), m), {});
    console.log(`issue 13.3 answers: ${JSON.stringify(byCode)}`);
    // Refusals are business rules or a conflict that outlived its retries; never a server error.
    expect(answers.every((a) => [200, 201, 409, 422].includes(a.status))).toBe(true);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(20);
    const log: RecordedEvent[] = [];
    for (let after = 0; ; ) {
      // This collaborative's events only: the whole-history check folds every stream at every
      // event, and the flat-cost test above left collaboratives of 10,000 events in this database.
      const page = await t.eventStore.readAll({ after, limit: 5000, collaborativeId: c.id });
      log.push(...page.events);
      if (page.events.length < 5000) break;
      after = page.next;
    }
    expect(checkHistory(log)).toEqual([]);
    const enrolled = log.filter((e) => e.type === 'AgencyEnrolledInCohort' && (e.data as { collaborativeId: string }).collaborativeId === c.id);
    expect(enrolled.filter((e) => (e.data as { cohortId: string }).cohortId === c.cohortId).length).toBeLessThanOrEqual(4);
    expect(enrolled.filter((e) => (e.data as { cohortId: string }).cohortId === second).length).toBeLessThanOrEqual(3);
  });
});
