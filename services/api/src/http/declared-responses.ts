// Every status an operation can answer is in the OpenAPI document (issue 12.4). The statuses any
// route can answer, whatever its handler does (authentication, rate limit, input guards, Fastify's
// own checks), are added here, once, to every /v1 route as it is registered.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from './problem';

export const problemResponse = (description: string, headers?: Record<string, { description: string; type: string }>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
});

/** Response headers as @fastify/swagger reads them (openapi.ts keeps them through the zod transform). */
const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait before retrying', type: 'integer' } };

/** A 503 with Retry-After, for a route whose handler needs read models (declared on that route). */
export const notReadyResponse = (description: string) => problemResponse(description, RETRY_AFTER);

const COMMON: Record<number, string> = {
  400: 'Invalid request: a field (named in `errors`) fails its schema, holds NUL or an unpaired surrogate, or the URL does not decode',
  401: 'No valid API key',
  403: 'The key may not do this (role or scope)',
  404: 'No such resource (or route)',
  429: 'Too many requests from this API key or client address; see Retry-After',
};
const WITH_BODY: Record<number, string> = {
  413: 'The body is larger than the limit',
  415: 'The body is not JSON, or has a Content-Encoding other than identity',
};

/** Does the route's querystring take `consistentWith` (it may then answer 503 not_yet_consistent)? */
function takesConsistentWith(querystring: unknown): boolean {
  return querystring instanceof z.ZodObject && 'consistentWith' in querystring.shape;
}

/**
 * Adds the common problem responses to every documented /v1 route registered after this call.
 * 503 is declared where it can happen: routes taking `consistentWith`, and admin routes (a read
 * model or the workers not ready).
 */
export function declareProblemResponses(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as (RouteOptions['schema'] & { hide?: boolean; response?: Record<string, unknown>; querystring?: unknown }) | undefined;
    if (!schema || schema.hide || !route.url.startsWith('/v1/')) return;
    const responses: Record<string, unknown> = { ...(schema.response ?? {}) };
    const add = (status: number, response: unknown) => {
      // A bare ProblemSchema is documented as application/problem+json like the others.
      if (responses[status] === undefined || responses[status] === ProblemSchema) responses[status] = response;
    };
    for (const [status, description] of Object.entries(COMMON)) add(Number(status), problemResponse(description, Number(status) === 429 ? RETRY_AFTER : undefined));
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.some((m) => m !== 'GET' && m !== 'HEAD')) {
      for (const [status, description] of Object.entries(WITH_BODY)) add(Number(status), problemResponse(description));
    }
    if (route.url.includes(':')) add(414, problemResponse('A path parameter is longer than the limit'));
    if (takesConsistentWith(schema.querystring) || route.url.startsWith('/v1/admin/')) {
      add(503, problemResponse('not_yet_consistent: the read models have not reached `consistentWith` yet (or are being rebuilt); retry after Retry-After', RETRY_AFTER));
    }
    for (const [status, response] of Object.entries(responses)) if (response === ProblemSchema) responses[status] = problemResponse('Refused');
    schema.response = responses;
  });
}
