import { requireOpenCollaborative, requireWithinSpan } from '../collaborative/decide';
import { localDates } from '../shared/business-dates';
import type { CollaborativeState, OpenCollaborative } from '../collaborative/state';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { streamIds } from '../shared/ids';
import { isFocusMeasure, missingFocusMeasures, measureGroups, type MeasureCounts } from '../shared/measures';
import * as sub from './submissions';
import { assertNever, type BaseContext, type Decision } from '../shared/types';
import type { ParticipationCommand } from './commands';
import type { ParticipationEvent } from './events';
import type { AdmittedParticipation, ParticipationState } from './state';

export interface ParticipationContext extends BaseContext {
  collaborative?: CollaborativeState;
  /** The proposed peer mentor's participation (AssignPeerMentor only), in mentorCollaborativeId when given. */
  mentor?: ParticipationState;
  /** The mentor's collaborative, when it is another one (AssignPeerMentor with mentorCollaborativeId). */
  mentorCollaborative?: CollaborativeState;
}
type Cmd<T extends ParticipationCommand['type']> = Extract<ParticipationCommand, { type: T }>['data'];
type Events = ParticipationEvent[];

const requirePending = (state: ParticipationState) => {
  if (state.status === 'none') return notFound('application_not_found', 'No application from this agency');
  if (state.status !== 'applied') return conflict('application_not_pending', `The application is ${state.status}`);
  return state;
};

/** Admitted and neither withdrawn nor completed. */
export const requireActiveParticipation = (state: ParticipationState | undefined): AdmittedParticipation => {
  if (!state || state.status === 'none') return notFound('participation_not_found', 'The agency is not in this collaborative');
  if (state.status === 'withdrawn') return conflict('agency_withdrawn', 'The agency has withdrawn');
  if (state.status === 'completed') return conflict('participation_completed', 'The agency has completed');
  if (state.status !== 'admitted') return conflict('agency_not_admitted', 'The agency is not admitted');
  return state;
};

const requireCoach = (collab: OpenCollaborative, coachId: string) => {
  if (!collab.coaches.includes(coachId)) unprocessable('not_a_coach', 'Not a coach of this collaborative', 'coachId');
};

const requireFocusMeasures = (collab: OpenCollaborative, counts: MeasureCounts) => {
  const [missing] = missingFocusMeasures(counts, collab.focusMeasures.filter(isFocusMeasure));
  if (missing) unprocessable('focus_measure_missing', `Focus measure ${missing} is missing`, `counts.${measureGroups[missing][0]}`);
};

const submit = (d: Cmd<'SubmitApplication'>, s: ParticipationState, ctx: ParticipationContext): Events => {
  requireOpenCollaborative(ctx.collaborative);
  if (s.status !== 'none') return conflict('application_exists', 'This agency has already applied');
  return [{ type: 'ApplicationSubmitted', data: { ...d, submittedAt: ctx.now } }];
};

const score = (d: Cmd<'ScoreApplication'>, s: ParticipationState, ctx: ParticipationContext): Events => {
  requireOpenCollaborative(ctx.collaborative);
  const p = requirePending(s);
  if (p.reviewers.includes(d.reviewerId)) return conflict('already_scored', 'This reviewer already scored the application', 'reviewerId');
  const total = d.scores.reduce((sum, c) => sum + c.score, 0);
  return [{ type: 'ApplicationScored', data: { ...d, total } }];
};

const admit = (d: Cmd<'AdmitAgency'>, s: ParticipationState, ctx: ParticipationContext): Decision<ParticipationEvent> => {
  const collab = requireOpenCollaborative(ctx.collaborative);
  requirePending(s);
  const cohort = collab.cohorts[d.cohortId];
  if (!cohort) return unprocessable('cohort_not_found', 'No such cohort in this collaborative', 'cohortId');
  if (collab.enrolment[d.agencyId]) return conflict('agency_already_in_cohort', 'The agency is already in a cohort');
  if (cohort.members.length >= cohort.capacity) return conflict('cohort_full', 'The cohort is full', 'cohortId');
  return {
    events: [{ type: 'AgencyAdmitted', data: d }],
    also: [{ streamId: streamIds.collaborative(d.collaborativeId), events: [{ type: 'AgencyEnrolledInCohort', data: d }] }],
  };
};

const decline = (d: Cmd<'DeclineApplication'>, s: ParticipationState, ctx: ParticipationContext): Events => {
  requireOpenCollaborative(ctx.collaborative);
  requirePending(s);
  return [{ type: 'ApplicationDeclined', data: d }];
};

/** Most commands: open collaborative and an active participation. */
const active = (s: ParticipationState, ctx: ParticipationContext) => ({
  collab: requireOpenCollaborative(ctx.collaborative),
  p: requireActiveParticipation(s),
});

const submitting = (s: ParticipationState, ctx: ParticipationContext): sub.Active => ({ ...active(s, ctx), today: ctx.now.slice(0, 10), now: ctx.now });

const sameConvener = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * A mentor has gone through the model before: admitted or completed in an earlier cohort of this
 * collaborative, or (issue 16) in a cohort of another collaborative of the same convener that began
 * before the mentee's cohort.
 */
const assignPeerMentor = (d: Cmd<'AssignPeerMentor'>, s: ParticipationState, ctx: ParticipationContext): Events => {
  const { collab, p } = active(s, ctx);
  if (d.mentorAgencyId === d.agencyId) return unprocessable('mentor_is_mentee', 'An agency cannot mentor itself', 'mentorAgencyId');
  const mentor = ctx.mentor;
  if (!mentor || (mentor.status !== 'admitted' && mentor.status !== 'completed'))
    return unprocessable('mentor_not_eligible', 'The mentor must be an admitted or completed agency', 'mentorAgencyId');
  const menteeCohort = collab.cohorts[p.cohortId];
  const elsewhere = d.mentorCollaborativeId !== undefined && d.mentorCollaborativeId !== d.collaborativeId;
  if (elsewhere) {
    const other = ctx.mentorCollaborative;
    if (!other || other.status === 'none') return unprocessable('mentor_not_eligible', 'No such collaborative', 'mentorCollaborativeId');
    if (!sameConvener(other.convener, collab.convener))
      return unprocessable('mentor_other_convener', 'The mentor must come from a collaborative of the same convener', 'mentorCollaborativeId');
    const mentorCohort = other.cohorts[mentor.cohortId];
    if (!mentorCohort || !menteeCohort || mentorCohort.startsOn >= menteeCohort.startsOn)
      return unprocessable('mentor_not_from_earlier_cohort', "The mentor's cohort must have begun before the mentee's", 'mentorAgencyId');
    return [{ type: 'PeerMentorAssigned', data: { collaborativeId: d.collaborativeId, agencyId: d.agencyId, mentorAgencyId: d.mentorAgencyId, mentorCohortId: mentor.cohortId, mentorCollaborativeId: d.mentorCollaborativeId } }];
  }
  const mentorCohort = collab.cohorts[mentor.cohortId];
  if (!mentorCohort || !menteeCohort || mentorCohort.sequence >= menteeCohort.sequence)
    return unprocessable('mentor_not_from_earlier_cohort', 'The mentor must be from an earlier cohort', 'mentorAgencyId');
  const { mentorCollaborativeId: _same, ...data } = d;
  return [{ type: 'PeerMentorAssigned', data: { ...data, mentorCohortId: mentor.cohortId } }];
};

const recordBaseline = (d: Cmd<'RecordBaseline'>, s: ParticipationState, ctx: ParticipationContext): Events => {
  const { collab, p } = active(s, ctx);
  if (p.baseline) return conflict('baseline_already_recorded', 'The baseline is already recorded');
  if (d.period.to > ctx.now.slice(0, 10)) return unprocessable('period_in_future', 'The baseline period has not ended', 'period.to');
  requireFocusMeasures(collab, d.counts);
  const { counts, ...rest } = d;
  return [{ type: 'BaselineRecorded', data: { ...rest, values: sub.legacyValues(collab, counts, 'baseline') } }];
};

const recordMonth = (d: Cmd<'RecordMonthlyMeasures'>, s: ParticipationState, ctx: ParticipationContext): Events => {
  const { collab, p } = active(s, ctx);
  if (!p.baseline) return conflict('baseline_required', 'Record the baseline before monthly measures');
  if (p.months.includes(d.month)) return conflict('month_already_recorded', 'This month is recorded; correct it instead', 'month');
  if (d.month <= p.baseline.to.slice(0, 7)) return unprocessable('month_not_after_baseline', 'The month must follow the baseline period', 'month');
  if (d.month > ctx.now.slice(0, 7)) return unprocessable('month_in_future', 'The month has not started', 'month');
  requireFocusMeasures(collab, d.counts);
  const { counts, ...rest } = d;
  return [{ type: 'MonthlyMeasuresRecorded', data: { ...rest, values: sub.legacyValues(collab, counts, 'monthly') } }];
};

const correctMonth = (d: Cmd<'CorrectMonthlyMeasures'>, s: ParticipationState, ctx: ParticipationContext): Events => {
  const { collab, p } = active(s, ctx);
  if (!p.months.includes(d.month)) return conflict('month_not_recorded', 'This month was never recorded', 'month');
  requireFocusMeasures(collab, d.counts);
  const { counts, ...rest } = d;
  return [{ type: 'MonthlyMeasuresCorrected', data: { ...rest, values: sub.legacyValues(collab, counts, 'monthly') } }];
};

export const decideParticipation = (
  command: ParticipationCommand,
  state: ParticipationState,
  ctx: ParticipationContext,
): Decision<ParticipationEvent> => {
  switch (command.type) {
    case 'SubmitApplication':
      return submit(command.data, state, ctx);
    case 'ScoreApplication':
      return score(command.data, state, ctx);
    case 'AdmitAgency':
      return admit(command.data, state, ctx);
    case 'DeclineApplication':
      return decline(command.data, state, ctx);
    case 'WithdrawAgency':
      requireWithinSpan(active(state, ctx).collab, command.data.withdrawnOn, 'withdrawnOn');
      return [{ type: 'AgencyWithdrawn', data: command.data }];
    case 'AssignAgencyRole':
      active(state, ctx);
      return [{ type: 'AgencyRoleAssigned', data: command.data }];
    case 'AssignCoach':
      requireCoach(active(state, ctx).collab, command.data.coachId);
      return [{ type: 'CoachAssigned', data: command.data }];
    case 'AssignPeerMentor':
      return assignPeerMentor(command.data, state, ctx);
    case 'SubmitWalkThrough': {
      const { collab, p } = active(state, ctx);
      if (p.walkThroughSubmitted) return conflict('walk_through_already_submitted', 'The walk-through is already submitted');
      requireWithinSpan(collab, command.data.walkedThroughOn, 'walkedThroughOn');
      // Issue 16: a walk-through is submitted with its findings, so it has taken place (today anywhere at the latest).
      const today = localDates(ctx.now).latest;
      if (command.data.walkedThroughOn > today)
        return unprocessable('walk_through_in_future', `walkedThroughOn must not be after today (${today})`, 'walkedThroughOn');
      return [{ type: 'WalkThroughSubmitted', data: command.data }];
    }
    case 'RecordBaseline':
      return recordBaseline(command.data, state, ctx);
    case 'RecordMonthlyMeasures':
      return recordMonth(command.data, state, ctx);
    case 'CorrectMonthlyMeasures':
      return correctMonth(command.data, state, ctx);
    case 'SaveMeasuresDraft':
      return sub.saveDraft(command.data, submitting(state, ctx));
    case 'SubmitMeasures':
      return sub.submit(command.data, submitting(state, ctx));
    case 'CorrectBaseline':
      return sub.correctBaseline(command.data, submitting(state, ctx));
    case 'CorrectMeasures':
      return sub.correctPeriod(command.data, submitting(state, ctx));
    case 'AssessProgress':
      return sub.assess(command.data, submitting(state, ctx));
    case 'RecordCoachingNote':
      requireCoach(active(state, ctx).collab, command.data.coachId);
      requireWithinSpan(active(state, ctx).collab, command.data.coachedOn, 'coachedOn');
      return [{ type: 'CoachingNoteRecorded', data: command.data }];
    case 'CompleteParticipation':
      requireWithinSpan(active(state, ctx).collab, command.data.completedOn, 'completedOn');
      return [{ type: 'ParticipationCompleted', data: command.data }];
    default:
      return assertNever(command);
  }
};
