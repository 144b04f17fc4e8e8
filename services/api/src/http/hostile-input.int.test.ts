// Issue 12, input points: each test names its point and fails without its fix.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { declaredResponse } from '../contract/shared-responses';

let t: TestApp;
const C = '0190c000-0000-7000-8000-0000000000c1';
const person = (id: string, name: string) => ({ personId: id, name, email: 'casey@example.org' });
const launch = (overrides: Record<string, unknown> = {}) => ({
  collaborativeId: C,
  name: 'Access 2025',
  aim: 'Cut days to treatment',
  convener: { organizationName: 'State Division', contact: person('0190c000-0000-7000-8000-0000000000a1', 'Casey Convener') },
  focusMeasures: ['waiting_time'],
  startsOn: '2025-02-01',
  endsOn: '2025-12-31',
  meetingCadence: 'monthly',
  measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
  ...overrides,
});

beforeAll(async () => {
  t = await createTestApp();
  const res = await send('POST', '/v1/collaboratives', launch());
  expect(res.statusCode).toBe(201);
});
afterAll(async () => t.close());

async function send(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${t.adminKey}`, ...headers },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}
const eventCount = async () => Number((await t.database.pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);
const expectProblem = (res: { statusCode: number; headers: Record<string, unknown>; json(): any }, status: number, path?: string) => {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toContain('application/problem+json');
  const body = res.json();
  expect(body.requestId).toBe(res.headers['x-request-id']);
  if (path) expect(body.errors.map((e: { path: string }) => e.path)).toContain(path);
  return body;
};

describe('issue 12, hostile input', () => {
  it('issue 12.1: NUL and lone surrogates answer 400 naming the field, in bodies, queries and headers; nothing is stored', async () => {
    const before = await eventCount();
    const other = '0190c000-0000-7000-8000-0000000000c2';
    expectProblem(await send('POST', '/v1/collaboratives', launch({ collaborativeId: other, name: 'a\u0000b' })), 400, 'body.name');
    expectProblem(await send('POST', '/v1/collaboratives', launch({ collaborativeId: other, aim: 'x\ud800y' })), 400, 'body.aim');
    const contact = person('0190c000-0000-7000-8000-0000000000a2', '\udc00');
    expectProblem(await send('POST', `/v1/collaboratives/${C}/system-roles`, { role: 'coach', person: contact }), 400, 'body.person.name');
    expectProblem(await send('GET', '/v1/events?types=%00'), 400, 'query.types');
    expectProblem(await send('POST', `/v1/collaboratives/${C}/closure`, { closedOn: '2025-06-01' }, { 'idempotency-key': 'k\u0000' }), 400, 'headers.idempotency-key');
    expect(await eventCount()).toBe(before);
  });

  it('issue 12.2: amounts and counts beyond the documented bounds answer 400 naming the field', async () => {
    const before = await eventCount();
    const spend = { amountCents: 2 ** 53 - 1, category: 'travel', spentOn: '2025-03-01' };
    expectProblem(await send('POST', `/v1/collaboratives/${C}/expenditures`, spend), 400, 'body.amountCents');
    const ok = await send('POST', `/v1/collaboratives/${C}/expenditures`, { ...spend, amountCents: 10_000_000_000 });
    expect(ok.statusCode).toBe(201);
    const A = `/v1/collaboratives/${C}/agencies/0190c000-0000-7000-8000-0000000000d1`;
    const counts = { clientsTreated: 2 ** 31, totalDaysToTreatment: 10 };
    expectProblem(await send('POST', `${A}/measures`, { month: '2025-03', counts }), 400, 'body.counts.clientsTreated');
    expect(await eventCount()).toBe(before + 1);
  });

  it('issue 12.3: dates outside 2000-01-01..2100-12-31 answer 400, outside the collaborative span 422, naming the field', async () => {
    const other = '0190c000-0000-7000-8000-0000000000c3';
    expectProblem(await send('POST', '/v1/collaboratives', launch({ collaborativeId: other, startsOn: '0000-01-01' })), 400, 'body.startsOn');
    expectProblem(await send('POST', '/v1/collaboratives', launch({ collaborativeId: other, endsOn: '9999-12-31' })), 400, 'body.endsOn');
    const cohort = { name: 'Late', startsOn: '2026-03-01', capacity: 5 };
    const late = expectProblem(await send('POST', `/v1/collaboratives/${C}/cohorts`, cohort), 422, 'body.startsOn');
    expect(late.detail).toContain('2025-12-31');
    const spend = { amountCents: 100, category: 'travel', spentOn: '1999-12-31' };
    expectProblem(await send('POST', `/v1/collaboratives/${C}/expenditures`, spend), 400, 'body.spentOn');
  });

  it('issue 12.4: errors raised before a route are problem+json with a request id', async () => {
    expectProblem(await send('GET', '/v1/nowhere'), 404);
    expectProblem(await send('GET', `/v1/collaboratives/${'x'.repeat(300)}/expenditures`), 414);
    expectProblem(await send('GET', '/v1/collaboratives/%E0%A4%A/expenditures'), 400);
    expectProblem(await send('POST', `/v1/collaboratives/${C}/closure`, '<closedOn/>', { 'content-type': 'application/xml' }), 415);
    expectProblem(await send('POST', `/v1/collaboratives/${C}/closure`, { reason: 'x'.repeat(1_100_000), closedOn: '2025-06-01' }), 413);
    expectProblem(await send('POST', `/v1/collaboratives/${C}/closure`, '{"closedOn":', { 'content-type': 'application/json' }), 400);

    // 431: the HTTP parser refuses the request before Fastify has one.
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const raw = await new Promise<{ status: number; type: string; id: string; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/health', headers: { 'x-big': 'y'.repeat(40_000) } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), id: String(res.headers['x-request-id']), body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(raw.status).toBe(431);
    expect(raw.type).toBe('application/problem+json');
    expect(JSON.parse(raw.body)).toMatchObject({ status: 431, code: 'headers_too_large', requestId: raw.id });
  });

  it('issue 12.4: every /v1 operation declares 400, 401, 403, 404 and 429; bodies 413 and 415; consistentWith 503 with Retry-After', async () => {
    const doc = (await send('GET', '/openapi.json')).json() as { paths: Record<string, Record<string, { responses: Record<string, { headers?: object }>; parameters?: { name: string; in: string }[] }>> };
    const operations = Object.entries(doc.paths).filter(([p]) => p.startsWith('/v1/')).flatMap(([p, ops]) => Object.entries(ops).map(([m, op]) => ({ p, m, op })));
    expect(operations.map((o) => o.p)).toContain('/v1/admin/deliveries/dead-letters');
    for (const { p, m, op } of operations) {
      const codes = Object.keys(op.responses);
      expect({ p, m, missing: ['400', '401', '403', '404', '429'].filter((c) => !codes.includes(c)) }).toEqual({ p, m, missing: [] });
      if (m !== 'get') expect({ p, m, has: ['413', '415'].every((c) => codes.includes(c)) }).toEqual({ p, m, has: true });
      if (op.parameters?.some((q) => q.name === 'consistentWith')) expect(declaredResponse(doc, op, '503')?.headers).toHaveProperty('Retry-After');
    }
  });

  it('issue 12.5: a body with a Content-Encoding the server does not decode answers 415; nothing is stored', async () => {
    const before = await eventCount();
    const res = await send('POST', `/v1/collaboratives/${C}/closure`, { closedOn: '2025-06-01' }, { 'content-encoding': 'gzip' });
    expect(expectProblem(res, 415).code).toBe('unsupported_content_encoding');
    expect(await eventCount()).toBe(before);
  });

  it('issue 12.6: a client X-Request-Id is kept apart from the server id, and only in the documented format', async () => {
    const role = (n: number) => ({ role: 'coach', person: person(`0190c000-0000-7000-8000-00000000010${n}`, `Coach ${n}`) });
    const a = await send('POST', `/v1/collaboratives/${C}/system-roles`, role(1), { 'x-request-id': 'client-1' });
    const b = await send('POST', `/v1/collaboratives/${C}/system-roles`, role(2), { 'x-request-id': 'client-1' });
    const forged = await send('POST', `/v1/collaboratives/${C}/system-roles`, role(3), { 'x-request-id': `<script>${'x'.repeat(80)}` });
    for (const r of [a, b, forged]) {
      expect(r.statusCode).toBe(200);
      expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(a.headers['x-client-request-id']).toBe('client-1');
    expect(forged.headers['x-client-request-id']).toBeUndefined();
    const { rows } = await t.database.pool.query<{ metadata: Record<string, unknown> }>(
      `SELECT metadata FROM events WHERE event_type = 'SystemRoleAppointed' AND metadata->>'requestId' = ANY($1) ORDER BY global_position`,
      [[a, b, forged].map((r) => String(r.headers['x-request-id']))],
    );
    expect(rows.map((r) => [r.metadata.requestId, r.metadata.clientRequestId ?? null])).toEqual([
      [a.headers['x-request-id'], 'client-1'],
      [b.headers['x-request-id'], 'client-1'],
      [forged.headers['x-request-id'], null],
    ]);
  });
});

describe('issue 12.10, address limits', () => {
  it('issue 12.10: a flood of bad keys from one address gets 429 before authentication', async () => {
    const limited = await createTestApp({}, { AUTH_FAILURES_PER_MINUTE: '5' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await limited.app.inject({ method: 'GET', url: '/v1/events', headers: { authorization: `Bearer cvk_bad${i}` } });
        statuses.push(res.statusCode);
        if (res.statusCode === 429) {
          expect(String(res.headers['content-type'])).toContain('application/problem+json');
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        }
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
      // A valid key from the same address (a shared proxy) is not locked out.
      const valid = await limited.app.inject({ method: 'GET', url: '/v1/events', headers: { authorization: `Bearer ${limited.adminKey}` } });
      expect(valid.statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
