// The API processes of the issue 13 tests of the state cache (command-cache-*.int.test.ts):
// each "API process" is what one process has: its own fastify app, pg pool, event store and state
// cache; all run on one test database, which commandCacheFixture creates and drops around a file.
import { beforeAll, afterAll, expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { createDb, createPool } from '@convene/db';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { StreamStateCache } from '@convene/domain';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { seedYearSteps } from '../test-fixtures/seed-year';

/** Statements sent and rows PostgreSQL returned, over every connection of a pool. */
export interface QueryCounter {
  statements: number;
  rows: number;
}
export function countingPool(url: string, applicationName: string): { pool: pg.Pool; counter: QueryCounter } {
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
export interface ApiProcess {
  app: FastifyInstance;
  pool: pg.Pool;
  store: EventStore;
  counter: QueryCounter;
  cache: StreamStateCache;
  close(): Promise<void>;
}

export const counts = { clientsTreated: 10, totalDaysToTreatment: 300, intakeScheduled: 20, intakeNoShows: 5, admissions: 10 };

/** A test app (database, keys, clock) for this file, and API processes and commands on it. */
export function commandCacheFixture() {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    // Inside the seed collaborative's span (2025-02-01 to 2025-12-31): every date below is in it.
    t.clock.now = new Date('2025-09-15T09:00:00.000Z');
  });
  afterAll(async () => t.close());

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

  const send = async (app: FastifyInstance, url: string, payload: object, method: 'POST' | 'PUT' = 'POST') => {
    const r = await app.inject({ method, url, headers: { authorization: `Bearer ${t.adminKey}` }, payload });
    return { status: r.statusCode, code: (r.json() as { code?: string }).code };
  };
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

  return { get t() { return t; }, apiProcess, send, collaborative };
}
