// Participation queries: agencies of a collaborative (every stage), applications, coaching notes.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agencyDetail, agencyExtras, listAgencies, listApplications, listCoachingNotes } from '@convene/projections';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from '../http/consistency';
import { keysetOf, listPage, listQuery } from '../http/list';
import { pageSchema } from '../http/pagination';
import { CollabParams, consistentReads, notFound, READERS, readErrors, uuid } from '../http/read-routes';
import { visibleAgencyIds } from '../http/scope';
import { AgencyDetailSchema, AgencyListItemSchema, ApplicationSchema, CoachingNoteSchema } from './schemas';

const AgencyParams = CollabParams.extend({ agencyId: uuid });
const STAGES = ['applied', 'admitted', 'declined', 'oriented', 'active', 'completed', 'withdrawn'] as const;

export const participationReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const consistent = consistentReads(app);

  app.get('/v1/collaboratives/:collaborativeId/agencies', {
    schema: {
      operationId: 'listAgencies', summary: 'Agencies of a collaborative at every stage', tags: ['participation'],
      description: 'From applied to completed or withdrawn: stage, cohort, roles filled, coach, peer mentor, walk-through date, baseline period, months reported and missing. No person data. Filters `stage`, `cohortId`, `coachId`, `mentorAgencyId`. A coach with assigned agencies sees those; an agency key sees itself.',
      params: CollabParams,
      querystring: listQuery({ sorts: ['agencyName', 'appliedAt', 'stage'], defaultSort: 'agencyName' }).extend({
        stage: z.enum(STAGES).optional(), cohortId: uuid.optional(), coachId: uuid.optional(), mentorAgencyId: uuid.optional().describe('Mentees of this agency'),
      }),
      response: { 200: pageSchema(AgencyListItemSchema), ...readErrors },
    },
    preHandler: [requireRole('admin', 'coach', 'agency', 'analyst', 'auditor'), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    const { collaborativeId } = request.params;
    assertInScope(principal, { collaborativeId });
    const { stage, cohortId, coachId, mentorAgencyId } = request.query;
    const page = await listAgencies(db, {
      collaborativeId, keyset: keysetOf(request.query), agencyIds: visibleAgencyIds(principal),
      ...(stage ? { stage } : {}), ...(cohortId ? { cohortId } : {}), ...(coachId ? { coachId } : {}), ...(mentorAgencyId ? { mentorAgencyId } : {}),
    });
    return listPage(request.query.sort, page);
  });

  app.get('/v1/collaboratives/:collaborativeId/agencies/:agencyId', {
    schema: {
      operationId: 'getAgency', summary: 'An agency in a collaborative: stage, cohort, roles, coach, mentor, walk-through, months, projects, site visits', tags: ['participation'],
      description: 'The agency at every stage from applied to completed or withdrawn: its contact and role holders (person data: not for analysts), coach, peer mentor and mentees, walk-through date and findings, baseline period, months reported and missing, change projects and site visits. The `Location` of `SubmitApplication`.',
      params: AgencyParams, querystring: ConsistencyQuerySchema, response: { 200: AgencyDetailSchema, ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId, agencyId } = request.params;
    assertInScope(principalOf(request), { collaborativeId, agencyId });
    const detail = await agencyDetail(db, { collaborativeId, agencyId });
    if (!detail) throw notFound('agency in this collaborative');
    return { ...detail, ...(await agencyExtras(db, { collaborativeId, agencyId, cohortId: detail.cohortId })) };
  });

  app.get('/v1/collaboratives/:collaborativeId/applications', {
    schema: {
      operationId: 'listApplications', summary: 'The selection screen: applications with every reviewer\'s scores, total and rank', tags: ['participation'],
      description: 'Every application of the collaborative with status (applied, admitted, declined), proposal, contact, each reviewer\'s scores and notes, the total and its rank among all applications. Default order: highest total first. Filters `status`, `cohortId`. Person data: not for analysts; an agency key sees its own application.',
      params: CollabParams,
      querystring: listQuery({ sorts: ['total', 'submittedAt', 'agencyName'], defaultSort: '-total' }).extend({
        status: z.enum(['applied', 'admitted', 'declined']).optional(), cohortId: uuid.optional(),
      }),
      response: { 200: pageSchema(ApplicationSchema), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    const { collaborativeId } = request.params;
    assertInScope(principal, { collaborativeId });
    const { status, cohortId } = request.query;
    const page = await listApplications(db, { collaborativeId, keyset: keysetOf(request.query), agencyIds: visibleAgencyIds(principal), ...(status ? { status } : {}), ...(cohortId ? { cohortId } : {}) });
    return listPage(request.query.sort, page);
  });

  app.get('/v1/collaboratives/:collaborativeId/agencies/:agencyId/coaching-notes', {
    schema: {
      operationId: 'listCoachingNotes', summary: 'Coaching notes of an agency (coach, date, text)', tags: ['participation'],
      description: 'Free text: not for analysts. Filter `coachId`.',
      params: AgencyParams,
      querystring: listQuery({ sorts: ['coachedOn'], defaultSort: 'coachedOn' }).extend({ coachId: uuid.optional() }),
      response: { 200: pageSchema(CoachingNoteSchema), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId, agencyId } = request.params;
    assertInScope(principalOf(request), { collaborativeId, agencyId });
    const { coachId } = request.query;
    return listPage(request.query.sort, await listCoachingNotes(db, { collaborativeId, agencyId, keyset: keysetOf(request.query), ...(coachId ? { coachId } : {}) }));
  });
};
