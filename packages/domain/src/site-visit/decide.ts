import { requireOpenCollaborative } from '../collaborative/decide';
import type { CollaborativeState } from '../collaborative/state';
import { requireActiveParticipation } from '../participation/decide';
import type { ParticipationState } from '../participation/state';
import { localDates, requireInstantWithinSpan, requireNotAfterNow } from '../shared/business-dates';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { assertNever, type BaseContext } from '../shared/types';
import type { SiteVisitCommand } from './commands';
import type { SiteVisitEvent } from './events';
import type { SiteVisitState } from './state';

export interface SiteVisitContext extends BaseContext {
  collaborative?: CollaborativeState;
  /** The visited agency's participation (ScheduleSiteVisit only). */
  participation?: ParticipationState;
}
type Cmd<T extends SiteVisitCommand['type']> = Extract<SiteVisitCommand, { type: T }>['data'];
type Events = SiteVisitEvent[];

const isBefore = (a: string, b: string) => Date.parse(a) < Date.parse(b);

const requireScheduled = (s: SiteVisitState, ctx: SiteVisitContext) => {
  if (s.status === 'none') return notFound('site_visit_not_found', 'No such site visit');
  requireOpenCollaborative(ctx.collaborative);
  if (s.status !== 'scheduled') return conflict(`site_visit_${s.status}`, `The site visit is ${s.status}`);
  return s;
};

const requireVisitable = (d: { coachId: string }, s: SiteVisitState, ctx: SiteVisitContext) => {
  const collab = requireOpenCollaborative(ctx.collaborative);
  requireActiveParticipation(ctx.participation);
  if (s.status !== 'none') return conflict('site_visit_exists', 'The site visit already exists', 'visitId');
  if (!collab.coaches.includes(d.coachId)) return unprocessable('not_a_coach', 'Not a coach of this collaborative', 'coachId');
  return collab;
};

/** The report's date lies between the visit's own date and today (a visit is not completed before it took place). */
const requireCompletedOn = (completedOn: string, visitedAt: string, now: string) => {
  const { earliest } = localDates(visitedAt);
  if (completedOn < earliest) unprocessable('completed_before_visit', `completedOn must not be before the visit (${earliest})`, 'completedOn');
  // Today anywhere: the recorder's local date may be ahead of UTC.
  const today = localDates(now).latest;
  if (completedOn > today) unprocessable('completed_in_future', `completedOn must not be after today (${today})`, 'completedOn');
};

/** Scheduling is for what is still ahead: only a new visit whose time has passed is refused. */
const schedule = (d: Cmd<'ScheduleSiteVisit'>, s: SiteVisitState, ctx: SiteVisitContext): Events => {
  const collab = requireVisitable(d, s, ctx);
  if (isBefore(d.scheduledAt, ctx.now)) return unprocessable('scheduled_in_past', `scheduledAt must not be before now (${ctx.now}); record a visit that took place as held`, 'scheduledAt');
  requireInstantWithinSpan(collab, d.scheduledAt, 'scheduledAt');
  return [{ type: 'SiteVisitScheduled', data: d }];
};

/**
 * A visit recorded after the fact emits what a live one leaves behind (scheduled at `heldAt`, then
 * completed): stored events keep their shape and every reader, the reminder planner included (it plans
 * only reminders still ahead), treats it as a visit that took place.
 */
const recordHeld = (d: Cmd<'RecordHeldSiteVisit'>, s: SiteVisitState, ctx: SiteVisitContext): Events => {
  const collab = requireVisitable(d, s, ctx);
  requireNotAfterNow(d.heldAt, ctx.now, 'heldAt');
  requireInstantWithinSpan(collab, d.heldAt, 'heldAt');
  requireCompletedOn(d.completedOn, d.heldAt, ctx.now);
  const { visitId, collaborativeId, agencyId, coachId, heldAt, agenda, completedOn, summary } = d;
  return [
    { type: 'SiteVisitScheduled', data: { visitId, collaborativeId, agencyId, coachId, scheduledAt: heldAt, agenda } },
    { type: 'SiteVisitCompleted', data: { visitId, collaborativeId, agencyId, completedOn, summary } },
  ];
};

const reschedule = (d: Cmd<'RescheduleSiteVisit'>, s: SiteVisitState, ctx: SiteVisitContext): Events => {
  const v = requireScheduled(s, ctx);
  if (isBefore(d.scheduledAt, ctx.now)) return unprocessable('scheduled_in_past', `scheduledAt must not be before now (${ctx.now})`, 'scheduledAt');
  requireInstantWithinSpan(requireOpenCollaborative(ctx.collaborative), d.scheduledAt, 'scheduledAt');
  const { visitId, collaborativeId, agencyId, scheduledAt } = v;
  return [{ type: 'SiteVisitRescheduled', data: { ...d, visitId, collaborativeId, agencyId, previousScheduledAt: scheduledAt } }];
};

const cancel = (d: Cmd<'CancelSiteVisit'>, s: SiteVisitState, ctx: SiteVisitContext): Events => {
  const { visitId, collaborativeId, agencyId } = requireScheduled(s, ctx);
  return [{ type: 'SiteVisitCancelled', data: { ...d, visitId, collaborativeId, agencyId } }];
};

const complete = (d: Cmd<'CompleteSiteVisit'>, s: SiteVisitState, ctx: SiteVisitContext): Events => {
  const v = requireScheduled(s, ctx);
  if (isBefore(ctx.now, v.scheduledAt)) return conflict('site_visit_not_started', `The site visit is at ${v.scheduledAt}; it has not taken place yet`);
  requireCompletedOn(d.completedOn, v.scheduledAt, ctx.now);
  const { visitId, collaborativeId, agencyId } = v;
  return [{ type: 'SiteVisitCompleted', data: { ...d, visitId, collaborativeId, agencyId } }];
};

export const decideSiteVisit = (command: SiteVisitCommand, state: SiteVisitState, ctx: SiteVisitContext): Events => {
  switch (command.type) {
    case 'ScheduleSiteVisit':
      return schedule(command.data, state, ctx);
    case 'RecordHeldSiteVisit':
      return recordHeld(command.data, state, ctx);
    case 'RescheduleSiteVisit':
      return reschedule(command.data, state, ctx);
    case 'CancelSiteVisit':
      return cancel(command.data, state, ctx);
    case 'CompleteSiteVisit':
      return complete(command.data, state, ctx);
    default:
      return assertNever(command);
  }
};
