// Meeting queries: one meeting (the Location of ScheduleMeeting) and a collaborative's meetings.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agencyReach, getMeeting, listMeetingResources, meetingForAgency, meetingInvolves, type MeetingResource } from '@convene/projections';
import type { Kysely } from 'kysely';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from '../http/consistency';
import { keysetOf, listPage, listQuery } from '../http/list';
import { pageSchema } from '../http/pagination';
import { HttpProblem } from '../http/problem';
import { CollabParams, consistentReads, notFound, READERS, readErrors, uuid } from '../http/read-routes';
import { MeetingResourceSchema } from './resource';

export const DateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/**
 * What the caller may see of a meeting: agency keys only meetings they are invited to (by id, or
 * through an audience: every agency's roles, their cohort, the mentors when they mentor), and only
 * their own attendance.
 */
export async function visibleMeeting(request: FastifyRequest, db: Kysely<any>, m: MeetingResource): Promise<MeetingResource> {
  const principal = principalOf(request);
  assertInScope(principal, { collaborativeId: m.collaborativeId });
  if (principal.role !== 'agency') return m;
  const own = principal.agencyIds[0]!;
  if (!meetingInvolves(m, own, await agencyReach(db, m.collaborativeId, own))) throw new HttpProblem(403, 'out_of_scope', 'This agency is not invited to this meeting');
  return meetingForAgency(m, own);
}

export const meetingReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const consistent = consistentReads(app);

  app.get('/v1/meetings/:meetingId', {
    schema: {
      operationId: 'getMeeting', summary: 'A meeting: time, place, agenda, attendance, minutes with corrections, what was sent', tags: ['meetings'],
      description: 'The meeting ScheduleMeeting created (its Location). Minutes and attendee names are not for analysts; an agency key reads meetings it is invited to, with its own attendance.',
      params: z.object({ meetingId: uuid }), querystring: ConsistencyQuerySchema, response: { 200: MeetingResourceSchema, ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const meeting = await getMeeting(db, request.params.meetingId);
    if (!meeting) throw notFound('meeting');
    return visibleMeeting(request, db, meeting);
  });

  app.get('/v1/collaboratives/:collaborativeId/meetings', {
    schema: {
      operationId: 'listMeetings', summary: 'Meetings of a collaborative, by start time', tags: ['meetings'],
      description: 'Filters: kind, status, start time range (`from` inclusive, `to` exclusive; a date `to` includes that day), agency (invited, presenting, or in an audience the meeting names: the roles of every agency, its cohort, the mentors). Sorted by the start instant (UTC), then id. Agency keys list the meetings they are invited to.',
      params: CollabParams,
      querystring: listQuery({ sorts: ['startsAt'], defaultSort: 'startsAt' }).extend({
        kind: MeetingResourceSchema.shape.kind.optional(),
        status: MeetingResourceSchema.shape.status.optional(),
        from: DateOrTime.optional().describe('Meetings starting at or after (date or date-time)'),
        to: DateOrTime.optional().describe('Meetings starting before (a date: through that day)'),
        agencyId: uuid.optional().describe('Meetings this agency is invited to or presents at'),
      }),
      response: { 200: pageSchema(MeetingResourceSchema), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    const principal = principalOf(request);
    assertInScope(principal, { collaborativeId });
    const q = request.query;
    let agencyId = q.agencyId;
    if (principal.role === 'agency') {
      if (agencyId && agencyId !== principal.agencyIds[0]) throw new HttpProblem(403, 'out_of_scope', 'An agency key lists its own meetings only');
      agencyId = principal.agencyIds[0]!;
    }
    const page = await listMeetingResources(db, {
      collaborativeId, keyset: keysetOf(q),
      ...(q.kind ? { kind: q.kind } : {}), ...(q.status ? { status: q.status } : {}), ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}),
      ...(agencyId ? { agencyId, agencyReach: await agencyReach(db, collaborativeId, agencyId) } : {}),
    });
    return listPage(q.sort, page, (m) => (principal.role === 'agency' ? meetingForAgency(m, agencyId!) : m));
  });
};
