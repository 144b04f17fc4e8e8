// RFC 9457 problem details: one shape for every error the API answers.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isDomainError, type DomainErrorKind } from '@convene/domain';
import { isConcurrencyError } from '@convene/eventstore';
import { ProjectionNotReady } from '@convene/projections';
import { problemTypeUri } from './problem-pages';


export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const FieldErrorSchema = z
  .object({ path: z.string().describe('Dotted path of the offending field, e.g. body.counts.intakeNoShows'), message: z.string() })
  .meta({ id: 'FieldError' });

export const ProblemSchema = z
  .object({
    type: z.string().describe('The problem type: `/problems/<code with dashes>`, relative to the API, where it serves a page describing the problem'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string(),
    code: z.string().optional().describe('Machine-readable reason (snake_case)'),
    errors: z.array(FieldErrorSchema).optional(),
    currentVersion: z.number().int().optional().describe('412: the current version of the stream'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
export type Problem = z.infer<typeof ProblemSchema>;
export type FieldError = z.infer<typeof FieldErrorSchema>;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An error that is answered as the problem it describes. Throw it from handlers and hooks. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly extra: { errors?: FieldError[]; currentVersion?: number; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

const KIND_STATUS: Record<DomainErrorKind, number> = {
  validation: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  unprocessable: 422,
};

export function buildProblem(
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string | undefined,
  extra: { errors?: FieldError[]; currentVersion?: number } = {},
): Problem {
  return {
    type: problemTypeUri(code),
    title: TITLES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error'),
    status,
    ...(detail ? { detail } : {}),
    instance: request.url,
    requestId: String(request.id),
    code,
    ...(extra.errors ? { errors: extra.errors } : {}),
    ...(extra.currentVersion !== undefined ? { currentVersion: extra.currentVersion } : {}),
  };
}

export function sendProblem(reply: FastifyReply, problem: Problem, headers: Record<string, string> = {}): FastifyReply {
  return reply
    .code(problem.status)
    .headers(headers)
    .type(PROBLEM_CONTENT_TYPE)
    .send(JSON.stringify(problem));
}

type ValidationIssue = { instancePath?: string; message?: string; keyword?: string; params?: Record<string, unknown> };

/** Field errors of a request validation: unknown keys are named one by one. */
function fieldErrors(context: string | undefined, issues: readonly ValidationIssue[]): FieldError[] {
  // Fastify calls the query string `querystring`; problems name it `query` (as the cursor errors do).
  const prefix = context === 'querystring' ? 'query' : (context ?? 'body');
  return issues.flatMap((issue) => {
    const base = (issue.instancePath ?? '').split('/').filter(Boolean);
    const keys = issue.keyword === 'unrecognized_keys' && Array.isArray(issue.params?.keys) ? issue.params.keys.map(String) : [];
    const paths = keys.length ? keys.map((k) => [...base, k]) : [base];
    return paths.map((p) => ({
      path: [prefix, ...p].join('.'),
      message: keys.length ? `Unknown field ${p.at(-1) ?? ''}` : (issue.message ?? 'Invalid value'),
    }));
  });
}

/** Maps every error to a problem; 5xx bodies say nothing of the cause, which is logged. */
export function problemFor(error: unknown, request: FastifyRequest): { problem: Problem; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (error instanceof HttpProblem) {
    Object.assign(headers, error.extra.headers ?? {});
    return { problem: buildProblem(request, error.status, error.code, error.message, error.extra), headers };
  }
  if (error instanceof ProjectionNotReady) {
    return { problem: buildProblem(request, 503, 'read_model_not_ready', error.message), headers: { 'retry-after': '5' } };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const errors = fieldErrors(error.validationContext, error.validation);
    const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    return { problem: buildProblem(request, 400, 'validation_error', detail, { errors }), headers };
  }
  if (isDomainError(error)) {
    const status = KIND_STATUS[error.kind];
    const details = error.details ?? (error.field ? [{ field: error.field, message: error.message }] : []);
    const errors = details.map((d) => ({ path: d.field ? `body.${d.field}` : 'body', message: d.message }));
    return {
      problem: buildProblem(request, status, error.code, error.message, errors.length ? { errors } : {}),
      headers,
    };
  }
  if (isConcurrencyError(error)) {
    return {
      problem: buildProblem(request, 409, 'concurrency_conflict', 'The resource was changed by another request; retry', {
        currentVersion: error.actual,
      }),
      headers,
    };
  }
  const e = error as Partial<FastifyError> | null;
  const status = typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 600 ? e.statusCode : 500;
  if (status >= 500) return { problem: buildProblem(request, status, 'internal_error', 'An unexpected error occurred'), headers };
  if (status === 429) {
    return { problem: buildProblem(request, 429, 'rate_limited', 'Too many requests; slow down'), headers };
  }
  // Fastify's own client errors (malformed JSON, wrong content type, body too large).
  const code = (e?.code ?? 'bad_request').toLowerCase();
  return { problem: buildProblem(request, status, code, e?.message ?? 'Bad request'), headers };
}

/** The one error handler and the 404 handler; register on the root instance. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { problem, headers } = problemFor(error, request);
    if (problem.status >= 500) request.log.error({ err: error, url: request.url, method: request.method }, 'request failed');
    else request.log.info({ status: problem.status, code: problem.code }, 'request refused');
    return sendProblem(reply, problem, headers);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, buildProblem(request, 404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
