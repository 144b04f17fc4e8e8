// Issue 16: corrections of an agency's records, each its own event with a reason (the corrected
// event stays as recorded), validated like the command it corrects; and the completion rule.
import { requireWithinSpan } from '../collaborative/decide';
import type { OpenCollaborative } from '../collaborative/state';
import type { ChangeProjectState } from '../change-project/state';
import type { ChangeProjectEvent } from '../change-project/events';
import { periodBounds } from '../measures/periods';
import { localDates } from '../shared/business-dates';
import { conflict, DomainError, notFound, unprocessable } from '../shared/errors';
import type { Decision } from '../shared/types';
import type { ParticipationCommand } from './commands';
import type { ParticipationEvent } from './events';
import type { AdmittedParticipation, ParticipationState } from './state';

type Cmd<T extends ParticipationCommand['type']> = Extract<ParticipationCommand, { type: T }>['data'];
type Events = ParticipationEvent[];
interface Active {
  collab: OpenCollaborative;
  p: AdmittedParticipation;
  now: string;
}

/** The span moves like CorrectBaseline's: ended by today, before the first reported period. */
export function correctBaselinePeriod(d: Cmd<'CorrectBaselinePeriod'>, a: Active): Events {
  if (!a.p.baseline) return conflict('baseline_required', 'No baseline to correct');
  const span = d.baselinePeriod;
  if (span.from > span.to) return unprocessable('period_invalid', 'baselinePeriod.to must not be before baselinePeriod.from', 'baselinePeriod.to');
  if (span.to > a.now.slice(0, 10)) return unprocessable('period_in_future', 'The baseline period has not ended', 'baselinePeriod.to');
  const first = a.p.months.map((m) => periodBounds(m).from).sort()[0];
  if (first && span.to >= first) return unprocessable('period_not_after_baseline', `The baseline must end before ${first}, the first reported period`, 'baselinePeriod.to');
  if (span.from === a.p.baseline.from && span.to === a.p.baseline.to) return conflict('nothing_to_correct', 'This is the recorded baseline period', 'baselinePeriod');
  return [{ type: 'BaselinePeriodCorrected', data: { collaborativeId: d.collaborativeId, agencyId: d.agencyId, period: span, reason: d.reason } }];
}

/** As SubmitWalkThrough: within the span, not after today. */
export function correctWalkThrough(d: Cmd<'CorrectWalkThrough'>, a: Active): Events {
  if (!a.p.walkThroughSubmitted) return conflict('walk_through_not_submitted', 'No walk-through to correct');
  requireWithinSpan(a.collab, d.walkedThroughOn, 'walkedThroughOn');
  const today = localDates(a.now).latest;
  if (d.walkedThroughOn > today) return unprocessable('walk_through_in_future', `walkedThroughOn must not be after today (${today})`, 'walkedThroughOn');
  return [{ type: 'WalkThroughCorrected', data: d }];
}

/** A reviewer's own score, replaced whole (its total recomputed); before or after the decision. */
export function correctScore(d: Cmd<'CorrectApplicationScore'>, s: ParticipationState): Events {
  if (s.status === 'none') return notFound('application_not_found', 'No application from this agency');
  if (!s.reviewers.includes(d.reviewerId)) return notFound('score_not_found', 'This reviewer has not scored the application');
  const total = d.scores.reduce((sum, c) => sum + c.score, 0);
  return [{ type: 'ApplicationScoreCorrected', data: { ...d, total } }];
}

/** A removal names a holder; with a successor it is a reassignment (both events, one append). */
export function removeAgencyRole(d: Cmd<'RemoveAgencyRole'>, a: Active): Events {
  if (!(a.p.roles ?? []).includes(`${d.role}|${d.personId}`)) return notFound('role_holder_not_found', `${d.personId} does not hold the ${d.role} role at this agency`);
  const { successor, ...removal } = d;
  if (successor?.personId === d.personId) return unprocessable('successor_is_holder', 'The successor is the person removed', 'successor.personId');
  const removed: Events = [{ type: 'AgencyRoleRemoved', data: removal }];
  return successor
    ? [...removed, { type: 'AgencyRoleAssigned', data: { collaborativeId: d.collaborativeId, agencyId: d.agencyId, role: d.role, person: successor } }]
    : removed;
}

/**
 * Completion needs every change project of the agency completed or abandoned; with
 * `closeOpenProjects` the active ones are abandoned on their own streams in the same append (their
 * versions as read are its expected versions: a cycle logged meanwhile makes it decide again).
 */
export function complete(d: Cmd<'CompleteParticipation'>, a: Active, projects: Record<string, ChangeProjectState> = {}): Decision<ParticipationEvent> {
  requireWithinSpan(a.collab, d.completedOn, 'completedOn');
  const open = Object.entries(projects).flatMap(([streamId, p]) => (p.status === 'active' ? [{ streamId, projectId: p.projectId }] : []));
  if (open.length > 0 && !d.closeOpenProjects) {
    const ids = open.map((o) => o.projectId).sort();
    throw new DomainError(
      'conflict', 'change_projects_open',
      `Change projects still active: ${ids.join(', ')}. Complete or abandon them, or send closeOpenProjects: true`,
      'closeOpenProjects', ids.map((id) => ({ field: 'closeOpenProjects', message: `change project ${id} is active` })),
    );
  }
  const { closeOpenProjects: _close, ...completion } = d;
  const reason = `Closed when the agency completed the collaborative on ${d.completedOn}`;
  return {
    events: [{ type: 'ParticipationCompleted', data: completion }],
    also: open.map(({ streamId, projectId }) => ({
      streamId,
      events: [{ type: 'ChangeProjectAbandoned', data: { projectId, collaborativeId: d.collaborativeId, agencyId: d.agencyId, abandonedOn: d.completedOn, reason } } satisfies ChangeProjectEvent],
    })),
  };
}
