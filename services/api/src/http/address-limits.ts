// Rate limits by client address, before authentication (issue 12.10). The per-key limit of
// @fastify/rate-limit runs as a route hook, after authentication: a flood of bad keys got 401
// each time and never 429. Two address limits run first, on every request:
// - every request of an address counts (RATE_LIMIT_PER_ADDRESS_PER_MINUTE);
// - failed authentications of an address count (AUTH_FAILURES_PER_MINUTE): once used up, the
//   address gets 429 without its key being looked up, until the window ends.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config';
import { HttpProblem } from './problem';

interface Limiter {
  (request: FastifyRequest, options?: { increment?: boolean }): Promise<{ isExceeded: boolean; remaining: number; ttlInSeconds: number }>;
}

declare module 'fastify' {
  interface FastifyInstance {
    createRateLimit(options: { max: number; timeWindow: number; keyGenerator: (request: FastifyRequest) => string }): Limiter;
  }
}

const tooMany = (seconds: number, detail: string) =>
  new HttpProblem(429, 'rate_limited', detail, { headers: { 'retry-after': String(Math.max(1, seconds)) } });

/** Register after @fastify/rate-limit and before the auth plugin (root hooks run in order). */
export function registerAddressLimits(app: FastifyInstance, config: Config): void {
  const minute = 60_000;
  const perAddress = app.createRateLimit({ max: config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE, timeWindow: minute, keyGenerator: (r) => `addr:${r.ip}` });
  const authFailures = app.createRateLimit({ max: config.AUTH_FAILURES_PER_MINUTE, timeWindow: minute, keyGenerator: (r) => `authfail:${r.ip}` });
  app.addHook('onRequest', async (request) => {
    const all = await perAddress(request);
    if (all.isExceeded) throw tooMany(all.ttlInSeconds, 'Too many requests from this address; slow down');
    const failed = await authFailures(request, { increment: false });
    if (failed.remaining <= 0) throw tooMany(failed.ttlInSeconds, 'Too many failed authentications from this address; wait');
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 401) await authFailures(request).catch(() => undefined);
  });
}
