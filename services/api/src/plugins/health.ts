import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { projectionStatus } from '@convene/projections';
import { buildInfo } from '@convene/runtime';
import { listParked } from '@convene/db';
import { parkedWebhookEvents } from '../webhooks/parking';

const Component = z.object({ ok: z.boolean(), latencyMs: z.number().optional(), error: z.string().optional() });
const Projections = z.object({
  ok: z.boolean(),
  error: z.string().optional(),
  /**
   * Poison events: each parks its stream (`streamId`; the projection goes on with the others)
   * until resumed after a fix; without `streamId` the whole projection stopped.
   */
  failed: z.array(z.object({ name: z.string(), version: z.number(), position: z.number(), eventType: z.string(), error: z.string(), streamId: z.string().optional() })),
  behind: z.array(z.string()),
  /** Projections whose lease ran out unreleased: their projector stopped renewing it and none took over. */
  stalled: z.array(z.string()).optional(),
});
const Deliveries = z.object({ ok: z.boolean(), deadLetters: z.number().optional(), error: z.string().optional() });
const parkedFields = { key: z.string(), position: z.number(), eventId: z.string(), eventType: z.string(), error: z.string(), parkedAt: z.string(), events: z.number() };
/** Webhook events parked as poison (issue 11.11): each holds back one collaborative of one subscription. */
const Webhooks = z.object({ ok: z.boolean(), error: z.string().optional(), parked: z.array(z.object({ subscriptionId: z.string(), ...parkedFields })) });
/** The worker's delivery planner's parked events (issue 11.11): each holds back one collaborative's messages. */
const Planner = z.object({ ok: z.boolean(), error: z.string().optional(), parked: z.array(z.object(parkedFields)) });
export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'down']),
  version: z.string(),
  commit: z.string(),
  database: Component,
  redis: Component,
  projections: Projections,
  deliveries: Deliveries.optional(),
  webhooks: Webhooks,
  planner: Planner,
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

async function projectionsHealth(db: Parameters<typeof projectionStatus>[0]): Promise<z.infer<typeof Projections>> {
  try {
    const { projections } = await projectionStatus(db);
    const failed = projections.flatMap((p) => [
      ...(p.failure ? [{ name: p.name, version: p.version, position: p.failure.position, eventType: p.failure.eventType, error: p.failure.error }] : []),
      ...p.parked.map((x) => ({ name: p.name, version: p.version, position: x.position, eventType: x.eventType, error: x.error, streamId: x.streamId })),
    ]);
    const stalled = projections.filter((p) => p.stalled && p.role !== 'shadow').map((p) => p.name);
    return { ok: failed.length === 0 && stalled.length === 0, failed, behind: projections.filter((p) => p.behind && p.role === 'live').map((p) => p.name), stalled };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : 'unavailable', failed: [], behind: [], stalled: [] };
  }
}

/**
 * Database down: 503 (nothing works). Redis down, a failed projection or dead letters: 200
 * "degraded" (commands work; reminders wait, a read model is stale, a delivery needs a look).
 */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health',
    {
      schema: {
        operationId: 'getHealth',
        tags: ['health'],
        summary: 'Database and Redis state',
        description: 'No key needed. 503 when the database is down; 200 `degraded` when Redis is down, a projection failed, deliveries sit in the dead-letter queue, or a webhook or planner event is parked; else 200 `ok`.',
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
      const projections = await projectionsHealth(app.deps.db);
      let deadLetters: number | undefined;
      const deliveryCheck = app.deps.deadLetterCount
        ? await timed(async () => {
            // With Redis down the queue cannot be asked: that is reported as redis, not here.
            deadLetters = await app.deps.deadLetterCount!();
          })
        : undefined;
      const deliveries = deliveryCheck
        ? deliveryCheck.ok
          ? { ok: deadLetters === 0, deadLetters }
          : { ok: false, ...(deliveryCheck.error ? { error: deliveryCheck.error } : {}) }
        : undefined;
      const webhooks = await parkedWebhookEvents(app.deps.pool).then(
        (parked) => ({ ok: parked.length === 0, parked }),
        (error: Error) => ({ ok: false, error: error.message, parked: [] }),
      );
      // Read from the database, wherever the worker runs.
      const planner = await listParked(app.deps.pool, 'worker-delivery-planner').then(
        (parked) => ({ ok: parked.length === 0, parked }),
        (error: Error) => ({ ok: false, error: error.message, parked: [] }),
      );
      const healthy = redis.ok && projections.ok && (deliveries?.ok ?? true) && webhooks.ok && planner.ok;
      const status = !database.ok ? 'down' : healthy ? 'ok' : 'degraded';
      const { version, commit } = buildInfo();
      return reply
        .code(database.ok ? 200 : 503)
        .send({ status, version, commit, database, redis, projections, ...(deliveries ? { deliveries } : {}), webhooks, planner });
    },
  );

  // For orchestrators: live = the process answers (restart it when not); ready = it can serve
  // (send it traffic): the database answers. Neither looks at Redis or projections, which
  // degrade the service without making a restart or a traffic stop help.
  app.get(
    '/health/live',
    {
      schema: { operationId: 'getLiveness', tags: ['health'], summary: 'The process answers', description: 'Liveness probe: no key needed, touches no dependency; a container orchestrator restarts the process when this does not answer.', security: [], response: { 200: Probe } },
      config: { public: true },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/health/ready',
    {
      schema: { operationId: 'getReadiness', tags: ['health'], summary: 'The database answers: the API can serve', description: 'Readiness probe: no key needed; 503 while the database does not answer, so a load balancer sends no traffic here.', security: [], response: { 200: Probe, 503: Probe } },
      config: { public: true },
    },
    async (_request, reply) => {
      const database = await timed(() => app.deps.pool.query('SELECT 1'));
      return reply.code(database.ok ? 200 : 503).send(database.ok ? { status: 'ok' as const } : { status: 'down' as const, error: database.error });
    },
  );
};

const Probe = z.object({ status: z.enum(['ok', 'down']), error: z.string().optional() });
