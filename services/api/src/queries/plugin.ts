// Query routes on the read models (packages/projections): lists, details, reports, and the admin
// operations on projections. Analyst keys only reach routes whose answers hold no person data.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  agencyDetail, aggregateReport, changeProjectTimeline, cohortProgress, expendituresByCategory, isCaughtUp, listChangeProjects,
  listMeetings, listSiteVisits, projectionByName, projectionStatus, ProjectionNotReady, rebuildProjection, resumeInstance,
  liveInstance, verifyProjection,
} from '@convene/projections';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { consistencyPreHandler, ConsistencyQuerySchema } from '../http/consistency';
import { decodeCursor, encodeCursor, PageQuerySchema, pageSchema } from '../http/pagination';
import { HttpProblem } from '../http/problem';
import { problemResponses } from '../commands/plugin';

const uuid = z.uuid();
const nullableString = z.string().nullable();
const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404] };

const Change = z.object({ absolute: z.number(), relative: z.number().nullable() }).nullable();
export const ProgressItemSchema = z
  .object({
    agencyId: z.string(),
    agencyName: z.string(),
    cohortId: nullableString,
    stage: z.string(),
    rolesFilled: z.array(z.string()),
    walkThroughSubmitted: z.boolean(),
    baselineRecorded: z.boolean(),
    baselinePeriod: z.object({ from: z.string(), to: z.string() }).nullable(),
    monthsReported: z.array(z.string()),
    monthsMissing: z.array(z.string()),
    projects: z.object({ total: z.number(), active: z.number(), completed: z.number(), abandoned: z.number() }),
    pdsaCycles: z.number(),
    lastSiteVisitOn: nullableString,
    attendanceRate: z.number().nullable(),
    latestMonth: nullableString,
    measures: z.array(z.object({ key: z.string(), baseline: z.number().nullable(), latest: z.number().nullable(), change: Change })),
  })
  .meta({ id: 'AgencyProgress' });
const CohortProgressSchema = pageSchema(ProgressItemSchema).extend({ cohortId: z.string(), collaborativeId: z.string() }).meta({ id: 'CohortProgress' });

const Pooled = z.object({ numerator: z.number(), denominator: z.number(), value: z.number().nullable() });
const Signal = z.object({ from: z.number().int(), to: z.number().int() });
export const AggregateReportSchema = z
  .object({
    collaborativeId: z.string(),
    cohortId: nullableString,
    agencies: z.number().int(),
    months: z.array(z.string()),
    measures: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        kind: z.enum(['proportion', 'mean', 'count']),
        better: z.enum(['lower', 'higher']),
        chart: z.enum(['p', 'c', 'i']),
        baseline: Pooled,
        latest: Pooled.extend({ month: z.string() }).nullable(),
        change: Change,
        agencies: z.object({ improved: z.number().int(), notImproved: z.number().int(), noData: z.number().int() }),
        points: z.array(z.object({
          month: z.string(), agencies: z.number().int(), numerator: z.number(), denominator: z.number(), value: z.number(),
          limits: z.object({ centre: z.number(), lower: z.number(), upper: z.number() }),
        })),
        runChart: z.object({
          median: z.number().nullable(),
          shifts: z.array(Signal.extend({ side: z.enum(['above', 'below']) })),
          trends: z.array(Signal.extend({ direction: z.enum(['up', 'down']) })),
          runs: z.object({ count: z.number().int(), usefulObservations: z.number().int(), lower: z.number().nullable(), upper: z.number().nullable(), tooFew: z.boolean(), tooMany: z.boolean() }),
          astronomical: z.array(z.number().int()),
        }),
      }),
    ),
  })
  .meta({ id: 'AggregateReport', description: 'Pooled rates, change against baseline, run and control charts. No person data.' });

const ChangeProjectSchema = z
  .object({
    projectId: z.string(), collaborativeId: z.string(), agencyId: z.string(), title: z.string(), aim: z.string(), measure: z.string(),
    baselineValue: z.number(), targetValue: z.number(), targetDate: z.string(), changeIdea: z.string(), levelOfCare: z.string(),
    status: z.string(), startedAt: z.string(), cycles: z.number().int(), lastDecision: nullableString, endedOn: nullableString,
    lessons: nullableString, impact: nullableString, sustainPlan: nullableString, abandonReason: nullableString,
  })
  .meta({ id: 'ChangeProjectView' });
const TimelineSchema = ChangeProjectSchema.extend({
  timeline: z.array(z.object({
    cycleNumber: z.number().int(), beginsOn: z.string(), endsOn: z.string(), changeTested: z.string(), prediction: z.string(),
    steps: z.array(z.object({ step: z.string(), who: z.string() })), result: z.string(), decision: z.string(), loggedAt: z.string(),
  })),
}).meta({ id: 'ChangeProjectTimeline' });
const SiteVisitSchema = z
  .object({
    visitId: z.string(), collaborativeId: z.string(), agencyId: z.string(), coachId: z.string(), scheduledAt: z.string(), agenda: z.string(),
    status: z.string(), reschedules: z.number().int(), completedOn: nullableString, summary: nullableString, cancelReason: nullableString,
  })
  .meta({ id: 'SiteVisitView' });
const MeetingSchema = z
  .object({
    meetingId: z.string(), collaborativeId: z.string(), kind: z.string(), modality: z.string(), startsAt: z.string(), durationMinutes: z.number().int(),
    location: nullableString, callIn: nullableString, agenda: z.string(), status: z.string(), invitedAgencyIds: z.array(z.string()),
    presenterAgencyIds: z.array(z.string()), attendance: z.array(z.object({ agencyId: z.string(), present: z.boolean() })),
    presentCount: z.number().int().nullable(), absentCount: z.number().int().nullable(), minutesStatus: z.enum(['none', 'published', 'corrected']),
    minutesPublishedAt: nullableString,
  })
  .meta({ id: 'MeetingView' });
const PersonSchema = z.object({ personId: z.string(), name: z.string(), email: z.string() });
const AgencyDetailSchema = ProgressItemSchema.extend({
  collaborativeId: z.string(),
  appliedAt: nullableString,
  contact: z.object({ name: z.string(), email: z.string(), phone: z.string().optional() }).nullable(),
  roles: z.object({ executive_sponsor: PersonSchema.optional(), change_leader: PersonSchema.optional(), change_team_member: z.array(PersonSchema).optional() }),
  coachId: nullableString,
  peerMentorAgencyId: nullableString,
  coachingNotes: z.number().int(),
  withdrawnOn: nullableString,
  completedOn: nullableString,
  changeProjects: z.array(ChangeProjectSchema),
  siteVisits: z.array(SiteVisitSchema),
}).meta({ id: 'AgencyDetail' });
const ExpendituresSchema = z
  .object({ collaborativeId: z.string(), totalCents: z.number().int(), categories: z.array(z.object({ category: z.string(), totalCents: z.number().int(), count: z.number().int() })) })
  .meta({ id: 'ExpendituresByCategory' });
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

const CollabParams = z.object({ collaborativeId: uuid });
const ListQuery = PageQuerySchema.extend(ConsistencyQuerySchema.shape);
const READERS = ['admin', 'coach', 'agency', 'auditor'] as const;
const REPORT_READERS = ['admin', 'coach', 'analyst', 'auditor'] as const;

const afterOf = (cursor: string | undefined) => {
  const key = decodeCursor(cursor, 1)?.[0];
  return typeof key === 'string' ? key : undefined;
};
const cursorOf = (nextAfter: string | null) => (nextAfter ? encodeCursor([nextAfter]) : null);

/** Agency keys see their own agency only: they must name it, other keys may. */
function agencyFilter(request: FastifyRequest, collaborativeId: string, agencyId: string | undefined): string | undefined {
  const principal = principalOf(request);
  if (principal.role === 'agency' && !agencyId) throw new HttpProblem(403, 'out_of_scope', 'An agency key must filter by its agencyId');
  assertInScope(principal, agencyId ? { collaborativeId, agencyId } : { collaborativeId });
  return agencyId;
}

function projectionOr404(name: string) {
  try {
    return projectionByName(name);
  } catch {
    throw new HttpProblem(404, 'not_found', `No projection ${name}`);
  }
}

/** The query routes: one plugin, registered by app.ts. */
export const queryPlugin: FastifyPluginAsyncZod = async (app: FastifyInstance) => {
  const { db, eventStore } = app.deps;
  const consistent = consistencyPreHandler({ isCaughtUp: app.deps.isCaughtUp ?? ((p) => isCaughtUp(db, p)) });
  app.setErrorHandler(async (error, request, reply) => {
    if (error instanceof ProjectionNotReady) throw new HttpProblem(503, 'read_model_not_ready', error.message, { headers: { 'retry-after': '5' } });
    throw error;
  });
  const typed = app.withTypeProvider<import('fastify-type-provider-zod').ZodTypeProvider>();

  typed.get('/v1/collaboratives/:collaborativeId/cohorts/:cohortId/progress', {
    schema: { operationId: 'getCohortProgress', summary: 'Progress of every agency of a cohort', tags: ['reports'], params: CollabParams.extend({ cohortId: uuid }), querystring: PageQuerySchema.extend({ limit: z.coerce.number().int().min(1).max(500).default(500) }).extend(ConsistencyQuerySchema.shape), response: { 200: CohortProgressSchema, ...errors } },
    preHandler: [requireRole(...REPORT_READERS), consistent],
  }, async (request) => {
    const { collaborativeId, cohortId } = request.params;
    assertInScope(principalOf(request), { collaborativeId });
    const page = await cohortProgress(db, { collaborativeId, cohortId, limit: request.query.limit, after: afterOf(request.query.cursor) });
    if (!page.cohort) throw new HttpProblem(404, 'not_found', 'No such cohort');
    return { collaborativeId, cohortId, items: page.items, nextCursor: cursorOf(page.nextAfter) };
  });

  typed.get('/v1/collaboratives/:collaborativeId/reports/aggregate', {
    schema: { operationId: 'getAggregateReport', summary: 'Pooled measures, change against baseline, run charts (no person data)', tags: ['reports'], params: CollabParams, querystring: z.object({ cohortId: uuid.optional(), from: z.string().regex(/^\d{4}-\d{2}$/).optional(), to: z.string().regex(/^\d{4}-\d{2}$/).optional() }).extend(ConsistencyQuerySchema.shape), response: { 200: AggregateReportSchema, ...errors } },
    preHandler: [requireRole(...REPORT_READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    assertInScope(principalOf(request), { collaborativeId });
    const { cohortId, from, to } = request.query;
    return aggregateReport(db, { collaborativeId, ...(cohortId ? { cohortId } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) });
  });

  typed.get('/v1/collaboratives/:collaborativeId/agencies/:agencyId', {
    schema: { operationId: 'getAgency', summary: 'An agency in a collaborative: progress, roles, projects, site visits', tags: ['reports'], params: CollabParams.extend({ agencyId: uuid }), querystring: ConsistencyQuerySchema, response: { 200: AgencyDetailSchema, ...errors } },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId, agencyId } = request.params;
    assertInScope(principalOf(request), { collaborativeId, agencyId });
    const detail = await agencyDetail(db, { collaborativeId, agencyId });
    if (!detail) throw new HttpProblem(404, 'not_found', 'No such agency in this collaborative');
    return detail;
  });

  typed.get('/v1/collaboratives/:collaborativeId/change-projects', {
    schema: { operationId: 'listChangeProjects', summary: 'Change projects', tags: ['reports'], params: CollabParams, querystring: ListQuery.extend({ agencyId: uuid.optional(), status: z.enum(['active', 'completed', 'abandoned']).optional() }), response: { 200: pageSchema(ChangeProjectSchema), ...errors } },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    const agencyId = agencyFilter(request, collaborativeId, request.query.agencyId);
    const page = await listChangeProjects(db, { collaborativeId, ...(agencyId ? { agencyId } : {}), ...(request.query.status ? { status: request.query.status } : {}), limit: request.query.limit, after: afterOf(request.query.cursor) });
    return { items: page.items, nextCursor: cursorOf(page.nextAfter) };
  });

  typed.get('/v1/collaboratives/:collaborativeId/change-projects/:projectId', {
    schema: { operationId: 'getChangeProjectTimeline', summary: 'A change project with its PDSA cycles', tags: ['reports'], params: CollabParams.extend({ projectId: uuid }), querystring: ConsistencyQuerySchema, response: { 200: TimelineSchema, ...errors } },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId, projectId } = request.params;
    const timeline = await changeProjectTimeline(db, { collaborativeId, projectId });
    if (!timeline) throw new HttpProblem(404, 'not_found', 'No such change project');
    assertInScope(principalOf(request), { collaborativeId, agencyId: timeline.agencyId });
    return timeline;
  });

  typed.get('/v1/collaboratives/:collaborativeId/site-visits', {
    schema: { operationId: 'listSiteVisits', summary: 'Site-visit schedule', tags: ['reports'], params: CollabParams, querystring: ListQuery.extend({ agencyId: uuid.optional(), status: z.enum(['scheduled', 'cancelled', 'completed']).optional() }), response: { 200: pageSchema(SiteVisitSchema), ...errors } },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    const agencyId = agencyFilter(request, collaborativeId, request.query.agencyId);
    const page = await listSiteVisits(db, { collaborativeId, ...(agencyId ? { agencyId } : {}), ...(request.query.status ? { status: request.query.status } : {}), limit: request.query.limit, after: afterOf(request.query.cursor) });
    return { items: page.items, nextCursor: cursorOf(page.nextAfter) };
  });

  typed.get('/v1/collaboratives/:collaborativeId/meetings', {
    schema: { operationId: 'listMeetings', summary: 'Meeting calendar with attendance and minutes status', tags: ['reports'], params: CollabParams, querystring: ListQuery, response: { 200: pageSchema(MeetingSchema), ...errors } },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    assertInScope(principalOf(request), { collaborativeId });
    const page = await listMeetings(db, { collaborativeId, limit: request.query.limit, after: afterOf(request.query.cursor) });
    return { items: page.items, nextCursor: cursorOf(page.nextAfter) };
  });

  typed.get('/v1/collaboratives/:collaborativeId/expenditures', {
    schema: { operationId: 'getExpendituresByCategory', summary: 'Expenditures by category', tags: ['reports'], params: CollabParams, querystring: ConsistencyQuerySchema, response: { 200: ExpendituresSchema, ...errors } },
    preHandler: [requireRole('admin', 'coach', 'analyst', 'auditor'), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params;
    assertInScope(principalOf(request), { collaborativeId });
    return expendituresByCategory(db, { collaborativeId });
  });

  typed.get('/v1/admin/projections', {
    schema: { operationId: 'getProjectionStatus', summary: 'Projection instances, checkpoints and failures', tags: ['admin'], response: { 200: ProjectionStatusSchema, 401: problemResponses[401], 403: problemResponses[403] } },
    preHandler: requireRole('admin'),
  }, async () => projectionStatus(db));

  const NameParams = z.object({ name: z.string().regex(/^[a-z_]+$/) });
  typed.post('/v1/admin/projections/:name/rebuild', {
    schema: { operationId: 'rebuildProjection', summary: 'Rebuild into fresh tables from position 0, then swap in (runs in the background)', tags: ['admin'], params: NameParams, response: { 202: z.object({ accepted: z.literal(true), name: z.string() }), ...errors } },
    preHandler: requireRole('admin'),
  }, async (request, reply) => {
    const projection = projectionOr404(request.params.name);
    void rebuildProjection({ db, store: eventStore, projection }).catch((error: Error) => request.log.error({ err: error.message, projection: projection.name }, 'rebuild failed'));
    return reply.code(202).send({ accepted: true as const, name: projection.name });
  });

  typed.post('/v1/admin/projections/:name/verify', {
    schema: { operationId: 'verifyProjection', summary: 'Rebuild into a shadow and compare with the live tables', tags: ['admin'], params: NameParams, response: { 200: VerifySchema, ...errors } },
    preHandler: requireRole('admin'),
  }, async (request) => verifyProjection({ db, store: eventStore, projection: projectionOr404(request.params.name) }));

  typed.post('/v1/admin/projections/:name/resume', {
    schema: { operationId: 'resumeProjection', summary: 'Retry a projection stopped at a poison event (after a fix)', tags: ['admin'], params: NameParams, response: { 204: z.null(), ...errors } },
    preHandler: requireRole('admin'),
  }, async (request, reply) => {
    const projection = projectionOr404(request.params.name);
    const live = await liveInstance(db, projection.name);
    if (!live) throw new HttpProblem(404, 'not_found', 'No live instance');
    await resumeInstance(db, live.schema_name, projection);
    return reply.code(204).send(null);
  });
};
