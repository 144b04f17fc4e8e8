// Issue 13: API keys are cached per process for a short time; a revocation is honoured at once in
// the revoking process and within the cache's time elsewhere.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { createApiKey, revokeApiKey } from './keys';

const TTL = 400;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({}, { API_KEY_CACHE_MS: String(TTL) });
});
afterAll(async () => t.close());

const call = (key: string) => t.app.inject({ method: 'GET', url: '/v1/audit/streams/collaborative/0190a000-0000-7000-8000-000000000001/events', headers: { authorization: `Bearer ${key}` } });

describe('issue 13: API key cache', () => {
  it('issue 13: a key revoked by another process stops working within the cache time', async () => {
    const { key, record } = await createApiKey(t.database.pool, { name: 'elsewhere', role: 'auditor' });
    const first = await call(key);
    expect(first.statusCode).not.toBe(401);
    // Another process revokes it (the table only: this process's cache is not told).
    await t.database.pool.query('UPDATE api_keys SET revoked_at = now() WHERE key_id = $1', [record.keyId]);
    const cached = await call(key);
    expect(cached.statusCode).toBe(first.statusCode); // served from the cache: no query per request
    await new Promise((r) => setTimeout(r, TTL + 50));
    expect((await call(key)).statusCode).toBe(401);
  });

  it('issue 13: a key revoked in this process stops working at once', async () => {
    const { key, record } = await createApiKey(t.database.pool, { name: 'here', role: 'auditor' });
    expect((await call(key)).statusCode).not.toBe(401);
    expect(await revokeApiKey(t.database.pool, record.keyId)).toBe(true);
    expect((await call(key)).statusCode).toBe(401);
  });

  it('issue 13: keys in use are checked again together, one statement per pass, not one per key', async () => {
    const keys = await Promise.all(Array.from({ length: 20 }, (_, i) => createApiKey(t.database.pool, { name: `busy ${i}`, role: 'auditor' })));
    for (const { key } of keys) expect((await call(key)).statusCode).not.toBe(401);
    const pool = t.database.pool as unknown as { query: (...args: unknown[]) => unknown };
    const original = pool.query;
    let lookups = 0;
    pool.query = function (this: unknown, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      if (text?.includes('FROM api_keys')) lookups++;
      return original.apply(this, args);
    };
    try {
      // 3 cache times of steady use: one lookup per key and cache time before, one per pass (every TTL / 2) now.
      const until = Date.now() + 3 * TTL;
      while (Date.now() < until) {
        for (const { key } of keys) expect((await call(key)).statusCode).not.toBe(401);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      pool.query = original;
    }
    expect(lookups).toBeGreaterThan(0);
    expect(lookups).toBeLessThanOrEqual(8);
  });
});
