// issue 17: /docs over plain HTTP carries no `upgrade-insecure-requests` (it made /docs a blank
// page on any address but localhost); over HTTPS (here: a TLS proxy trusted with trustProxy) it does.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import { loadConfig } from '../config';

let database: TestDatabase;
let store: EventStore;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  store = createEventStore({ pool: database.pool });
  app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), pool: database.pool, db: database.db, eventStore: store }, { trustProxy: true });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await store?.close();
  await database?.drop();
});

describe('Content-Security-Policy of /docs', () => {
  it('issue 17: plain HTTP: no upgrade-insecure-requests; HTTPS: upgrade-insecure-requests once', async () => {
    const http = await app.inject({ method: 'GET', url: '/docs/' });
    expect(http.statusCode).toBe(200);
    expect(http.headers['content-security-policy']).toMatch(/script-src 'self' 'unsafe-inline'/);
    expect(http.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    const https = await app.inject({ method: 'GET', url: '/docs/', headers: { 'x-forwarded-proto': 'https' } });
    expect(String(https.headers['content-security-policy']).match(/upgrade-insecure-requests/g)).toHaveLength(1);
  });
});

describe('security headers (helmet, computed once: http/security-headers.ts)', () => {
  it('every answer carries helmet\'s headers, the refused ones too', async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/collaboratives', payload: {} });
    expect(r.statusCode).toBe(401);
    expect(r.headers).toMatchObject({
      'content-security-policy': expect.stringContaining("default-src 'self'"),
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-frame-options': 'SAMEORIGIN',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'origin-agent-cluster': '?1',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    });
  });
});
