// OpenAPI 3.1 from the routes' zod schemas; served at /openapi.json, Swagger UI at /docs.
import type { FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const OPENAPI_INFO = {
  title: 'Convene API',
  version: '1.0.0',
  description:
    'Event-sourced backend for NIATx-style learning collaboratives. Every command is one operation; ' +
    'errors are RFC 9457 problem details (application/problem+json). Commands accept `Idempotency-Key` ' +
    'and `If-Match: W/"<version>"`, and answer with `ETag` and `Convene-Position` headers; queries ' +
    'accept `consistentWith=<position>`.',
};

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: OPENAPI_INFO,
      servers: [],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key' } } },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());
}

/** The document as committed in openapi/openapi.json (stable key order, trailing newline). */
export function serializeOpenApi(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * The OpenAPI document of the app as built from its routes, without a database (the pool is
 * never connected: building routes needs none).
 */
export async function generateOpenApiDocument(): Promise<Record<string, unknown>> {
  const { createDb, createPool } = await import('@convene/db');
  const { EventStore } = await import('@convene/eventstore');
  const { buildApp } = await import('./app');
  const { loadConfig } = await import('./config');
  const pool = createPool({ connectionString: 'postgres://openapi@127.0.0.1:1/openapi', max: 1 });
  const app = await buildApp({
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    pool,
    db: createDb(pool),
    eventStore: new EventStore({ pool }),
  });
  try {
    await app.ready();
    return JSON.parse(JSON.stringify(app.swagger())) as Record<string, unknown>;
  } finally {
    await app.close();
    await pool.end();
  }
}

export const OPENAPI_FILE = 'openapi/openapi.json';
export const OPENAPI_WRITE_COMMAND = 'npm run openapi:write';
