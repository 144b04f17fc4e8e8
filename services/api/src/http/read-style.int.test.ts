// Issue 12.5 / issue 14: strict query strings on every route, and conditional GETs.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startProjectorRuntime, projections, testing, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';

let t: TestApp;
let projector: RunningProjector;
let s: ReturnType<typeof testing.scenario>;

beforeAll(async () => {
  t = await createTestApp();
  s = await testing.runScenario(t.eventStore, { collaborative: 11, agencies: 3, months: 2, seed: 5 });
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  await projector.idle();
});
afterAll(async () => {
  await projector.stop();
  await t.close();
});

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.adminKey}`, ...headers } });
const ANY_ID = '0190f2b4-0000-7000-8000-000000000001';
const concrete = (url: string) => url.replace(/:(\w+)/g, (_, name: string) => (name === 'name' ? 'progress' : name === 'aggregate' ? 'collaborative' : ANY_ID));

describe('issue 12.5: strict query parsing', () => {
  it('issue 12.5: every route of the route table answers an unknown query parameter with a 400 naming it', async () => {
    const routes = t.app.routeTable.filter((r) => r.method === 'GET' && (r.url.startsWith('/v1') || r.url === '/health'));
    expect(routes.length).toBeGreaterThan(15);
    const silent: string[] = [];
    for (const route of routes) {
      const r = await get(`${concrete(route.url)}?definitelyUnknown=1`);
      const named = r.statusCode === 400 && r.json().errors?.some((e: { path: string }) => e.path === 'query.definitelyUnknown');
      if (!named) silent.push(`${route.url} -> ${r.statusCode}`);
    }
    expect(silent).toEqual([]);
    // A command is strict too.
    const post = await t.app.inject({ method: 'POST', url: '/v1/collaboratives?x=1', headers: { authorization: `Bearer ${t.adminKey}` }, payload: {} });
    expect(post.statusCode).toBe(400);
  });

  it.each(['limit=', 'limit=0x10', 'limit=%201', 'limit=1.5', 'limit=1e1', 'limit=-1', 'limit=0', 'limit=501', 'limit=1&limit=2', 'consistentWith=0x1'])(
    'issue 12.5: %s is a 400 naming the parameter, never coerced',
    async (query) => {
      const r = await get(`/v1/collaboratives/${s.collaborativeId}/cohorts/${s.cohortIds[0]}/progress?${query}`);
      expect(r.statusCode).toBe(400);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      const param = query.split('=')[0];
      expect(r.json().errors.map((e: { path: string }) => e.path)).toContain(`query.${param}`);
    },
  );

  it('issue 14: every GET honours consistentWith, also routes that read the event store', async () => {
    const ahead = 2 ** 52;
    const history = await get(`/v1/collaboratives/${s.collaborativeId}/events?consistentWith=${ahead}`);
    expect(history.statusCode).toBe(503);
    expect(history.headers['retry-after']).toBeDefined();
    const { rows } = await t.database.pool.query<{ p: string }>('SELECT max(global_position)::text AS p FROM events');
    expect((await get(`/v1/collaboratives/${s.collaborativeId}/events?consistentWith=${rows[0]!.p}`)).statusCode).toBe(200);
  });

  it('issue 12.5: plain digits are accepted', async () => {
    const r = await get(`/v1/collaboratives/${s.collaborativeId}/cohorts/${s.cohortIds[0]}/progress?limit=2`);
    expect(r.statusCode).toBe(200);
    expect(r.json().items).toHaveLength(2);
  });

  it('issue 14: a cursor made under another sort is refused', async () => {
    const first = (await get(`/v1/collaboratives/${s.collaborativeId}/cohorts/${s.cohortIds[0]}/progress?limit=1`)).json();
    const r = await get(`/v1/collaboratives/${s.collaborativeId}/cohorts/${s.cohortIds[0]}/progress?limit=1&sort=-agencyName&cursor=${first.nextCursor}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].path).toBe('query.cursor');
  });
});

describe('issue 14: HTTP caching', () => {
  it('issue 14: a GET carries a weak ETag and If-None-Match answers 304 until the resource changes', async () => {
    const agencyId = (await get(`/v1/collaboratives/${s.collaborativeId}/cohorts/${s.cohortIds[0]}/progress?limit=1`)).json().items[0].agencyId;
    const url = `/v1/collaboratives/${s.collaborativeId}/agencies/${agencyId}`;
    const first = await get(url);
    expect(first.statusCode).toBe(200);
    const tag = first.headers.etag as string;
    expect(tag).toMatch(/^W\/".+"$/);
    const again = await get(url, { 'if-none-match': tag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect((await get(url, { 'if-none-match': `W/"other", ${tag}` })).statusCode).toBe(304);
    expect((await get(url, { 'if-none-match': 'W/"other"' })).statusCode).toBe(200);

    const written = await testing.run(t.eventStore, {
      type: 'RecordCoachingNote', now: '2024-09-01T10:00:00.000Z',
      data: { collaborativeId: s.collaborativeId, agencyId, coachId: first.json().coachId, coachedOn: '2024-09-01', assistance: 'Walked the intake flow again' },
    });
    expect(written).toBe(true);
    await projector.idle();
    const changed = await get(url, { 'if-none-match': tag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(tag);
  });

  it('issue 14: errors carry no ETag', async () => {
    const r = await get(`/v1/collaboratives/${s.collaborativeId}/agencies/${ANY_ID}`);
    expect(r.statusCode).toBe(404);
    expect(r.headers.etag).toBeUndefined();
  });
});
