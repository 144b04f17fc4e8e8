// History and state-as-of of one aggregate's stream (auditors and admins).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { aggregateNames, evolveStream, streamIdFor } from '@convene/domain';
import { z } from 'zod';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { decodeCursor, PageQuerySchema, pageSchema, toPage } from '../http/pagination';
import { HttpProblem, ProblemSchema } from '../http/problem';
import { AuditEventSchema, occurredAt, toAuditEvent } from './events';
import { scopeOfData } from './scope';
import { strictInt } from '../http/query';

const StreamParams = z.object({
  aggregate: z.enum(aggregateNames).describe('collaborative | participation | changeproject | sitevisit | meeting | document | organisation | person | mentoring'),
  id: z
    .string()
    .regex(/^[0-9a-f-]{36}(_[0-9a-f-]{36})?$/i, 'Expected a uuid (participation: <collaborativeId>_<agencyId>)')
    .describe('The aggregate id; for participation `<collaborativeId>_<agencyId>`'),
});

const problems = { 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema, 404: ProblemSchema };

export const auditStreamRoutes: FastifyPluginAsyncZod = async (app) => {
  const loadScoped = async (request: { params: z.infer<typeof StreamParams> } & Parameters<typeof principalOf>[0]) => {
    const streamId = streamIdFor(request.params.aggregate, request.params.id);
    const all = await app.deps.eventStore.readStream(streamId);
    if (all.events.length === 0) throw new HttpProblem(404, 'not_found', `No stream ${streamId}`);
    const scope = scopeOfData(evolveStream(request.params.aggregate, all.events)) ?? scopeOfData(all.events[0]?.data);
    if (!scope) throw new HttpProblem(404, 'not_found', `No stream ${streamId}`);
    assertInScope(principalOf(request), scope);
    return { streamId, ...all };
  };

  app.get(
    '/v1/audit/streams/:aggregate/:id/events',
    {
      schema: {
        operationId: 'listAuditStreamEvents',
        tags: ['audit'],
        summary: 'Every event of an aggregate with who, role, when, correlation and causation; paged by stream version',
        description: 'Admins and auditors, within the key\'s collaboratives.',
        params: StreamParams,
        querystring: PageQuerySchema,
        response: { 200: pageSchema(AuditEventSchema).meta({ id: 'AuditEventPage' }), ...problems },
      },
      preHandler: requireRole('admin', 'auditor'),
    },
    async (request) => {
      const { events } = await loadScoped(request);
      const after = decodeCursor(request.query.cursor, 1)?.[0];
      const from = typeof after === 'number' ? after : 0;
      const slice = events.filter((e) => e.streamVersion > from).slice(0, request.query.limit + 1);
      return toPage(slice, request.query.limit, (e) => [e.streamVersion], toAuditEvent);
    },
  );

  app.get(
    '/v1/audit/streams/:aggregate/:id/state',
    {
      schema: {
        operationId: 'getAuditStreamState',
        tags: ['audit'],
        summary: "The aggregate's state as it was at a time (`at`, by the command clock) or a version, folded from its events",
        description: 'Admins and auditors, within the key\'s collaboratives.',
        params: StreamParams,
        querystring: z.object({
          at: z.iso.datetime({ offset: true }).optional().describe('Fold the events that occurred at or before this instant'),
          version: strictInt({ description: 'Fold the events up to this stream version' }).optional(),
        }),
        response: {
          200: z
            .object({
              streamId: z.string(),
              aggregate: z.string(),
              version: z.number().int().describe('The last version folded (0: none)'),
              currentVersion: z.number().int(),
              asOf: z.string().nullable(),
              state: z.unknown(),
            })
            .meta({ id: 'AuditStreamState' }),
          ...problems,
        },
      },
      preHandler: requireRole('admin', 'auditor'),
    },
    async (request) => {
      const { streamId, events, version: currentVersion } = await loadScoped(request);
      const { at, version } = request.query;
      const until = at ? new Date(at) : undefined;
      const folded = events.filter(
        (e) => (version === undefined || e.streamVersion <= version) && (until === undefined || occurredAt(e) <= until),
      );
      return {
        streamId,
        aggregate: request.params.aggregate,
        version: folded.at(-1)?.streamVersion ?? 0,
        currentVersion,
        asOf: at ?? null,
        state: evolveStream(request.params.aggregate, folded),
      };
    },
  );
};
