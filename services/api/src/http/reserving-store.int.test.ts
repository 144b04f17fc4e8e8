// The rate limits' store reserving counts in blocks (issue 13), against a real Redis: never more
// than `max` admitted per window across processes, numbers in order within one, fewer writes.
import { afterAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createTestApp } from '../test-fixtures/test-app';
import { MAX_BLOCK, ReservingRedisStore } from './reserving-store';

const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const clients: Redis[] = [];
const process_ = () => {
  const redis = new Redis(url);
  clients.push(redis);
  let reservations = 0;
  const store = new ReservingRedisStore({ redis, nameSpace: `test-rl-${randomUUID()}:` });
  const reserve = (redis as unknown as { convReserve: (...a: unknown[]) => void }).convReserve.bind(redis);
  (redis as unknown as { convReserve: (...a: unknown[]) => void }).convReserve = (...a: unknown[]) => (reservations++, reserve(...a));
  return { store, redis, reservations: () => reservations };
};
const incr = (store: ReservingRedisStore, key: string, windowMs: number, max: number) =>
  new Promise<{ current: number; ttl: number }>((resolve, reject) => store.incr(key, (e, r) => (e || !r ? reject(e) : resolve(r)), windowMs, max));
const read = (store: ReservingRedisStore, key: string) =>
  new Promise<{ current: number; ttl: number }>((resolve, reject) => store.read(key, (e, r) => (e || !r ? reject(e) : resolve(r))));

afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

describe('issue 13: rate-limit counts reserved in blocks', () => {
  it('given one process, when 500 requests of a key arrive, then they are numbered 1..500 in order with far fewer Redis writes', async () => {
    const p = process_();
    const key = 'k';
    const seen: number[] = [];
    for (let i = 0; i < 500; i++) seen.push((await incr(p.store, key, 60_000, 1_000)).current);
    expect(seen).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    // 1, 2, 4, 8, 16, then blocks of 32: 5 + 15 = 20 reservations, one write each (was 500).
    expect(p.reservations()).toBeLessThanOrEqual(25);
    expect((await read(p.store, key)).current).toBe(500);
  });

  it('given two processes sharing a key of limit 100, when 400 requests arrive concurrently at both, then at most 100 are admitted', async () => {
    // Both processes count in the same Redis key: the same name space.
    const ns = `test-rl-${randomUUID()}:`;
    const [a, b] = [new Redis(url), new Redis(url)];
    clients.push(a, b);
    const stores = [new ReservingRedisStore({ redis: a, nameSpace: ns }), new ReservingRedisStore({ redis: b, nameSpace: ns })];
    const results = await Promise.all(Array.from({ length: 400 }, (_, i) => incr(stores[i % 2]!, 'shared', 60_000, 100)));
    const admitted = results.filter((r) => r.current <= 100);
    expect(admitted.length).toBeLessThanOrEqual(100);
    // No number is handed out twice: every one was counted in Redis first.
    expect(new Set(results.map((r) => r.current)).size).toBe(400);
    // Near the limit blocks shrink to one request: little is stranded in the other process.
    expect(admitted.length).toBeGreaterThanOrEqual(100 - 2 * MAX_BLOCK);
  });

  it('given a key near its limit, when requests go on, then each number above the limit is refused as before', async () => {
    const p = process_();
    const currents: number[] = [];
    for (let i = 0; i < 15; i++) currents.push((await incr(p.store, 'near', 60_000, 10)).current);
    expect(currents).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(currents.filter((c) => c <= 10)).toHaveLength(10);
  });

  it('given a window that ended in Redis, when the next request comes, then its count starts again (no number of the old window used)', async () => {
    const p = process_();
    for (let i = 0; i < 40; i++) await incr(p.store, 'w', 300, 1_000);
    await new Promise((r) => setTimeout(r, 400));
    const next = await incr(p.store, 'w', 300, 1_000);
    expect(next.current).toBe(1);
    expect(next.ttl).toBeLessThanOrEqual(300);
  });

  it('given numbers this process reserved and has not used, when the count is read (the auth-failure check), then they do not count', async () => {
    const p = process_();
    for (let i = 0; i < 4; i++) await incr(p.store, 'r', 60_000, 1_000); // blocks 1, 2, 4: 7 reserved, 4 used
    expect(p.reservations()).toBe(3);
    expect((await read(p.store, 'r')).current).toBe(4);
  });
});

describe('issue 13: the API\'s limits through the reserving store and a real Redis', () => {
  it('given Redis, a flood of bad keys from one address gets 429 after the failure budget, a valid key still passes, and a key over its limit gets 429', async () => {
    const redis = new Redis(url);
    clients.push(redis);
    const t = await createTestApp({ redis }, { AUTH_FAILURES_PER_MINUTE: '5', RATE_LIMIT_PER_MINUTE: '6' });
    // An address of this test alone: Redis is shared with other tests.
    const remoteAddress = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await t.app.inject({ method: 'GET', url: '/v1/events', remoteAddress, headers: { authorization: `Bearer cvk_bad${i}` } })).statusCode);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      const keyed: { status: number; remaining: unknown }[] = [];
      for (let i = 0; i < 8; i++) {
        const r = await t.app.inject({ method: 'GET', url: '/v1/events', remoteAddress, headers: { authorization: `Bearer ${t.adminKey}` } });
        keyed.push({ status: r.statusCode, remaining: r.headers['x-ratelimit-remaining'] });
      }
      // The per-key limit of 6, counted exactly in one process (numbers in order, blocks of 1, 2, 4 ...).
      expect(keyed.map((k) => k.status)).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
      expect(keyed.slice(0, 6).map((k) => k.remaining)).toEqual(['5', '4', '3', '2', '1', '0']);
    } finally {
      await t.close();
    }
  });
});
