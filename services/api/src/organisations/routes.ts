// Organisation reads (issue 16): the network's organisations, one organisation's history across
// collaboratives and its mentoring, a mentor's mentees' progress, its contacts, and the spread.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agencySubmissions, listAgencies, listOrganisations, mentoringContacts, menteesOf, organisationDetail, visibleOrganisationIds } from '@convene/projections';
import { organisationKind } from '@convene/domain';
import { principalOf, requireRole } from '../auth/plugin';
import type { Principal } from '../auth/keys';
import { ConsistencyQuerySchema } from '../http/consistency';
import { keysetOf, listPage, listQuery } from '../http/list';
import { pageSchema } from '../http/pagination';
import { consistentReads, notFound, READERS, readErrors, uuid } from '../http/read-routes';
import { seesPersonalData } from '../http/scope';
import { AgencyListItemSchema } from '../participation/schemas';
import { MentoringContactSchema, OrganisationDetailSchema, OrganisationSchema } from './schemas';
import { historyScopeOf, networkScopeOf, outOfScope } from './scope';
import { spreadRoutes } from './spread-routes';

const values = z.record(z.string(), z.record(z.string(), z.unknown())).describe('Values by measure id');
const MenteeSchema = AgencyListItemSchema.extend({
  series: z.object({
    baseline: z.object({ from: z.string(), to: z.string(), values }).nullable(),
    periods: z.array(z.object({ period: z.string(), values })),
  }).describe('Its submitted baseline and reporting periods (raw values, corrections applied)'),
});
const OrgParams = z.object({ organisationId: uuid.describe('The organisation (for an agency, its agencyId)') });
const NETWORK_READERS = ['admin', 'coach', 'agency', 'analyst', 'auditor'] as const;

export const organisationReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const consistent = consistentReads(app);

  /** 403 unless the key sees the organisation (the mentor's own key always does). */
  const assertSees = async (principal: Principal, organisationId: string) => {
    const visible = await visibleOrganisationIds(db, networkScopeOf(principal));
    if (visible !== null && !visible.includes(organisationId)) throw outOfScope();
  };

  app.get('/v1/organisations', {
    schema: {
      operationId: 'listOrganisations', summary: "The convener's network: provider and stakeholder organisations", tags: ['organisations'],
      description:
        'Registered organisations and the agencies known from applications (an agency\'s organisationId is its agencyId). Filters `kind`, `q` (part of the name), `collaborativeId` (taking part in it) and `status` (their status there, or in any collaborative). ' +
        'An unscoped admin, analyst or auditor sees all; a scoped one the organisations of its collaboratives and every stakeholder; a coach its agencies; an agency key itself. No personal data.',
      querystring: listQuery({ sorts: ['name', 'firstSeenOn'], defaultSort: 'name' }).extend({
        kind: organisationKind.optional(), q: z.string().trim().min(1).max(200).optional().describe('Part of the name (case-insensitive)'),
        collaborativeId: uuid.optional(), status: z.enum(['applied', 'admitted', 'declined', 'withdrawn', 'completed']).optional(),
      }),
      response: { 200: pageSchema(OrganisationSchema), ...readErrors },
    },
    preHandler: [requireRole(...NETWORK_READERS), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    const { kind, q, collaborativeId, status } = request.query;
    const page = await listOrganisations(db, {
      keyset: keysetOf(request.query), scope: networkScopeOf(principal),
      ...(kind ? { kind } : {}), ...(q ? { q } : {}), ...(collaborativeId ? { collaborativeId } : {}), ...(status ? { status } : {}),
    });
    return listPage(request.query.sort, page);
  });

  app.get('/v1/organisations/:organisationId', {
    schema: {
      operationId: 'getOrganisation', summary: 'An organisation: sites, its history across collaboratives, its mentoring', tags: ['organisations'],
      description: 'Per collaborative (those of a scoped key; all of them for the organisation\'s own key): its status (applied, admitted, declined, withdrawn, completed), cohort, dates and peer mentor; the agencies it mentors in any collaborative, its contacts and recruits. No personal data.',
      params: OrgParams, querystring: ConsistencyQuerySchema, response: { 200: OrganisationDetailSchema, ...readErrors },
    },
    preHandler: [requireRole(...NETWORK_READERS), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    const { organisationId } = request.params;
    await assertSees(principal, organisationId);
    const detail = await organisationDetail(db, { organisationId, collaborativeIds: historyScopeOf(principal, organisationId) });
    if (!detail) throw notFound('organisation');
    return detail;
  });

  app.get('/v1/organisations/:organisationId/mentees', {
    schema: {
      operationId: 'listMenteeProgress', summary: "A peer mentor's mentees and their progress, in every collaborative", tags: ['organisations'],
      description: "The mentor's own agency key reads its mentees' progress (stage, baseline, months reported and missing, measures against baseline) wherever they take part, and nothing else of those agencies; other keys see the mentees of their collaboratives. No personal data.",
      params: OrgParams, querystring: ConsistencyQuerySchema,
      response: { 200: z.object({ mentorAgencyId: z.string(), mentees: z.array(MenteeSchema) }).meta({ id: 'MenteeProgress' }), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    const { organisationId } = request.params;
    const own = principal.role === 'agency' && principal.agencyIds.includes(organisationId);
    if (!own) await assertSees(principal, organisationId);
    const scope = own ? null : principal.collaborativeIds;
    const coachAgencies = principal.role === 'coach' && principal.agencyIds.length ? principal.agencyIds : null;
    const collaboratives = [...new Set((await menteesOf(db, organisationId)).map((m) => m.collaborativeId))].filter((c) => scope === null || scope.includes(c));
    const pages = await Promise.all(
      collaboratives.map(async (collaborativeId) => {
        const [page, submissions] = await Promise.all([
          listAgencies(db, { collaborativeId, mentorAgencyId: organisationId, agencyIds: coachAgencies, keyset: { field: 'agencyName', direction: 'asc', limit: 500 } }),
          agencySubmissions(db, { collaborativeId }),
        ]);
        // Each mentee's series: its submitted baseline and periods (raw values, corrections applied).
        return page.items.map((m) => {
          const s = submissions.find((x) => x.agencyId === m.agencyId);
          return { ...m, series: { baseline: s?.baseline ?? null, periods: s?.periods ?? [] } };
        });
      }),
    );
    return { mentorAgencyId: organisationId, mentees: pages.flat() };
  });

  app.get('/v1/organisations/:organisationId/mentoring-contacts', {
    schema: {
      operationId: 'listMentoringContacts', summary: "A peer mentor's contacts with its mentees", tags: ['organisations'],
      description: 'Date, mode, topic and notes of each contact the mentor logged. The notes are free text (personal data): not for analysts.',
      params: OrgParams,
      querystring: listQuery({ sorts: ['contactedOn'], defaultSort: '-contactedOn' }),
      response: { 200: pageSchema(MentoringContactSchema), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    const { organisationId } = request.params;
    await assertSees(principal, organisationId);
    return listPage(request.query.sort, await mentoringContacts(db, { mentorAgencyId: organisationId, keyset: keysetOf(request.query), personal: seesPersonalData(principal) }));
  });

  await app.register(spreadRoutes);
};
