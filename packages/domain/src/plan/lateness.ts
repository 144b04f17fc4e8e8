// What is late against the plan, pure: the API's plan read and the worker's late-against-plan
// reminder both count with these rules, so a reminder and the page never disagree.
//  - baseline_missing: the scope's kick-off has begun and the agency has recorded no baseline;
//  - walk_through_missing: the walk-through due day is over and no walk-through is submitted;
//  - data_missing: a data due day is over and the agency has not submitted that month (or quarter).
// Dropped entries are no longer expected; tentative and adopted ones are (the plan is the
// expectation, adopted or not). Only admitted agencies are late; each agency is held to the plan of
// its cohort when the cohort has one, else to the collaborative's.
import type { CollaborativeState } from '../collaborative/state';
import type { ParticipationState } from '../participation/state';
import { addDays } from './dates';
import type { PlanEntryState, PlanState } from './state';

export const lateKinds = ['baseline_missing', 'walk_through_missing', 'data_missing'] as const;
export type LateKind = (typeof lateKinds)[number];

export interface LateItem {
  /** Stable: one reminder per item. */
  itemId: string;
  kind: LateKind;
  agencyId: string;
  /** The entry it is late against: the kick-off, the walk-through due date, the data due date. */
  entryId: string;
  /** From when it is late (ISO instant). */
  lateSince: string;
  /** data_missing: the month (yyyy-mm) or quarter (yyyy-Qn). */
  period?: string;
  description: string;
}

const dayAfter = (date: string) => `${addDays(date, 1)}T00:00:00.000Z`;

/** Late items of every admitted agency at `now`, by agency then date. */
export function lateAgainstPlan(plan: PlanState, collab: CollaborativeState, participations: Record<string, ParticipationState | undefined>, now: string): LateItem[] {
  if (plan.status === 'none' || collab.status === 'none') return [];
  const t = Date.parse(now);
  const byScope = new Map<string, PlanEntryState[]>();
  for (const e of Object.values(plan.entries)) if (e.status !== 'dropped') byScope.set(e.scope, [...(byScope.get(e.scope) ?? []), e]);
  const out: LateItem[] = [];
  for (const [agencyId, cohortId] of Object.entries(collab.enrolment)) {
    const p = participations[agencyId];
    if (p?.status !== 'admitted') continue;
    const scope = plan.scopes[cohortId] ? cohortId : 'collaborative';
    const item = (kind: LateKind, e: PlanEntryState, lateSince: string, description: string, period?: string): LateItem => ({
      itemId: `${kind}/${agencyId}/${e.entryId}`, kind, agencyId, entryId: e.entryId, lateSince, ...(period ? { period } : {}), description,
    });
    const items: LateItem[] = [];
    for (const e of byScope.get(scope) ?? []) {
      if (e.kind === 'kick_off_learning_session' && e.startsAt && Date.parse(e.startsAt) <= t && !p.baseline)
        items.push(item('baseline_missing', e, e.startsAt, `The baseline was due before the kick-off learning session of ${e.date}`));
      else if (e.kind === 'walk_through_due' && Date.parse(dayAfter(e.date)) <= t && !p.walkThroughSubmitted)
        items.push(item('walk_through_missing', e, dayAfter(e.date), `The walk-through was due on ${e.date}`));
      else if (e.kind === 'data_due' && e.period && Date.parse(dayAfter(e.date)) <= t && !p.months.includes(e.period))
        items.push(item('data_missing', e, dayAfter(e.date), `The data of ${e.period} was due on ${e.date}`, e.period));
    }
    out.push(...items.sort((a, b) => a.lateSince.localeCompare(b.lateSince) || a.kind.localeCompare(b.kind)));
  }
  return out;
}
