import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const Component = z.object({ ok: z.boolean(), latencyMs: z.number().optional(), error: z.string().optional() });
export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  database: Component,
  redis: Component,
});

async function timed(check: () => Promise<unknown>): Promise<z.infer<typeof Component>> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 2000)))]);
    return { ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

/** Database down: 503 (nothing works). Redis down: 200 "degraded" (commands work, reminders wait). */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['health'],
        summary: 'Database and Redis state',
        security: [],
        response: { 200: HealthSchema, 503: HealthSchema },
      },
      config: { public: true },
    },
    async (_request, reply) => {
      const database = await timed(() => app.deps.pool.query('SELECT 1'));
      const redis = app.deps.redis
        ? await timed(async () => {
            if (app.deps.redis!.status !== 'ready') throw new Error(`redis ${app.deps.redis!.status}`);
            await app.deps.redis!.ping();
          })
        : { ok: false, error: 'not configured' };
      const status = !database.ok ? 'down' : redis.ok ? 'ok' : 'degraded';
      return reply.code(database.ok ? 200 : 503).send({ status, database, redis });
    },
  );
};
