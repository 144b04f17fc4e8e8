// Event history of one stream (the auditors' view): every event with its metadata, paged by
// stream version. No read model: it reads the event store. Not for analysts (person data).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loadStream, streamIds, type AggregateName } from '@convene/domain';
import { z } from 'zod';
import { assertInScope, principalOf, requireRole, type ResourceScope } from '../auth/plugin';
import type { Role } from '../auth/keys';
import { decodeCursor, PageQuerySchema, pageSchema, toPage } from '../http/pagination';
import { HttpProblem } from '../http/problem';
import { problemResponses } from './plugin';
import type { BoundedContext } from './table';

export const StoredEventSchema = z
  .object({
    streamId: z.string(),
    streamVersion: z.number().int(),
    position: z.number().int(),
    eventId: z.string(),
    type: z.string(),
    schemaVersion: z.number().int(),
    data: z.unknown(),
    metadata: z.record(z.string(), z.unknown()),
    recordedAt: z.string(),
  })
  .meta({ id: 'StoredEvent' });
export const EventPageSchema = pageSchema(StoredEventSchema).meta({ id: 'StreamEventPage' });

interface HistoryRoute {
  context: BoundedContext;
  operationId: string;
  path: string;
  aggregate: AggregateName;
  params: z.ZodObject;
  streamId: (params: Record<string, string>) => string;
  roles: Role[];
}

const uuid = z.uuid();
const historyRoutes: HistoryRoute[] = [
  {
    context: 'collaboratives', operationId: 'listCollaborativeEvents', path: '/v1/collaboratives/:collaborativeId/events',
    aggregate: 'collaborative', params: z.object({ collaborativeId: uuid }),
    streamId: (p) => streamIds.collaborative(p.collaborativeId ?? ''), roles: ['admin', 'coach', 'auditor'],
  },
  {
    context: 'participation', operationId: 'listAgencyEvents', path: '/v1/collaboratives/:collaborativeId/agencies/:agencyId/events',
    aggregate: 'participation', params: z.object({ collaborativeId: uuid, agencyId: uuid }),
    streamId: (p) => streamIds.participation(p.collaborativeId ?? '', p.agencyId ?? ''), roles: ['admin', 'coach', 'agency', 'auditor'],
  },
  {
    context: 'changeProjects', operationId: 'listChangeProjectEvents', path: '/v1/change-projects/:projectId/events',
    aggregate: 'changeproject', params: z.object({ projectId: uuid }),
    streamId: (p) => streamIds.changeProject(p.projectId ?? ''), roles: ['admin', 'coach', 'agency', 'auditor'],
  },
  {
    context: 'siteVisits', operationId: 'listSiteVisitEvents', path: '/v1/site-visits/:visitId/events',
    aggregate: 'sitevisit', params: z.object({ visitId: uuid }),
    streamId: (p) => streamIds.siteVisit(p.visitId ?? ''), roles: ['admin', 'coach', 'agency', 'auditor'],
  },
  {
    context: 'meetings', operationId: 'listMeetingEvents', path: '/v1/meetings/:meetingId/events',
    aggregate: 'meeting', params: z.object({ meetingId: uuid }),
    streamId: (p) => streamIds.meeting(p.meetingId ?? ''), roles: ['admin', 'coach', 'auditor'],
  },
  {
    context: 'plans', operationId: 'listPlanEvents', path: '/v1/collaboratives/:collaborativeId/plan/events',
    aggregate: 'plan', params: z.object({ collaborativeId: uuid }),
    streamId: (p) => streamIds.plan(p.collaborativeId ?? ''), roles: ['admin', 'coach', 'auditor'],
  },
];

async function scopeOfStream(app: FastifyInstance, route: HistoryRoute, streamId: string): Promise<ResourceScope | null> {
  const { state } = await loadStream(app.deps.eventStore, route.aggregate, streamId);
  if (typeof state !== 'object' || state === null) return null;
  const s = state as { collaborativeId?: unknown; agencyId?: unknown };
  if (typeof s.collaborativeId !== 'string') return null;
  return typeof s.agencyId === 'string' ? { collaborativeId: s.collaborativeId, agencyId: s.agencyId } : { collaborativeId: s.collaborativeId };
}

const stringParams = (request: FastifyRequest): Record<string, string> =>
  Object.fromEntries(Object.entries(request.params as Record<string, unknown>).map(([k, v]) => [k, String(v)]));

/** The event-history routes of one bounded context. */
export function historyPlugin(context: BoundedContext): FastifyPluginAsyncZod {
  return async (app) => {
    for (const route of historyRoutes.filter((r) => r.context === context)) {
      app.get(
        route.path,
        {
          schema: {
            operationId: route.operationId,
            summary: 'Event history of the stream, oldest first',
            description: 'The events of this resource\'s stream with type, data, version, time and actor, paged by stream version. Holds personal values: never analysts.',
            tags: ['history'],
            params: route.params,
            querystring: PageQuerySchema,
            response: { 200: EventPageSchema, 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404] },
          },
          preHandler: requireRole(...route.roles),
        },
        async (request) => {
          const principal = principalOf(request);
          const streamId = route.streamId(stringParams(request));
          const scope = await scopeOfStream(app, route, streamId);
          if (!scope) throw new HttpProblem(404, 'not_found', 'No such resource');
          // Path ids must match the stream's own (participation streams are keyed by both).
          assertInScope(principal, scope);
          const { limit, cursor } = request.query;
          const after = decodeCursor(cursor, 1)?.[0];
          const { events } = await app.deps.eventStore.readStream(streamId, {
            fromVersion: typeof after === 'number' ? after + 1 : 1,
            toVersion: (typeof after === 'number' ? after : 0) + limit + 1,
          });
          return toPage(events, limit, (e) => [e.streamVersion], (e) => ({
            streamId: e.streamId,
            streamVersion: e.streamVersion,
            position: e.globalPosition,
            eventId: e.eventId,
            type: e.type,
            schemaVersion: e.schemaVersion,
            data: e.data,
            metadata: { ...e.metadata },
            recordedAt: e.recordedAt.toISOString(),
          }));
        },
      );
    }
  };
}
