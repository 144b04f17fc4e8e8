// Collaborative queries: collaboratives, cohorts, the people directory, expenditures.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { expendituresByCategory, getCohort, getCollaborative, getExpenditure, listCohorts, listCollaboratives, listExpenditures, listPeople } from '@convene/projections';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from '../http/consistency';
import { keysetOf, listPage, listQuery } from '../http/list';
import { pageSchema } from '../http/pagination';
import { CollabParams, consistentReads, notFound, READERS, readErrors, uuid } from '../http/read-routes';
import { seesPersonalData, visibleAgencyIds } from '../http/scope';
import { CohortSchema, CohortSummarySchema, CollaborativeSchema, DirectoryEntrySchema, ExpenditureSchema, ExpendituresSchema, ExpenditureTotalsSchema } from './schemas';

const ALL_ROLES = ['admin', 'coach', 'agency', 'analyst', 'auditor'] as const;
const isoDate = z.iso.date();
type Collaborative = NonNullable<Awaited<ReturnType<typeof getCollaborative>>>;
const redact = (c: Collaborative, personal: boolean) => (personal ? c : { ...c, convener: { ...c.convener, contact: null }, systemRoles: [] });

export const collaborativeReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const consistent = consistentReads(app);

  app.get('/v1/collaboratives', {
    schema: {
      operationId: 'listCollaboratives', summary: 'Collaboratives the key may see', tags: ['collaboratives'],
      description: 'Every collaborative in the key\'s scope with its aim, convener, dates, cadence, focus measures, settings, system roles and cohorts with counts. Filters: `status`, `q` (text in name or aim). Analysts get no convener contact and no system-role holders.',
      querystring: listQuery({ sorts: ['startsOn', 'name'], defaultSort: 'startsOn' }).extend({
        status: z.enum(['open', 'closed']).optional(), q: z.string().min(1).max(200).optional().describe('Text searched in name and aim (case-insensitive)'),
      }),
      response: { 200: pageSchema(CollaborativeSchema), ...readErrors },
    },
    preHandler: [requireRole(...ALL_ROLES), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    const { status, q } = request.query;
    const page = await listCollaboratives(db, { keyset: keysetOf(request.query), ids: principal.collaborativeIds, ...(status ? { status } : {}), ...(q ? { q } : {}) });
    return listPage(request.query.sort, page, (c) => redact(c, seesPersonalData(principal)));
  });

  app.get('/v1/collaboratives/:collaborativeId', {
    schema: {
      operationId: 'getCollaborative', summary: 'A collaborative: aim, convener, settings, system roles, cohorts with counts', tags: ['collaboratives'],
      description: 'The `Location` of `LaunchCollaborative`. Analysts get no convener contact and no system-role holders.',
      params: CollabParams, querystring: ConsistencyQuerySchema, response: { 200: CollaborativeSchema, ...readErrors },
    },
    preHandler: [requireRole(...ALL_ROLES), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    assertInScope(principal, { collaborativeId: request.params.collaborativeId });
    const c = await getCollaborative(db, request.params.collaborativeId);
    if (!c) throw notFound('collaborative');
    return redact(c, seesPersonalData(principal));
  });

  app.get('/v1/collaboratives/:collaborativeId/cohorts', {
    schema: {
      operationId: 'listCohorts', summary: 'Cohorts of a collaborative with seats taken and agencies by stage', tags: ['collaboratives'],
      description: 'Anonymous counts: no agency is named, so every role of the collaborative reads it.',
      params: CollabParams, querystring: listQuery({ sorts: ['startsOn', 'name'], defaultSort: 'startsOn' }), response: { 200: pageSchema(CohortSummarySchema), ...readErrors },
    },
    preHandler: [requireRole(...ALL_ROLES), consistent],
  }, async (request) => {
    assertInScope(principalOf(request), { collaborativeId: request.params.collaborativeId });
    return listPage(request.query.sort, await listCohorts(db, { collaborativeId: request.params.collaborativeId, keyset: keysetOf(request.query) }));
  });

  app.get('/v1/collaboratives/:collaborativeId/cohorts/:cohortId', {
    schema: {
      operationId: 'getCohort', summary: 'A cohort: dates, capacity, seats taken, members with their stage', tags: ['collaboratives'],
      description: 'The `Location` of `OpenCohort`. An agency key sees the counts and itself among the members; a coach with assigned agencies sees those.',
      params: CollabParams.extend({ cohortId: uuid }), querystring: ConsistencyQuerySchema, response: { 200: CohortSchema, ...readErrors },
    },
    preHandler: [requireRole(...ALL_ROLES), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    const { collaborativeId, cohortId } = request.params;
    assertInScope(principal, { collaborativeId });
    const cohort = await getCohort(db, { collaborativeId, cohortId, agencyIds: visibleAgencyIds(principal) });
    if (!cohort) throw notFound('cohort');
    return cohort;
  });

  app.get('/v1/collaboratives/:collaborativeId/people', {
    schema: {
      operationId: 'listPeople', summary: 'The people directory of a collaborative', tags: ['collaboratives'],
      description: 'System-role holders, the convener contact, coaches, reviewers, applicants\' contacts and agency role holders with name, e-mail, organisation and role. Personal data: refused to analysts. An agency key sees its own agency\'s people and the collaborative\'s staff.',
      params: CollabParams,
      querystring: listQuery({ sorts: ['name', 'role'], defaultSort: 'name' }).extend({ kind: DirectoryEntrySchema.shape.kind.optional(), agencyId: uuid.optional() }),
      response: { 200: pageSchema(DirectoryEntrySchema), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    const { collaborativeId } = request.params;
    assertInScope(principal, { collaborativeId });
    const { kind, agencyId } = request.query;
    const page = await listPeople(db, { collaborativeId, keyset: keysetOf(request.query), agencyIds: visibleAgencyIds(principal), ...(kind ? { kind } : {}), ...(agencyId ? { agencyId } : {}) });
    return listPage(request.query.sort, page);
  });

  const EXPENDITURE_READERS = ['admin', 'coach', 'analyst', 'auditor'] as const;
  app.get('/v1/collaboratives/:collaborativeId/expenditures', {
    schema: {
      operationId: 'listExpenditures', summary: 'Expenditures itemised, with the totals of the same filter beside', tags: ['collaboratives'],
      description: 'Each expenditure (category, amount in cents, date, note, status and corrections), filtered by `category`, `status` and a `from`/`to` date range; `totals` sums every expenditure the filter selects (not only this page) but the voided ones, by category. Analysts get no notes or reasons. `totalCents` and `categories` repeat the totals (the earlier shape of this operation).',
      params: CollabParams,
      querystring: listQuery({ sorts: ['spentOn', 'amount'], defaultSort: 'spentOn' }).extend({
        category: z.enum(['coaching', 'meetings', 'travel', 'stipends', 'materials', 'data', 'other']).optional(), from: isoDate.optional(), to: isoDate.optional(),
        status: z.enum(['recorded', 'corrected', 'voided']).optional(),
      }),
      response: { 200: pageSchema(ExpenditureSchema).extend({ totals: ExpenditureTotalsSchema, totalCents: z.number(), categories: ExpenditureTotalsSchema.shape.categories }), ...readErrors },
    },
    preHandler: [requireRole(...EXPENDITURE_READERS), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    const { collaborativeId } = request.params;
    assertInScope(principal, { collaborativeId });
    const { category, from, to, status } = request.query;
    const page = await listExpenditures(db, { collaborativeId, keyset: keysetOf(request.query), ...(category ? { category } : {}), ...(status ? { status } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) });
    const personal = seesPersonalData(principal);
    return { ...listPage(request.query.sort, page, (e) => (personal ? e : withoutText(e))), totals: page.totals, totalCents: page.totals.totalCents, categories: page.totals.categories };
  });

  app.get('/v1/collaboratives/:collaborativeId/expenditures/totals', {
    schema: {
      operationId: 'getExpendituresByCategory', summary: 'Expenditures by category, against the budget', tags: ['collaboratives'],
      description: 'Total spent (in cents, voided expenditures left out) and the count of expenditures per category, beside the budget SetBudget gave the category and what remains of it (null where no budget is set; negative when over). No notes.',
      params: CollabParams, querystring: ConsistencyQuerySchema, response: { 200: ExpendituresSchema, ...readErrors },
    },
    preHandler: [requireRole(...EXPENDITURE_READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    assertInScope(principalOf(request), { collaborativeId });
    return expendituresByCategory(db, { collaborativeId });
  });

  app.get('/v1/collaboratives/:collaborativeId/expenditures/:expenditureId', {
    schema: {
      operationId: 'getExpenditure', summary: 'One expenditure', tags: ['collaboratives'],
      description: 'The `Location` of `RecordExpenditure`. Analysts get no note.',
      params: CollabParams.extend({ expenditureId: uuid }), querystring: ConsistencyQuerySchema, response: { 200: ExpenditureSchema, ...readErrors },
    },
    preHandler: [requireRole(...EXPENDITURE_READERS), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    const { collaborativeId, expenditureId } = request.params;
    assertInScope(principal, { collaborativeId });
    const e = await getExpenditure(db, { collaborativeId, expenditureId });
    if (!e) throw notFound('expenditure');
    return seesPersonalData(principal) ? e : withoutText(e);
  });
};

/** Analysts get amounts, never free text (notes, reasons). */
const withoutText = <E extends { note: string | null; voidReason: string | null; corrections: { reason: string | null; was: { note: string | null } | null }[] }>(e: E): E => ({
  ...e, note: null, voidReason: null, corrections: e.corrections.map((c) => ({ ...c, reason: null, was: c.was ? { ...c.was, note: null } : null })),
});
