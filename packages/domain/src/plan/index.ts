import { streamIds } from '../shared/ids';
import type { AggregateDefinition, ContextRef } from '../shared/types';
import * as c from './commands';
import type { PlanCommand } from './commands';
import { decidePlan, type PlanContext } from './decide';
import { planEvents, type PlanEvent } from './events';
import { evolvePlan, initialPlanState, type PlanEntryState, type PlanState } from './state';
import { isMeetingKind, scopeKey } from './templates';

// One plan per collaborative (stream `plan-<collaborativeId>`), holding the collaborative's own
// entries and those of cohorts proposed later. Adoption reads the meeting and visit streams it
// schedules, so it can append to them in the same transaction (executeCommand's `also`).

const target = (d: { collaborativeId: string }) => streamIds.plan(d.collaborativeId);
const collab = (collaborativeId: string): ContextRef => ({ key: 'collaborative', aggregate: 'collaborative', streamId: streamIds.collaborative(collaborativeId) });
const participation = (collaborativeId: string, agencyId: string): ContextRef => ({ key: `participations.${agencyId}`, aggregate: 'participation', streamId: streamIds.participation(collaborativeId, agencyId) });

/** The streams adopting these entries reads: each one's meeting or visit, and the agencies it invites or visits. */
const adoptionContext = (collaborativeId: string, s: PlanState, entries: PlanEntryState[], invited?: string[]): ContextRef[] => {
  if (s.status === 'none') return [collab(collaborativeId)];
  const agencies = new Set<string>();
  const refs: ContextRef[] = [collab(collaborativeId)];
  for (const e of entries) {
    if (isMeetingKind(e.kind)) {
      refs.push({ key: `meetings.${e.entryId}`, aggregate: 'meeting', streamId: streamIds.meeting(e.entryId) });
      (invited ?? s.scopes[e.scope]?.agencyIds ?? []).forEach((a) => agencies.add(a));
    } else if (e.kind === 'site_visit' && e.agencyId) {
      refs.push({ key: `visits.${e.entryId}`, aggregate: 'sitevisit', streamId: streamIds.siteVisit(e.entryId) });
      agencies.add(e.agencyId);
    }
  }
  return [...refs, ...[...agencies].map((a) => participation(collaborativeId, a))];
};

const onlyCollaborative = (d: { collaborativeId: string }) => [collab(d.collaborativeId)];

export const plan: AggregateDefinition<PlanState, PlanCommand, PlanEvent, PlanContext> = {
  name: 'plan',
  initialState: initialPlanState,
  evolve: evolvePlan,
  decide: decidePlan,
  commands: {
    ProposePlan: { schema: c.ProposePlan, operationId: 'proposePlan', description: 'Propose the tentative entries of a plan template for the collaborative or a new cohort', streamId: target, context: onlyCollaborative },
    AdoptPlan: {
      schema: c.AdoptPlan, operationId: 'adoptPlan', description: "Adopt every tentative entry of the plan: its meetings and site visits are scheduled", streamId: target,
      context: (d, s) =>
        adoptionContext(d.collaborativeId, s, s.status === 'none' ? [] : Object.values(s.entries).filter((e) => e.scope === scopeKey(d.cohortId) && e.status === 'tentative')),
    },
    AdoptPlanEntry: {
      schema: c.AdoptPlanEntry, operationId: 'adoptPlanEntry', description: 'Adopt one tentative entry: a meeting or site visit entry is scheduled', streamId: target,
      context: (d, s) => {
        const e = s.status === 'none' ? undefined : s.entries[d.entryId];
        return adoptionContext(d.collaborativeId, s, e ? [e] : [], d.invitedAgencyIds);
      },
    },
    MovePlanEntry: { schema: c.MovePlanEntry, operationId: 'movePlanEntry', description: 'Move a tentative entry (or an adopted deadline)', streamId: target, context: onlyCollaborative },
    DropPlanEntry: { schema: c.DropPlanEntry, operationId: 'dropPlanEntry', description: 'Drop a tentative entry (or an adopted deadline)', streamId: target, context: onlyCollaborative },
    RebasePlan: { schema: c.RebasePlan, operationId: 'rebasePlan', description: "Move the plan's start: tentative entries move with it, adopted ones stay", streamId: target, context: onlyCollaborative },
  },
  events: planEvents,
};

export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
export * from './templates';
export * from './lateness';
export { nameUuid } from './dates';
