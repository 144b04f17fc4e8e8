import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from './test-fixtures/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { CORS_ORIGIN: 'https://app.convene.example', RATE_LIMIT_PER_MINUTE: '3' });
});
afterAll(async () => t.close());

describe('the HTTP surface', () => {
  it('sends security headers, the request id, and CORS for the configured origin only', async () => {
    const r = await t.app.inject({ url: '/openapi.json', headers: { origin: 'https://app.convene.example', 'x-request-id': 'req-123' } });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    // The server's own id; the client's (in the accepted format) comes back apart (issue 12.6).
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers['x-client-request-id']).toBe('req-123');
    expect(r.headers['access-control-allow-origin']).toBe('https://app.convene.example');
    const other = await t.app.inject({ url: '/openapi.json', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('serves Swagger UI at /docs', async () => {
    const r = await t.app.inject({ url: '/docs/' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('swagger');
  });

  it('unknown routes are 404 problems with a request id', async () => {
    const r = await t.app.inject({ url: '/v1/nothing-here' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ status: 404, requestId: r.headers['x-request-id'] });
  });

  it('rate-limits per API key with a 429 problem', async () => {
    const other = await t.createKey({ name: 'auditor', role: 'auditor' });
    const call = (key: string) => t.app.inject({ url: '/v1/collaboratives/0190a000-0000-7000-8000-000000000001/events', headers: { authorization: `Bearer ${key}` } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(t.adminKey)).statusCode);
    expect(statuses.at(-1)).toBe(429);
    expect((await call(other)).statusCode).not.toBe(429);
  });
});
