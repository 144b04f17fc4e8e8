// Rate limits by client address, before authentication (issue 12.10). The per-key limit of
// @fastify/rate-limit runs as a route hook, after authentication: a flood of bad keys got 401
// each time and never 429. Two address limits run first, on every request:
// - every request of an address counts (RATE_LIMIT_PER_ADDRESS_PER_MINUTE);
// - failed authentications of an address count (AUTH_FAILURES_PER_MINUTE): once used up, its
//   requests without a valid key get 429 instead of 401 until the window ends. Requests with a
//   valid key still pass: clients sharing an address (a NAT, a proxy) are not locked out by a
//   flood from one of them. The address is the socket's unless Fastify's trustProxy is set.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findActiveKey } from '../auth/keys';
import type { Config } from '../config';
import { HttpProblem } from './problem';

interface Limiter {
  (request: FastifyRequest, options?: { increment?: boolean }): Promise<{ isExceeded: boolean; remaining: number; ttlInSeconds: number }>;
}

type LimitResult = Awaited<ReturnType<Limiter>>;

declare module 'fastify' {
  interface FastifyInstance {
    createRateLimit(options: { max: number; timeWindow: number; keyGenerator: (request: FastifyRequest) => string }): Limiter;
  }
  interface FastifyRequest {
    /** The per-address count of this request, asked of Redis in its first hook and checked in its last onRequest hook. */
    addressLimit: Promise<LimitResult> | null;
  }
  interface FastifyContextConfig {
    /** The route's own onRequest hooks end with the per-address check (registerAddressLimits). */
    addressCheckLast?: boolean;
  }
}

const tooMany = (seconds: number, detail: string) =>
  new HttpProblem(429, 'rate_limited', detail, { headers: { 'retry-after': String(Math.max(1, seconds)) } });

/** While an address is over its failure budget: public routes and valid keys still pass. */
async function mayPass(request: FastifyRequest): Promise<boolean> {
  if (request.routeOptions.config.public === true || request.is404 || request.url.startsWith('/docs')) return true;
  const key = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  return key ? (await findActiveKey(request.server.deps.pool, key)) !== null : false;
}

/** Register after @fastify/rate-limit and before the auth plugin (root hooks run in order). */
export function registerAddressLimits(app: FastifyInstance, config: Config): void {
  const minute = 60_000;
  const perAddress = app.createRateLimit({ max: config.RATE_LIMIT_PER_ADDRESS_PER_MINUTE, timeWindow: minute, keyGenerator: (r) => `addr:${r.ip}` });
  const authFailures = app.createRateLimit({ max: config.AUTH_FAILURES_PER_MINUTE, timeWindow: minute, keyGenerator: (r) => `authfail:${r.ip}` });
  const checkAddress = async (request: FastifyRequest) => {
    const all = await request.addressLimit;
    request.addressLimit = null;
    if (all?.isExceeded) throw tooMany(all.ttlInSeconds, 'Too many requests from this address; slow down');
  };
  app.decorateRequest('addressLimit', null);
  // With a key this process found valid lately (authentication will not ask the database, nor
  // refuse), the per-address count is asked of Redis here and awaited in the route's last
  // onRequest hook, after the per-key limit of @fastify/rate-limit (a route hook) has asked for its
  // own: both go to Redis in one write (ioredis auto-pipelining sends what one turn of the event
  // loop asked), one round trip per request instead of two in a row (issue 13). Still refused
  // before the body is read. Any other request (no key, an unknown one, a 404) waits for its
  // count here, before authentication, as before.
  app.addHook('onRoute', (route) => {
    route.onRequest = [...[route.onRequest ?? []].flat(), checkAddress];
    route.config = { ...(route.config as object | undefined), addressCheckLast: true };
  });
  app.addHook('onRequest', async (request) => {
    request.addressLimit = perAddress(request);
    // Unawaited until its check: a rejection meanwhile must not count as unhandled.
    request.addressLimit.catch(() => undefined);
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    const known = bearer !== undefined && request.server.hasDecorator('apiKeys') && request.server.apiKeys.cached(bearer) !== null;
    if (known && request.routeOptions.config.addressCheckLast === true && !request.is404) return;
    await checkAddress(request);
    // A key this process found valid within API_KEY_CACHE_MS passes whatever the failure count
    // says (as in mayPass): no need to ask Redis for it (one round trip less per request).
    if (known) return;
    const failed = await authFailures(request, { increment: false });
    if (failed.remaining <= 0 && !(await mayPass(request))) {
      throw tooMany(failed.ttlInSeconds, 'Too many failed authentications from this address; wait');
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode === 401) await authFailures(request).catch(() => undefined);
  });
}
