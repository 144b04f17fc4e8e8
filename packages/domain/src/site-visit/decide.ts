import { requireOpenCollaborative } from '../collaborative/decide';
import type { CollaborativeState } from '../collaborative/state';
import { requireActiveParticipation } from '../participation/decide';
import type { ParticipationState } from '../participation/state';
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

const schedule = (d: Cmd<'ScheduleSiteVisit'>, s: SiteVisitState, ctx: SiteVisitContext): Events => {
  const collab = requireOpenCollaborative(ctx.collaborative);
  requireActiveParticipation(ctx.participation);
  if (s.status !== 'none') return conflict('site_visit_exists', 'The site visit already exists', 'visitId');
  if (!collab.coaches.includes(d.coachId)) return unprocessable('not_a_coach', 'Not a coach of this collaborative', 'coachId');
  if (isBefore(d.scheduledAt, ctx.now)) return unprocessable('scheduled_in_past', 'The time has passed', 'scheduledAt');
  return [{ type: 'SiteVisitScheduled', data: d }];
};

const reschedule = (d: Cmd<'RescheduleSiteVisit'>, s: SiteVisitState, ctx: SiteVisitContext): Events => {
  const v = requireScheduled(s, ctx);
  if (isBefore(d.scheduledAt, ctx.now)) return unprocessable('scheduled_in_past', 'The time has passed', 'scheduledAt');
  const { visitId, collaborativeId, agencyId, scheduledAt } = v;
  return [{ type: 'SiteVisitRescheduled', data: { ...d, visitId, collaborativeId, agencyId, previousScheduledAt: scheduledAt } }];
};

const cancel = (d: Cmd<'CancelSiteVisit'>, s: SiteVisitState, ctx: SiteVisitContext): Events => {
  const { visitId, collaborativeId, agencyId } = requireScheduled(s, ctx);
  return [{ type: 'SiteVisitCancelled', data: { ...d, visitId, collaborativeId, agencyId } }];
};

const complete = (d: Cmd<'CompleteSiteVisit'>, s: SiteVisitState, ctx: SiteVisitContext): Events => {
  const v = requireScheduled(s, ctx);
  if (isBefore(ctx.now, v.scheduledAt)) return conflict('site_visit_not_started', 'The site visit has not taken place yet');
  const { visitId, collaborativeId, agencyId } = v;
  return [{ type: 'SiteVisitCompleted', data: { ...d, visitId, collaborativeId, agencyId } }];
};

export const decideSiteVisit = (command: SiteVisitCommand, state: SiteVisitState, ctx: SiteVisitContext): Events => {
  switch (command.type) {
    case 'ScheduleSiteVisit':
      return schedule(command.data, state, ctx);
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
