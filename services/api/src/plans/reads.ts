// The plan read: folded from the plan, collaborative and participation streams at request time
// (through the command cache, which re-reads only newer events), so it is current the moment a plan
// command answers and lateness is judged at the request's own time. No projection: the plan is one
// stream per collaborative and lateness depends on the clock, which a stored row could not follow.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { loadPlanView, type PlanEntryState } from '@convene/domain';
import { z } from 'zod';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from '../http/consistency';
import { CollabParams, consistentReads, notFound, READERS, readErrors } from '../http/read-routes';
import { visibleAgencyIds } from '../http/scope';
import { PlanSchema } from './schemas';

export const entryOut = (e: PlanEntryState) => ({
  entryId: e.entryId, scope: e.scope, step: e.step, kind: e.kind, title: e.title, status: e.status, month: e.offset.month, day: e.offset.day, date: e.date,
  startsAt: e.startsAt ?? null, endsOn: e.endsOn ?? null, durationMinutes: e.durationMinutes ?? null, modality: e.modality ?? null, audience: e.audience,
  preparation: e.preparation, agencyId: e.agencyId ?? null, period: e.period ?? null, moved: e.moved,
  meetingId: e.status === 'adopted' && e.startsAt && e.kind !== 'site_visit' ? e.entryId : null,
  visitId: e.status === 'adopted' && e.kind === 'site_visit' ? e.entryId : null,
});
const byTime = (a: PlanEntryState, b: PlanEntryState) => (a.startsAt ?? `${a.date}T00`).localeCompare(b.startsAt ?? `${b.date}T00`) || a.step.localeCompare(b.step);

export const planReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const consistent = consistentReads(app);
  app.get('/v1/collaboratives/:collaborativeId/plan', {
    schema: {
      operationId: 'getPlan', summary: 'The timeline plan: entries by date (tentative, adopted, dropped) and what is late against it', tags: ['plans'],
      description:
        'Entries of the collaborative\'s plan and of its cohorts\' plans, by date, with kind, audience, the preparatory work due before each, and the meeting or site visit an adopted entry scheduled. ' +
        '`late` lists, per agency, the baseline not in when the kick-off began, a walk-through missing after its due day and a month (or quarter) without data after its due day (docs/plans.md). ' +
        'Agency keys see the shared entries, their own visits and their own lateness; coaches with assigned agencies those agencies\'.',
      params: CollabParams,
      querystring: ConsistencyQuerySchema.extend({ status: z.enum(['tentative', 'adopted', 'dropped']).optional().describe('Only entries with this status') }),
      response: { 200: PlanSchema, ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    const { collaborativeId } = request.params;
    assertInScope(principal, { collaborativeId });
    const now = (app.deps.clock ?? (() => new Date()))().toISOString();
    const view = await loadPlanView(app.deps.eventStore, collaborativeId, now, app.deps.commandCache);
    if (view.plan.status === 'none') throw notFound('plan');
    const visible = visibleAgencyIds(principal);
    const sees = (agencyId: string | undefined) => agencyId === undefined || visible === null || visible.includes(agencyId);
    const { status } = request.query;
    return {
      collaborativeId,
      version: view.version,
      asOf: now,
      scopes: Object.values(view.plan.scopes).map((s) => ({ scope: s.scope, cohortId: s.cohortId ?? null, template: s.template, startsOn: s.startsOn, location: s.location, callIn: s.callIn })),
      entries: Object.values(view.plan.entries).filter((e) => sees(e.agencyId) && (!status || e.status === status)).sort(byTime).map(entryOut),
      late: view.late.filter((l) => sees(l.agencyId)).map((l) => ({ ...l, period: l.period ?? null })),
    };
  });
};
