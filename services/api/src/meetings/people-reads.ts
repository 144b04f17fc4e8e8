// Issue 16, people at meetings: the organiser's registration list, and credit hours per person and
// per collaborative. Every entry is scoped to the caller: an agency key sees its own people only
// (by the agency each attended or registered for), a coach key listing agencies those agencies and
// the guests, admins and auditors their collaboratives.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { creditTotals, getMeeting, listCreditEntries, listMeetingRegistrations, type CreditEntry } from '@convene/projections';
import { assertInScope, inScope, principalOf, requireRole } from '../auth/plugin';
import { keysetOf, listPage, listQuery } from '../http/list';
import { pageSchema } from '../http/pagination';
import { HttpProblem } from '../http/problem';
import { CollabParams, consistentReads, notFound, READERS, readErrors, uuid } from '../http/read-routes';
import { ConsistencyQuerySchema } from '../http/consistency';

const RegistrationSchema = z
  .object({
    personId: z.string(), agencyId: z.string().nullable().describe('The agency the person registered for (null: a guest or stakeholder)'),
    status: z.enum(['registered', 'cancelled']), registeredAt: z.string(), cancelledAt: z.string().nullable(),
  })
  .meta({ id: 'MeetingRegistration' });
const CreditEntrySchema = z
  .object({
    meetingId: z.string(), collaborativeId: z.string(), personId: z.string(), agencyId: z.string().nullable(), kind: z.string(), startsAt: z.string(),
    durationMinutes: z.number().int(), status: z.enum(['scheduled', 'cancelled']), present: z.boolean(), minutesAttended: z.number().int().nullable(),
    meetingCreditHours: z.number().nullable().describe('What the meeting grants a full attendee (null: none)'),
    creditHours: z.number().describe('Earned: 0 when absent or cancelled; prorated by minutesAttended, rounded down to a quarter hour'),
  })
  .meta({ id: 'CreditEntry', description: "One meeting's attendance of one person and the credit hours it earned" });
const PersonCreditsSchema = z
  .object({ personId: z.string(), creditHours: z.number(), meetingsAttended: z.number().int(), meetings: z.array(CreditEntrySchema) })
  .meta({ id: 'PersonCredits', description: "A person's credit report: every meeting whose attendance was recorded for them, in start order" });
const CollaborativeCreditsSchema = z
  .object({
    collaborativeId: z.string(), creditHours: z.number(),
    people: z.array(z.object({ personId: z.string(), agencyId: z.string().nullable(), meetingsAttended: z.number().int(), creditHours: z.number() })),
  })
  .meta({ id: 'CollaborativeCredits', description: "Credit hours per person over the collaborative's meetings" });

/** May the caller see this person's entry? (agency: own people only; coach with agencies: those and guests.) */
function visibleEntry(request: FastifyRequest, e: { collaborativeId: string; agencyId: string | null }): boolean {
  const principal = principalOf(request);
  if (!inScope(principal, { collaborativeId: e.collaborativeId })) return false;
  if (principal.role === 'agency') return e.agencyId !== null && principal.agencyIds.includes(e.agencyId);
  return e.agencyId === null || inScope(principal, { collaborativeId: e.collaborativeId, agencyId: e.agencyId });
}
const sum = (entries: CreditEntry[]) => entries.reduce((t, e) => t + e.creditHours, 0);

export const meetingPeopleReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const consistent = consistentReads(app);

  app.get('/v1/meetings/:meetingId/registrations', {
    schema: {
      operationId: 'listMeetingRegistrations', summary: "A meeting's registrations (the organiser's list)", tags: ['meetings'],
      description: 'Who registered before the meeting, earliest first; cancelled registrations stay, marked. An agency key lists its own people only.',
      params: z.object({ meetingId: uuid }), querystring: listQuery({ sorts: ['registeredAt'], defaultSort: 'registeredAt' }),
      response: { 200: pageSchema(RegistrationSchema), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const meeting = await getMeeting(db, request.params.meetingId);
    if (!meeting) throw notFound('meeting');
    const principal = principalOf(request);
    assertInScope(principal, { collaborativeId: meeting.collaborativeId });
    const q = request.query;
    const page = await listMeetingRegistrations(db, { meetingId: meeting.meetingId, keyset: keysetOf(q), ...(principal.role === 'agency' ? { agencyId: principal.agencyIds[0]! } : {}) });
    // A coach key listing agencies sees those agencies' people and the guests (a page may come back shorter).
    return listPage(q.sort, { ...page, items: page.items.filter((r) => visibleEntry(request, { collaborativeId: meeting.collaborativeId, agencyId: r.agencyId })) });
  });

  app.get('/v1/people/:personId/credits', {
    schema: {
      operationId: 'getPersonCredits', summary: "A person's continuing-education credit hours, meeting by meeting", tags: ['meetings'],
      description: 'Every meeting whose attendance was recorded for the person, with the hours earned (docs/meetings.md). Limited to the key\'s collaboratives; an agency key reads its own people only (403 for another agency\'s).',
      params: z.object({ personId: uuid }), querystring: ConsistencyQuerySchema, response: { 200: PersonCreditsSchema, ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { personId } = request.params;
    const all = await listCreditEntries(db, { personId });
    const meetings = all.filter((e) => visibleEntry(request, e));
    if (all.length > 0 && meetings.length === 0) throw new HttpProblem(403, 'out_of_scope', 'This API key has no access to this person');
    return { personId, creditHours: sum(meetings), meetingsAttended: meetings.filter((e) => e.present && e.status !== 'cancelled').length, meetings };
  });

  app.get('/v1/collaboratives/:collaborativeId/credits', {
    schema: {
      operationId: 'getCollaborativeCredits', summary: 'Credit hours per person over the collaborative\'s meetings', tags: ['meetings'],
      description: 'Per person: meetings attended and credit hours earned. An agency key sees its own people only; a coach key listing agencies, those agencies\' people and the guests.',
      params: CollabParams, querystring: ConsistencyQuerySchema, response: { 200: CollaborativeCreditsSchema, ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    assertInScope(principalOf(request), { collaborativeId });
    const entries = (await listCreditEntries(db, { collaborativeId })).filter((e) => visibleEntry(request, e));
    return { collaborativeId, creditHours: sum(entries), people: creditTotals(entries) };
  });
};
