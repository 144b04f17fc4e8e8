// The rate limits' counts in Redis, taken in blocks (issue 13). @fastify/rate-limit's Redis store
// sends one script per request and limit: at 150 commands/s below saturation that was one Redis
// write (a loopback socket write, ~8% of the API's CPU) per command. This store reserves a block of
// a key's count with one INCRBY and hands its numbers out in this process, in order; a block that
// runs out is followed by one twice as large (at most MAX_BLOCK, never more than half of what the
// last reply left under the limit: a key near its limit goes one request at a time).
// The limit is never looser: every number handed out was counted in Redis first, and a number
// above the limit is refused as before, so all processes together admit at most `max` requests of
// a key per window. It may be stricter: numbers a process reserved and did not use count for
// the others too (at most MAX_BLOCK per key and process). A block is dropped before its window
// ends in Redis (the TTL counted from before the request was sent), never used in the next one.
import type { Redis } from 'ioredis';

const RESERVE = `
local current = redis.call('INCRBY', KEYS[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if current == tonumber(ARGV[2]) or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}`;

const READ = `
local current = redis.call('GET', KEYS[1])
if not current then return {0, 0} end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = 0 end
return {tonumber(current), ttl}`;

export const MAX_BLOCK = 32;

type Result = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Result) => void;

interface Block {
  /** The next number to hand out, and the last one reserved. */
  next: number;
  last: number;
  /** Date.now() at which the numbers stop being valid (the Redis window ends). */
  endsAt: number;
  size: number;
  /** Requests waiting for a reservation in flight. */
  waiting: Callback[] | null;
}

type Scripted = Redis & {
  convReserve(key: string, windowMs: number, size: number, cb: (e: Error | null, r: [number, number]) => void): void;
  convRead(key: string, cb: (e: Error | null, r: [number, number]) => void): void;
};

export class ReservingRedisStore {
  private readonly blocks = new Map<string, Block>();
  private readonly redis: Scripted;

  constructor(params: { redis: Redis; nameSpace?: string }) {
    this.redis = params.redis as Scripted;
    this.prefix = params.nameSpace ?? 'convene-rl:';
    const redis = params.redis as Redis & Partial<Scripted>;
    if (!redis.convReserve) redis.defineCommand('convReserve', { numberOfKeys: 1, lua: RESERVE });
    if (!redis.convRead) redis.defineCommand('convRead', { numberOfKeys: 1, lua: READ });
  }
  private readonly prefix: string;

  incr(key: string, cb: Callback, timeWindow: number, max: number): void {
    const now = Date.now();
    let block = this.blocks.get(key);
    if (block && now >= block.endsAt && !block.waiting) {
      this.blocks.delete(key);
      block = undefined;
    }
    if (block && block.next <= block.last && !block.waiting) {
      cb(null, { current: block.next++, ttl: block.endsAt - now });
      return;
    }
    if (block?.waiting) {
      block.waiting.push(cb);
      return;
    }
    const size = block ? Math.max(1, Math.min(block.size * 2, MAX_BLOCK, Math.floor((max - block.last) / 2))) : 1;
    const waiting = [cb];
    const next: Block = { next: 0, last: -1, endsAt: 0, size, waiting };
    this.blocks.set(key, next);
    if (this.blocks.size > 10_000) this.sweep(now);
    this.redis.convReserve(this.prefix + key, timeWindow, size, (error, reply) => {
      next.waiting = null;
      if (error || !reply) {
        this.blocks.delete(key);
        for (const w of waiting) w(error ?? new Error('no reply'));
        return;
      }
      const [current, ttl] = reply;
      Object.assign(next, { next: current - size + 1, last: current, endsAt: now + ttl });
      // Those who waited take numbers in order; any left over ask for the next block.
      for (const w of waiting) this.incr(key, w, timeWindow, max);
    });
  }

  /** The count without counting (the auth-failure check): Redis's, less what this process holds unused. */
  read(key: string, cb: Callback): void {
    this.redis.convRead(this.prefix + key, (error, reply) => {
      if (error || !reply) return cb(error ?? new Error('no reply'));
      const block = this.blocks.get(key);
      const unused = block && !block.waiting && Date.now() < block.endsAt ? block.last - block.next + 1 : 0;
      cb(null, { current: Math.max(0, reply[0] - unused), ttl: reply[1] });
    });
  }

  /** A route with its own limit counts under its own keys. */
  child(routeOptions: object): ReservingRedisStore {
    // @fastify/rate-limit passes the route's merged options, routeInfo among them (as its RedisStore reads).
    const { routeInfo } = routeOptions as { routeInfo: { method: string; url: string } };
    return new ReservingRedisStore({ redis: this.redis, nameSpace: `${this.prefix}${routeInfo.method}${routeInfo.url}-` });
  }

  private sweep(now: number): void {
    for (const [key, block] of this.blocks) if (!block.waiting && now >= block.endsAt) this.blocks.delete(key);
  }
}

/** The class for @fastify/rate-limit's `store` option (it calls `new Store(globalParams)`, without Redis). */
export const reservingStore = (redis: Redis, nameSpace: string) =>
  class extends ReservingRedisStore {
    constructor() {
      super({ redis, nameSpace });
    }
  };
