import { requireOpenCollaborative } from '../collaborative/decide';
import type { OpenCollaborative } from '../collaborative/state';
import { catalogueReports } from '../measures/periods';
import { requireInstantWithinSpan } from '../shared/business-dates';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { assertNever, type Decision, type DomainEvent } from '../shared/types';
import { adoptEntry, type PlanContext } from './adopt';
import type { PlanCommand } from './commands';
import { addDays, daysBetween } from './dates';
import type { PlanEvent } from './events';
import type { PlanEntryState, PlanScope, PlanState } from './state';
import { planEntries, schedulesOnAdoption, scopeKey, type PlanEntryData } from './templates';

type Cmd<T extends PlanCommand['type']> = Extract<PlanCommand, { type: T }>['data'];
type Proposed = Extract<PlanState, { status: 'proposed' }>;
export type { PlanContext } from './adopt';

const requirePlan = (s: PlanState): Proposed => (s.status === 'none' ? notFound('plan_not_found', 'The collaborative has no plan; propose one from a template') : s);
const requireScope = (s: Proposed, cohortId: string | undefined): PlanScope =>
  s.scopes[scopeKey(cohortId)] ?? notFound('plan_not_found', cohortId ? 'The cohort has no plan; propose one from a template' : 'The collaborative has no plan of its own');
const requireEntry = (s: PlanState, entryId: string): { plan: Proposed; entry: PlanEntryState } => {
  const plan = requirePlan(s);
  const entry = plan.entries[entryId] ?? notFound('plan_entry_not_found', 'No such plan entry');
  if (entry.status === 'dropped') conflict('plan_entry_dropped', 'The entry is dropped');
  return { plan, entry };
};
const requireNotScheduled = (e: PlanEntryState, instead: string) => {
  if (e.status === 'adopted' && schedulesOnAdoption(e.kind))
    conflict('plan_entry_adopted', `The entry is adopted: ${e.kind === 'site_visit' ? 'its site visit' : 'its meeting'} (id ${e.entryId}) is scheduled; ${instead} it there`);
};

/** The scope's agencies: a cohort's members, or the collaborative's agencies in cohorts without a plan of their own. */
const agenciesOf = (collab: OpenCollaborative, s: PlanState, cohortId: string | undefined) => {
  if (cohortId) return collab.cohorts[cohortId]?.members ?? [];
  const own = new Set(s.status === 'proposed' ? Object.keys(s.scopes) : []);
  return Object.entries(collab.enrolment).filter(([, cohort]) => !own.has(cohort)).map(([agencyId]) => agencyId);
};
const entriesFor = (collab: OpenCollaborative, d: { collaborativeId: string; cohortId?: string | undefined }, scope: Pick<PlanScope, 'template' | 'startsOn' | 'agencyIds'>): PlanEntryData[] =>
  planEntries({
    collaborativeId: d.collaborativeId, ...(d.cohortId ? { cohortId: d.cohortId } : {}), template: scope.template, startsOn: scope.startsOn, endsOn: collab.endsOn, agencyIds: scope.agencyIds,
    cadences: { monthly: catalogueReports(collab.catalogue, 'monthly'), quarterly: catalogueReports(collab.catalogue, 'quarterly') },
  });

const propose = (d: Cmd<'ProposePlan'>, s: PlanState, ctx: PlanContext): PlanEvent[] => {
  const collab = requireOpenCollaborative(ctx.collaborative);
  const cohort = d.cohortId ? (collab.cohorts[d.cohortId] ?? unprocessable('cohort_not_found', 'No such cohort in this collaborative', 'cohortId')) : undefined;
  const existing = s.status === 'proposed' ? s.scopes[scopeKey(d.cohortId)] : undefined;
  if (existing && existing.template !== d.template) return conflict('plan_template_differs', `The plan follows ${existing.template}`, 'template');
  if (existing && d.startsOn && d.startsOn !== existing.startsOn) return conflict('plan_start_differs', `The plan starts on ${existing.startsOn}; move it with RebasePlan`, 'startsOn');
  const startsOn = existing?.startsOn ?? d.startsOn ?? cohort?.startsOn ?? collab.startsOn;
  if (startsOn < collab.startsOn || startsOn > collab.endsOn)
    return unprocessable('date_outside_collaborative', `startsOn must be between ${collab.startsOn} and ${collab.endsOn}, the collaborative's span`, 'startsOn');
  const agencyIds = agenciesOf(collab, s, d.cohortId);
  const known = s.status === 'proposed' ? s.entries : {};
  // Proposed again (agencies admitted since): only the entries it did not have yet.
  const entries = entriesFor(collab, d, { template: d.template, startsOn, agencyIds }).filter((e) => !known[e.entryId]);
  if (existing && entries.length === 0 && agencyIds.length === existing.agencyIds.length)
    return conflict('plan_already_proposed', 'The plan is proposed and has every entry of its template');
  const { startsOn: _s, ...rest } = d;
  return [{ type: 'PlanProposed', data: { ...rest, startsOn, agencyIds, entries } }];
};

const adoptAll = (d: Cmd<'AdoptPlan'>, s: PlanState, ctx: PlanContext): Decision<PlanEvent> => {
  requireOpenCollaborative(ctx.collaborative);
  const plan = requirePlan(s);
  const scope = requireScope(plan, d.cohortId);
  const tentative = Object.values(plan.entries).filter((e) => e.scope === scope.scope && e.status === 'tentative');
  if (tentative.length === 0) return conflict('plan_nothing_to_adopt', 'Every entry of the plan is adopted or dropped');
  const adopted = tentative.map((e) => adoptEntry(plan.collaborativeId, e, scope, {}, ctx));
  return { events: adopted.map((a) => a.event), also: adopted.flatMap((a) => (a.also ? [a.also] : [])) };
};

const adoptOne = (d: Cmd<'AdoptPlanEntry'>, s: PlanState, ctx: PlanContext): Decision<PlanEvent> => {
  requireOpenCollaborative(ctx.collaborative);
  const { plan, entry } = requireEntry(s, d.entryId);
  if (entry.status === 'adopted') return conflict('plan_entry_adopted', 'The entry is adopted already');
  const a = adoptEntry(plan.collaborativeId, entry, plan.scopes[entry.scope]!, d, ctx);
  return { events: [a.event], also: a.also ? [a.also as { streamId: string; events: DomainEvent[] }] : [] };
};

const move = (d: Cmd<'MovePlanEntry'>, s: PlanState, ctx: PlanContext): PlanEvent[] => {
  const collab = requireOpenCollaborative(ctx.collaborative);
  const { entry } = requireEntry(s, d.entryId);
  requireNotScheduled(entry, 'reschedule');
  const base = { collaborativeId: collab.collaborativeId, entryId: entry.entryId, previousDate: entry.date, ...(d.reason ? { reason: d.reason } : {}) };
  if (schedulesOnAdoption(entry.kind)) {
    if (d.date) return unprocessable('plan_entry_has_a_start', 'A meeting or visit entry moves by startsAt', 'date');
    if (!d.startsAt) return unprocessable('plan_entry_has_a_start', 'A meeting or visit entry moves by startsAt', 'startsAt');
    if (Date.parse(d.startsAt) < Date.parse(ctx.now)) return unprocessable('scheduled_in_past', `startsAt must not be before now (${ctx.now})`, 'startsAt');
    requireInstantWithinSpan(collab, d.startsAt, 'startsAt');
    return [{ type: 'PlanEntryMoved', data: { ...base, date: new Date(d.startsAt).toISOString().slice(0, 10), startsAt: d.startsAt } }];
  }
  if (d.startsAt) return unprocessable('plan_entry_has_a_date', 'A deadline or window moves by date', 'startsAt');
  if (!d.date) return unprocessable('plan_entry_has_a_date', 'A deadline or window moves by date', 'date');
  // A window keeps its length.
  const endsOn = entry.endsOn ? { endsOn: addDays(entry.endsOn, daysBetween(entry.date, d.date)) } : {};
  return [{ type: 'PlanEntryMoved', data: { ...base, date: d.date, ...endsOn } }];
};

const drop = (d: Cmd<'DropPlanEntry'>, s: PlanState, ctx: PlanContext): PlanEvent[] => {
  requireOpenCollaborative(ctx.collaborative);
  const { plan, entry } = requireEntry(s, d.entryId);
  requireNotScheduled(entry, 'cancel');
  return [{ type: 'PlanEntryDropped', data: { collaborativeId: plan.collaborativeId, entryId: entry.entryId, ...(d.reason ? { reason: d.reason } : {}) } }];
};

const shift = (e: PlanEntryState, days: number) => ({
  date: addDays(e.date, days),
  ...(e.startsAt ? { startsAt: new Date(Date.parse(e.startsAt) + days * 86_400_000).toISOString() } : {}),
  ...(e.endsOn ? { endsOn: addDays(e.endsOn, days) } : {}),
});

/** Tentative entries move with the start (re-read from the template, or shifted when moved by hand); adopted and dropped ones stay. */
const rebase = (d: Cmd<'RebasePlan'>, s: PlanState, ctx: PlanContext): PlanEvent[] => {
  const collab = requireOpenCollaborative(ctx.collaborative);
  const plan = requirePlan(s);
  const scope = requireScope(plan, d.cohortId);
  if (d.startsOn === scope.startsOn) return conflict('plan_start_unchanged', `The plan starts on ${scope.startsOn} already`, 'startsOn');
  if (d.startsOn < collab.startsOn || d.startsOn > collab.endsOn)
    return unprocessable('date_outside_collaborative', `startsOn must be between ${collab.startsOn} and ${collab.endsOn}, the collaborative's span`, 'startsOn');
  const fresh = new Map(entriesFor(collab, d, { ...scope, startsOn: d.startsOn }).map((e) => [e.entryId, e]));
  const days = daysBetween(scope.startsOn, d.startsOn);
  const moved = Object.values(plan.entries)
    .filter((e) => e.scope === scope.scope && e.status === 'tentative')
    .map((e) => {
      const f = fresh.get(e.entryId);
      const dates = !e.moved && f ? { date: f.date, ...(f.startsAt ? { startsAt: f.startsAt } : {}), ...(f.endsOn ? { endsOn: f.endsOn } : {}) } : shift(e, days);
      return { entryId: e.entryId, ...dates, ...(!e.moved && f?.period ? { period: f.period } : {}) };
    });
  return [{ type: 'PlanRebased', data: { collaborativeId: plan.collaborativeId, ...(d.cohortId ? { cohortId: d.cohortId } : {}), previousStartsOn: scope.startsOn, startsOn: d.startsOn, moved } }];
};

export const decidePlan = (command: PlanCommand, state: PlanState, ctx: PlanContext): Decision<PlanEvent> => {
  switch (command.type) {
    case 'ProposePlan':
      return propose(command.data, state, ctx);
    case 'AdoptPlan':
      return adoptAll(command.data, state, ctx);
    case 'AdoptPlanEntry':
      return adoptOne(command.data, state, ctx);
    case 'MovePlanEntry':
      return move(command.data, state, ctx);
    case 'DropPlanEntry':
      return drop(command.data, state, ctx);
    case 'RebasePlan':
      return rebase(command.data, state, ctx);
    default:
      return assertNever(command);
  }
};
