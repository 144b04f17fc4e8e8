import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Workers } from './index';

// Admin routes for deliveries, as an encapsulated Fastify plugin the API registers, e.g.
//   app.register(workerAdminRoutes, { prefix: '/admin', workers, authorize: (req) => isAdmin(req) })
// Validation parses with zod inside the handlers, so the plugin works with any schema compiler.

export interface WorkerAdminRoutesOptions {
  workers: Pick<Workers, 'deadLetters' | 'retryDeadLetter' | 'status'>;
  /** Admin auth of the host application: true lets the request through, false answers 403. */
  authorize: (request: FastifyRequest) => boolean | Promise<boolean>;
}

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
const idParams = z.object({ id: z.string().min(1).max(300) });

const problem = (status: number, title: string, detail?: string) => ({
  type: 'about:blank',
  title,
  status,
  ...(detail ? { detail } : {}),
});

export const workerAdminRoutes: FastifyPluginAsync<WorkerAdminRoutesOptions> = async (app, options) => {
  app.addHook('onRequest', async (request, reply) => {
    if (!(await options.authorize(request))) {
      return reply.code(403).type('application/problem+json').send(problem(403, 'Forbidden'));
    }
  });

  app.get('/deliveries/status', async () => options.workers.status());

  /** The dead-letter queue: jobs that exhausted their retries or failed permanently. */
  app.get('/deliveries/dead-letters', async (request, reply) => {
    const q = listQuery.safeParse(request.query ?? {});
    if (!q.success) return reply.code(400).type('application/problem+json').send(problem(400, 'Invalid query', q.error.issues[0]?.message));
    return { items: await options.workers.deadLetters(q.data.limit) };
  });

  app.post('/deliveries/dead-letters/:id/retry', async (request, reply) => {
    const p = idParams.safeParse(request.params);
    if (!p.success) return reply.code(400).type('application/problem+json').send(problem(400, 'Invalid id'));
    if (!(await options.workers.retryDeadLetter(p.data.id))) {
      return reply.code(404).type('application/problem+json').send(problem(404, 'No such dead letter'));
    }
    return reply.code(202).send({ retried: p.data.id });
  });
};
