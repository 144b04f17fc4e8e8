// Issue 16: corrections of the collaborative's own records, each its own event with a reason
// (the corrected event stays as recorded), validated like the command it corrects.
import { conflict, notFound, unprocessable } from '../shared/errors';
import type { CollaborativeCommand } from './commands';
import type { CollaborativeEvent } from './events';
import type { CollaborativeState } from './state';
import { requireOpenCollaborative } from './decide';
import { localDates } from '../shared/business-dates';
import type { MeetingState } from '../meeting/state';
import type { SiteVisitState } from '../site-visit/state';

/** The collaborative's meetings and site visits by stream id (CorrectCollaborativeDates only, found by a store query). */
export interface CollaborativeContext {
  now: string;
  meetings?: Record<string, MeetingState>;
  visits?: Record<string, SiteVisitState>;
}

type Cmd<T extends CollaborativeCommand['type']> = Extract<CollaborativeCommand, { type: T }>['data'];
type Events = CollaborativeEvent[];

/**
 * New dates keep every cohort, meeting and site visit (not cancelled) inside the span, compared on
 * the widest local dates as when they were scheduled; the refusal names the bound and what lies
 * outside. Other dated records (walk-throughs, notes, projects, submissions) keep their dates and
 * are not re-checked; the new span bounds what is recorded from then on.
 */
export const correctDates = (d: Cmd<'CorrectCollaborativeDates'>, state: CollaborativeState, ctx?: CollaborativeContext): Events => {
  const s = requireOpenCollaborative(state);
  const starts = Object.values(s.cohorts).map((c) => c.startsOn).sort();
  const first = starts[0];
  const last = starts.at(-1);
  if (first && d.startsOn > first)
    return unprocessable('cohort_outside_dates', `startsOn must not be after ${first}, when the first cohort starts`, 'startsOn');
  if (last && d.endsOn < last) return unprocessable('cohort_outside_dates', `endsOn must not be before ${last}, when the last cohort starts`, 'endsOn');
  const dated = [
    ...Object.values(ctx?.meetings ?? {}).flatMap((m) => (m.status === 'none' || m.status === 'cancelled' ? [] : [{ what: `meeting ${m.meetingId}`, at: m.startsAt }])),
    ...Object.values(ctx?.visits ?? {}).flatMap((v) => (v.status === 'none' || v.status === 'cancelled' ? [] : [{ what: `site visit ${v.visitId}`, at: v.scheduledAt }])),
  ];
  const before = dated.find((x) => localDates(x.at).latest < d.startsOn);
  if (before) return unprocessable('record_outside_dates', `startsOn must not be after ${localDates(before.at).latest}: ${before.what} takes place at ${before.at}`, 'startsOn');
  const after = dated.find((x) => localDates(x.at).earliest > d.endsOn);
  if (after) return unprocessable('record_outside_dates', `endsOn must not be before ${localDates(after.at).earliest}: ${after.what} takes place at ${after.at}`, 'endsOn');
  if (d.startsOn === s.startsOn && d.endsOn === s.endsOn) return conflict('nothing_to_correct', 'These are the recorded dates', 'startsOn');
  return [{ type: 'CollaborativeDatesCorrected', data: d }];
};

export const changeCadence = (d: Cmd<'ChangeMeetingCadence'>, state: CollaborativeState): Events => {
  requireOpenCollaborative(state);
  return [{ type: 'MeetingCadenceChanged', data: d }];
};

/** A removal names a holder; with a successor it is a reassignment (both events, one append). */
export const removeSystemRole = (d: Cmd<'RemoveSystemRole'>, state: CollaborativeState): Events => {
  const s = requireOpenCollaborative(state);
  if (!s.staff.includes(`${d.role}|${d.personId}`)) return notFound('role_holder_not_found', `${d.personId} does not hold the ${d.role} role`);
  const { successor, ...removal } = d;
  if (successor?.personId === d.personId) return unprocessable('successor_is_holder', 'The successor is the person removed', 'successor.personId');
  const removed: Events = [{ type: 'SystemRoleRemoved', data: removal }];
  return successor ? [...removed, { type: 'SystemRoleAppointed', data: { collaborativeId: d.collaborativeId, role: d.role, person: successor } }] : removed;
};

const requireLiveExpenditure = (s: { expenditures: string[]; voided: string[] }, expenditureId: string) => {
  if (!s.expenditures.includes(expenditureId)) return notFound('expenditure_not_found', 'No such expenditure');
  if (s.voided.includes(expenditureId)) return conflict('expenditure_voided', 'The expenditure is voided', 'expenditureId');
};

/** The whole record as it should have been (amount, category, date, note), like RecordExpenditure. */
export const correctExpenditure = (d: Cmd<'CorrectExpenditure'>, state: CollaborativeState): Events => {
  requireLiveExpenditure(requireOpenCollaborative(state), d.expenditureId);
  return [{ type: 'ExpenditureCorrected', data: d }];
};

export const voidExpenditure = (d: Cmd<'VoidExpenditure'>, state: CollaborativeState): Events => {
  requireLiveExpenditure(requireOpenCollaborative(state), d.expenditureId);
  return [{ type: 'ExpenditureVoided', data: d }];
};

/** A category's budget; a later one replaces it. */
export const setBudget = (d: Cmd<'SetBudget'>, state: CollaborativeState): Events => {
  requireOpenCollaborative(state);
  return [{ type: 'BudgetSet', data: d }];
};
