// The workers' admin routes (dead letters, status) under /v1/admin/deliveries, in the API's problem
// shape and OpenAPI document (issue 12.4). The workers are passed in where they run in the API's
// process (`npm start`); elsewhere (a separate worker process) the routes answer 503.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireGlobalAdmin } from '../auth/global';
import { HttpProblem } from '../http/problem';

/** What the routes need of the workers (services/worker's Workers). */
export interface WorkerAdmin {
  deadLetters(limit?: number): Promise<{ id: string; name: string; key: string; failedReason: string; attemptsMade: number; failedAt: string | null }[]>;
  retryDeadLetter(id: string): Promise<boolean>;
  status(): Promise<unknown>;
}

const DeadLetterSchema = z
  .object({ id: z.string(), name: z.string(), key: z.string(), failedReason: z.string(), attemptsMade: z.number().int(), failedAt: z.string().nullable() })
  .meta({ id: 'DeadLetter' });
const StatusSchema = z
  .object({
    redis: z.string(),
    queue: z.record(z.string(), z.number()).nullable(),
    deliveries: z.record(z.string(), z.number()),
    plannerPosition: z.number(),
    lastTick: z.unknown(),
    lastError: z.string().nullable(),
  })
  .meta({ id: 'DeliveryStatus' });

export const deliveryAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const workers = (): WorkerAdmin => {
    const w = app.deps.workers;
    if (!w) throw new HttpProblem(503, 'workers_not_in_process', 'The delivery workers do not run in this process', { headers: { 'retry-after': '60' } });
    return w;
  };
  // Deliveries of every collaborative: a global operation (issue 12.7).
  const preHandler = requireGlobalAdmin;

  app.get('/v1/admin/deliveries/status', {
    schema: { operationId: 'getDeliveryStatus', summary: 'Delivery planner, queue and dead-letter counts', description: 'Admin only (an admin key of every collaborative). Counts of the e-mail and webhook delivery queue (waiting, active, delayed, failed) and of dead letters; 503 when the workers do not run in this process or Redis is unreachable.', tags: ['admin'], response: { 200: StatusSchema } },
    preHandler,
  }, async () => StatusSchema.parse(await workers().status()));

  app.get('/v1/admin/deliveries/dead-letters', {
    schema: {
      operationId: 'listDeadLetters',
      summary: 'Deliveries that exhausted their retries or failed permanently',
      description: 'Admin only (an admin key of every collaborative). Each with the error of its last attempt; retry one with retryDeadLetter once its cause is fixed (docs/operations.md).',
      tags: ['admin'],
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
      response: { 200: z.object({ items: z.array(DeadLetterSchema) }) },
    },
    preHandler,
  }, async (request) => ({ items: await workers().deadLetters(request.query.limit) }));

  app.post('/v1/admin/deliveries/dead-letters/:id/retry', {
    schema: {
      operationId: 'retryDeadLetter',
      summary: 'Retry a dead letter (after fixing its cause)',
      description: 'Admin only (an admin key of every collaborative). Puts the delivery back on the queue with fresh attempts; 404 when no dead letter has this id.',
      tags: ['admin'],
      params: z.object({ id: z.string().min(1).max(200) }),
      response: { 202: z.object({ retried: z.string() }) },
    },
    preHandler,
  }, async (request, reply) => {
    if (!(await workers().retryDeadLetter(request.params.id))) throw new HttpProblem(404, 'not_found', 'No such dead letter');
    return reply.code(202).send({ retried: request.params.id });
  });
};
