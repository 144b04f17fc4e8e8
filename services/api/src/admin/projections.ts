// Admin operations on the projections: status, rebuild, verify, resume.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { liveInstance, projectionByName, projectionStatus, rebuildProjection, resumeInstance, verifyProjection } from '@convene/projections';
// Global operations (issue 12.7): their answers list rows of every collaborative.
import { requireGlobalAdmin } from '../auth/global';
import { problemResponses } from '../commands/plugin';
import { HttpProblem } from '../http/problem';
import { readErrors } from '../http/read-routes';

const ProjectionStatusSchema = z
  .object({
    healthy: z.boolean(),
    projections: z.array(z.object({
      name: z.string(), version: z.number().int(), schema: z.string(), role: z.string(), status: z.enum(['running', 'failed']),
      position: z.number().int(), eventsApplied: z.number().int(), behind: z.boolean(),
      failure: z.object({ position: z.number().int(), eventType: z.string(), error: z.string() }).nullable(),
      parked: z.array(z.object({ streamId: z.string(), position: z.number().int(), eventType: z.string(), error: z.string() })),
      lease: z.object({ holder: z.string(), until: z.string() }).nullable(), stalled: z.boolean(), updatedAt: z.string(),
    })),
  })
  .meta({ id: 'ProjectionStatus' });
const VerifySchema = z
  .object({ equal: z.boolean(), position: z.number().int(), rows: z.number().int(), differences: z.array(z.object({ table: z.string(), id: z.string(), live: z.unknown(), rebuilt: z.unknown() })) })
  .meta({ id: 'ProjectionVerification' });


function projectionOr404(name: string) {
  try {
    return projectionByName(name);
  } catch {
    throw new HttpProblem(404, 'not_found', `No projection ${name}`);
  }
}

export const projectionAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, eventStore } = app.deps;
  const errors = readErrors;
  app.get('/v1/admin/projections', {
    schema: { operationId: 'getProjectionStatus', summary: 'Projection instances, checkpoints and failures', description: 'Admin only. Each read model\'s live instance: version, schema, position reached, events applied, whether it is behind the feed, a poison event it stopped at, parked streams and its lease.', tags: ['admin'], response: { 200: ProjectionStatusSchema, 401: problemResponses[401], 403: problemResponses[403] } },
    preHandler: requireGlobalAdmin,
  }, async () => projectionStatus(db));

  const NameParams = z.object({ name: z.string().regex(/^[a-z_]+$/) });
  app.post('/v1/admin/projections/:name/rebuild', {
    schema: { operationId: 'rebuildProjection', summary: 'Rebuild into fresh tables from position 0, then swap in (runs in the background)', description: 'Admin only. Answers 202 at once; the live tables keep answering until the rebuild has caught up and is swapped in.', tags: ['admin'], params: NameParams, response: { 202: z.object({ accepted: z.literal(true), name: z.string() }), ...errors } },
    preHandler: requireGlobalAdmin,
  }, async (request, reply) => {
    const projection = projectionOr404(request.params.name);
    void rebuildProjection({ db, store: eventStore, projection }).catch((error: Error) => request.log.error({ err: error.message, projection: projection.name }, 'rebuild failed'));
    return reply.code(202).send({ accepted: true as const, name: projection.name });
  });

  app.post('/v1/admin/projections/:name/verify', {
    schema: { operationId: 'verifyProjection', summary: 'Rebuild into a shadow and compare with the live tables', description: 'Admin only. Folds the feed into a throw-away schema up to the live position and lists every row that differs (none: the live tables are what the events say).', tags: ['admin'], params: NameParams, response: { 200: VerifySchema, ...errors } },
    preHandler: requireGlobalAdmin,
  }, async (request) => verifyProjection({ db, store: eventStore, projection: projectionOr404(request.params.name) }));

  app.post('/v1/admin/projections/:name/resume', {
    schema: { operationId: 'resumeProjection', summary: 'Retry a projection stopped at a poison event (after a fix)', description: 'Admin only. Clears the failure so the runner retries from its checkpoint.', tags: ['admin'], params: NameParams, response: { 204: z.null(), ...errors } },
    preHandler: requireGlobalAdmin,
  }, async (request, reply) => {
    const projection = projectionOr404(request.params.name);
    const live = await liveInstance(db, projection.name);
    if (!live) throw new HttpProblem(404, 'not_found', 'No live instance');
    await resumeInstance(db, live.schema_name, projection);
    return reply.code(204).send(null);
  });
};
