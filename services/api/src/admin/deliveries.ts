// The workers' admin routes (dead letters, status) under /v1/admin/deliveries, in the API's problem
// shape and OpenAPI document (issue 12.4). The workers are passed in where they run in the API's
// process (`npm start`); elsewhere (a separate worker process) the routes answer 503.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireGlobalAdmin } from '../auth/global';
import { HttpProblem } from '../http/problem';
import { strictInt } from '../http/query';

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
    /** Collaboratives (or streams) whose planning stopped at a poison event (issue 11.11), until resumed. */
    parked: z.array(
      z.object({ key: z.string(), position: z.number(), eventId: z.string(), eventType: z.string(), error: z.string(), parkedAt: z.string(), events: z.number().int() }),
    ),
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
    schema: {
      operationId: 'getDeliveryStatus', summary: 'Delivery planner, queue and dead-letter counts', tags: ['admin'],
      description: 'For operators (global admin keys): the Redis connection, job counts per queue state, planned deliveries per status, the planner\'s event position and its last tick and error. 503 when the workers run in another process.',
      response: { 200: StatusSchema },
    },
    preHandler,
  }, async () => StatusSchema.parse(await workers().status()));

  app.get('/v1/admin/deliveries/dead-letters', {
    schema: {
      operationId: 'listDeadLetters',
      summary: 'Deliveries that exhausted their retries or failed permanently',
      description: 'For operators (global admin keys): the newest failures first, at most `limit` (500). No cursor: the set is the queue\'s failed jobs, which shrinks as causes are fixed and letters retried, so `nextCursor` is always null. 503 when the workers run in another process.',
      tags: ['admin'],
      querystring: z.strictObject({ limit: strictInt({ min: 1, max: 500, description: 'Items (at most 500)' }).default(50) }),
      response: { 200: z.object({ items: z.array(DeadLetterSchema), nextCursor: z.null() }) },
    },
    preHandler,
  }, async (request) => ({ items: await workers().deadLetters(request.query.limit), nextCursor: null }));

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
