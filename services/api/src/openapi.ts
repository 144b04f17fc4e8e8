// OpenAPI 3.1 from the routes' zod schemas; served at /openapi.json, Swagger UI at /docs.
import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { READ_EXAMPLES } from './read-examples';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { finishDocument } from './contract/document';
import { z } from 'zod';

export const OPENAPI_INFO = {
  title: 'Convene API',
  version: '1.0.0',
  description:
    'Event-sourced backend for NIATx-style learning collaboratives. Every command is one operation; ' +
    'errors are RFC 9457 problem details (application/problem+json). Commands accept `Idempotency-Key` ' +
    'and `If-Match: W/"<version>"`, and answer with `ETag` and `Convene-Position` headers; queries ' +
    'accept `consistentWith=<position>`.',
};

/** Response headers the API sends, declared on the responses that carry them. */
const HEADER = {
  etag: { type: 'string', description: 'Weak entity tag (`W/"..."`): the stream version after a command, the read model\'s version or a hash of the body on a read. Send it back as `If-None-Match` (reads: 304 when unchanged) or `If-Match` (commands).' },
  location: { type: 'string', description: 'Where the created resource is read (`GET` it for 200)' },
  position: { type: 'string', description: 'Global position of the last event written; pass it as `consistentWith` to read your write' },
  retryAfter: { type: 'string', description: 'Seconds to wait before retrying' },
};

/** Creations with nothing to GET afterwards (an erasure is a record in the log, not a resource). */
const CREATED_WITHOUT_LOCATION = new Set(['erasePersonalData']);

type JsonResponse = Record<string, unknown> & { headers?: Record<string, unknown> };
type Transformed = { schema: Record<string, unknown> & { response?: Record<string, JsonResponse>; querystring?: { properties?: Record<string, unknown> } }; url: string };

const withHeaders = (response: JsonResponse | undefined, headers: Record<string, unknown>): JsonResponse | undefined =>
  response ? { ...response, headers: { ...response.headers, ...headers } } : response;

/**
 * The zod transform, then the headers of each response (ETag, Location, Convene-Position,
 * Retry-After) and the 304 of conditional reads, from the route's method and status codes: every
 * route is covered without declaring them one by one.
 */
function transform(input: Parameters<typeof jsonSchemaTransform>[0]) {
  const { multipartBody, ...schema } = (input.schema ?? {}) as Record<string, unknown> & { multipartBody?: z.ZodType };
  const out = jsonSchemaTransform({ ...input, schema } as typeof input) as Transformed;
  // A multipart upload is read by its handler (not validated as a body): its fields are documented here.
  if (multipartBody) Object.assign(out.schema, { body: z.toJSONSchema(multipartBody, { io: 'input', unrepresentable: 'any' }), consumes: ['multipart/form-data'] });
  const method = [input.route.method].flat()[0];
  const response = out.schema?.response;
  // The zod transform drops a response's own `headers` (http/declared-responses.ts sets Retry-After): keep them.
  const source = (input.schema as { response?: Record<string, { headers?: Record<string, unknown> }> } | undefined)?.response ?? {};
  for (const [status, declared] of Object.entries(source)) {
    if (declared?.headers && response?.[status]) response[status] = withHeaders(response[status], declared.headers)!;
  }
  if (!response) return out;
  // The rate limit covers every route, the health probes too (per address without a key).
  response['429'] = withHeaders(response['429'] ?? problemResponse('Rate limit of the API key (or of the address) exceeded'), { 'Retry-After': HEADER.retryAfter })!;
  if (!input.url.startsWith('/v1')) return out;
  if (method === 'GET') {
    response['200'] = withHeaders(response['200'], { ETag: HEADER.etag })!;
    response['304'] = { type: 'null', description: 'Not modified: `If-None-Match` names the current `ETag`', headers: { ETag: HEADER.etag } };
    if (out.schema.querystring?.properties?.consistentWith) {
      response['503'] = withHeaders(response['503'] ?? { ...problemResponse('The read models have not reached `consistentWith` yet (or are being built); retry') }, { 'Retry-After': HEADER.retryAfter })!;
    }
  } else {
    const isCommand = Boolean(input.schema && (input.schema as { headers?: unknown }).headers);
    const operationId = (input.schema as { operationId?: string } | undefined)?.operationId ?? '';
    // Commands answer the stream's version and position; other creations only where they live.
    if (response['201']) {
      response['201'] = withHeaders(response['201'], {
        ...(CREATED_WITHOUT_LOCATION.has(operationId) ? {} : { Location: HEADER.location }),
        ...(isCommand ? { ETag: HEADER.etag, 'Convene-Position': HEADER.position } : {}),
      })!;
    } else if (response['200'] && isCommand) {
      response['200'] = withHeaders(response['200'], { ETag: HEADER.etag, 'Convene-Position': HEADER.position })!;
    }
  }
  return out;
}

type OpenApiDocument = { paths?: Record<string, Record<string, { operationId?: string; responses?: Record<string, { content?: Record<string, Record<string, unknown>> }> }>> };

/**
 * Each JSON GET's 200 gets a real answer (services/api/src/read-examples.ts, recorded from the seed
 * year) as its media-type example: set on the finished document, since a `$ref` response schema
 * takes no sibling keyword through the route transform.
 */
function withReadExamples<D extends OpenApiDocument>(document: D): D {
  for (const item of Object.values(document.paths ?? {})) {
    const op = item.get;
    const media = op?.responses?.['200']?.content?.['application/json'];
    const example = op?.operationId ? READ_EXAMPLES[op.operationId] : undefined;
    if (media && example !== undefined) media.example = example;
  }
  return document;
}

const problemResponse = (description: string): JsonResponse => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key' } } },
      security: [{ bearerAuth: [] }],
    },
    transform,
    // The zod components, each JSON GET's recorded example answer, then the document-wide pass
    // (request examples, tags, servers, unused schemas).
    transformObject: (input) =>
      finishDocument(withReadExamples(jsonSchemaTransformObject(input) as OpenApiDocument) as Record<string, unknown>) as ReturnType<typeof jsonSchemaTransformObject>,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());
}

/** The document as committed in openapi/openapi.json (stable key order, trailing newline). */
export function serializeOpenApi(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Runs `use` on the app as built from its routes, without a database (the pool is never
 * connected: building routes needs none). The OpenAPI document and docs/permissions.md use it.
 */
export async function withOfflineApp<T>(use: (app: FastifyInstance) => T | Promise<T>): Promise<T> {
  const { createDb, createPool } = await import('@convene/db');
  const { createEventStore } = await import('@convene/eventstore');
  const { buildApp } = await import('./app');
  const { loadConfig } = await import('./config');
  const pool = createPool({ connectionString: 'postgres://openapi@127.0.0.1:1/openapi', max: 1 });
  const app = await buildApp({
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    pool,
    db: createDb(pool),
    eventStore: createEventStore({ pool, notify: false }),
  });
  try {
    await app.ready();
    return await use(app);
  } finally {
    await app.close();
    await pool.end();
  }
}

/** The OpenAPI document of the app as built from its routes. */
export async function generateOpenApiDocument(): Promise<Record<string, unknown>> {
  return withOfflineApp((app) => JSON.parse(JSON.stringify(app.swagger())) as Record<string, unknown>);
}

export const OPENAPI_FILE = 'openapi/openapi.json';
export const OPENAPI_WRITE_COMMAND = 'npm run openapi:write';
