import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Database } from '@convene/db';
import type { EventStore } from '@convene/eventstore';
import type { Config } from './config';
import { healthRoutes } from './plugins/health';

/** What the routes need, passed in (no DI container): tests build the app on their own database. */
export interface AppDeps {
  config: Config;
  pool: pg.Pool;
  db: Kysely<Database>;
  eventStore: EventStore;
  redis?: Redis;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

export async function buildApp(deps: AppDeps, options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: deps.config.LOG_LEVEL },
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
    ...options,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(healthRoutes);
  return app;
}
