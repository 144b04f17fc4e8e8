import { describe, it } from '@jest/globals';
import {
  A1, A2, A3, C1, COACH, COHORT1, COHORT2, NOW, X1,
  activeA1, admitted, applied, baselineRecorded, closedCollab, cohortOpened, collaborativeWith, counts,
  enrolled, launched, openCollab, participationWith, person,
} from '../shared/fixtures';
import { given } from '../shared/testing';
import { countsToValues } from '../measures/niatx';
import { streamIds } from '../shared/ids';
import type { ParticipationEvent } from './events';
import { participation } from './index';
import type { ParticipationContext } from './decide';

const ctx: ParticipationContext = { now: NOW, collaborative: openCollab };
const closedCtx: ParticipationContext = { now: NOW, collaborative: closedCollab };
const ids = { collaborativeId: C1, agencyId: A1 };
const application = { ...ids, agencyName: 'Riverside Recovery', contact: { name: 'Sam Lee', email: 'sam@example.org' }, proposal: 'We will cut our wait' };
const active = [applied(A1), admitted(A1)];
const withBaseline = [...active, baselineRecorded(A1)];
const month = (m: string): ParticipationEvent => ({ type: 'MonthlyMeasuresRecorded', data: { ...ids, month: m, values: countsToValues(counts) } });

describe('applications', () => {
  it('submits', () =>
    given(participation, [], ctx).when({ type: 'SubmitApplication', data: application }).then([{ type: 'ApplicationSubmitted', data: { ...application, submittedAt: NOW } }]));
  it('submits once', () => given(participation, [applied(A1)], ctx).when({ type: 'SubmitApplication', data: application }).thenFails('application_exists', 'conflict'));
  it('issue 16: an application recorded after the fact keeps the day it arrived, never after today', () => {
    given(participation, [], ctx).when({ type: 'SubmitApplication', data: { ...application, submittedOn: '2025-01-15' } })
      .then([{ type: 'ApplicationSubmitted', data: { ...application, submittedAt: '2025-01-15T00:00:00.000Z' } }]);
    // NOW is 2025-06-15T12:00Z: the widest local date (UTC+14) is still the 16th.
    given(participation, [], ctx).when({ type: 'SubmitApplication', data: { ...application, submittedOn: '2025-06-17' } }).thenFails('submitted_in_future', 'unprocessable', 'submittedOn');
  });
  it('needs a launched collaborative', () =>
    given(participation, [], { now: NOW, collaborative: collaborativeWith() }).when({ type: 'SubmitApplication', data: application }).thenFails('collaborative_not_found', 'not_found'));

  const scoring = { ...ids, reviewerId: X1, scores: [{ criterion: 'readiness', score: 7 }, { criterion: 'leadership', score: 8 }] };
  it('scores a pending application', () =>
    given(participation, [applied(A1)], ctx).when({ type: 'ScoreApplication', data: scoring }).then([{ type: 'ApplicationScored', data: { ...scoring, total: 15 } }]));
  it('scores once per reviewer', () =>
    given(participation, [applied(A1), { type: 'ApplicationScored', data: { ...scoring, total: 15 } }], ctx).when({ type: 'ScoreApplication', data: scoring }).thenFails('already_scored'));
  it('scores only a pending application', () =>
    given(participation, active, ctx).when({ type: 'ScoreApplication', data: scoring }).thenFails('application_not_pending', 'conflict'));
  it('scores only an existing application', () =>
    given(participation, [], ctx).when({ type: 'ScoreApplication', data: scoring }).thenFails('application_not_found', 'not_found'));

  it('declines a pending application', () =>
    given(participation, [applied(A1)], ctx).when({ type: 'DeclineApplication', data: { ...ids, reason: 'capacity' } }).then([{ type: 'ApplicationDeclined', data: { ...ids, reason: 'capacity' } }]));
  it('declines only a pending application', () =>
    given(participation, [applied(A1), { type: 'ApplicationDeclined', data: { ...ids, reason: 'x' } }], ctx)
      .when({ type: 'DeclineApplication', data: { ...ids, reason: 'again' } })
      .thenFails('application_not_pending'));
});

describe('admission', () => {
  const collab = collaborativeWith(launched, cohortOpened(COHORT1, 1, 2), cohortOpened(COHORT2, 2, 2));
  const admit = { collaborativeId: C1, agencyId: A3, cohortId: COHORT1 };
  it('admits into a cohort and enrols on the collaborative stream', () =>
    given(participation, [applied(A3)], { now: NOW, collaborative: collab })
      .when({ type: 'AdmitAgency', data: admit })
      .then([{ type: 'AgencyAdmitted', data: admit }], [{ streamId: streamIds.collaborative(C1), events: [{ type: 'AgencyEnrolledInCohort', data: admit }] }]));
  it('admits only a pending application', () =>
    given(participation, [applied(A3), admitted(A3)], { now: NOW, collaborative: collab }).when({ type: 'AdmitAgency', data: admit }).thenFails('application_not_pending'));
  it('admits into an existing cohort', () =>
    given(participation, [applied(A3)], { now: NOW, collaborative: collaborativeWith(launched) }).when({ type: 'AdmitAgency', data: admit }).thenFails('cohort_not_found', 'unprocessable', 'cohortId'));
  it('never exceeds a cohort capacity', () =>
    given(participation, [applied(A3)], { now: NOW, collaborative: collaborativeWith(launched, cohortOpened(COHORT1, 1, 2), enrolled(A1), enrolled(A2)) })
      .when({ type: 'AdmitAgency', data: admit })
      .thenFails('cohort_full', 'conflict'));
  it('keeps an agency in one cohort', () =>
    given(participation, [applied(A3)], { now: NOW, collaborative: collaborativeWith(launched, cohortOpened(COHORT1, 1), cohortOpened(COHORT2, 2), enrolled(A3, COHORT2)) })
      .when({ type: 'AdmitAgency', data: admit })
      .thenFails('agency_already_in_cohort'));
});

/** The NIATx count commands write values of the niatx catalogue (issue 15). */
const legacyData = (d: object) => {
  if (!('counts' in d)) return d;
  const { counts: c, ...rest } = d as { counts: typeof counts };
  return { ...rest, values: countsToValues(c) };
};

describe('an admitted, active agency', () => {
  const simple = [
    { type: 'WithdrawAgency', data: { ...ids, withdrawnOn: '2025-06-01' } },
    { type: 'AssignAgencyRole', data: { ...ids, role: 'change_leader', person: person(X1) } },
    { type: 'AssignCoach', data: { ...ids, coachId: COACH } },
    { type: 'SubmitWalkThrough', data: { ...ids, walkedThroughOn: '2025-02-10', findings: 'Long intake paperwork' } },
    { type: 'RecordBaseline', data: { ...ids, period: { from: '2025-01-01', to: '2025-02-28' }, counts } },
    { type: 'RecordCoachingNote', data: { ...ids, coachId: COACH, coachedOn: '2025-03-03', assistance: 'Flowcharting' } },
    { type: 'CompleteParticipation', data: { ...ids, completedOn: '2025-06-01' } },
  ] as const;
  const eventType = {
    WithdrawAgency: 'AgencyWithdrawn',
    AssignAgencyRole: 'AgencyRoleAssigned',
    AssignCoach: 'CoachAssigned',
    SubmitWalkThrough: 'WalkThroughSubmitted',
    RecordBaseline: 'BaselineRecorded',
    RecordCoachingNote: 'CoachingNoteRecorded',
    CompleteParticipation: 'ParticipationCompleted',
  } as const;
  it.each(simple)('$type', (command) =>
    given(participation, active, ctx).when(command).then([{ type: eventType[command.type], data: legacyData(command.data) } as ParticipationEvent]));
  it.each(simple)('$type refused before admission', (command) => given(participation, [applied(A1)], ctx).when(command).thenFails('agency_not_admitted', 'conflict'));
  it.each(simple)('$type refused after withdrawal', (command) =>
    given(participation, [...active, { type: 'AgencyWithdrawn', data: { ...ids, withdrawnOn: '2025-05-01' } }], ctx).when(command).thenFails('agency_withdrawn'));
  it.each(simple)('$type refused after completion', (command) =>
    given(participation, [...active, { type: 'ParticipationCompleted', data: { ...ids, completedOn: '2025-05-01' } }], ctx).when(command).thenFails('participation_completed'));
  it.each(simple)('$type refused for an unknown agency', (command) => given(participation, [], ctx).when(command).thenFails('participation_not_found', 'not_found'));
  it.each(simple)('$type refused in a closed collaborative', (command) => given(participation, active, closedCtx).when(command).thenFails('collaborative_closed'));

  it('coach must be a coach of the collaborative', () =>
    given(participation, active, ctx).when({ type: 'AssignCoach', data: { ...ids, coachId: X1 } }).thenFails('not_a_coach', 'unprocessable', 'coachId'));
  it('coaching notes only from a coach of the collaborative', () =>
    given(participation, active, ctx)
      .when({ type: 'RecordCoachingNote', data: { ...ids, coachId: X1, coachedOn: '2025-03-03', assistance: 'x' } })
      .thenFails('not_a_coach'));
  it('submits the walk-through once', () =>
    given(participation, [...active, { type: 'WalkThroughSubmitted', data: { ...ids, walkedThroughOn: '2025-02-01', findings: 'x' } }], ctx)
      .when(simple[3])
      .thenFails('walk_through_already_submitted'));
  it('issue 16 past: a walk-through dated after today is refused, naming walkedThroughOn and today', () =>
    given(participation, active, ctx)
      .when({ type: 'SubmitWalkThrough', data: { ...ids, walkedThroughOn: '2025-06-17', findings: 'Long intake paperwork' } })
      .thenFails('walk_through_in_future', 'unprocessable', 'walkedThroughOn'));
  it('issue 16 past: a walk-through of months ago is accepted', () =>
    given(participation, active, ctx)
      .when({ type: 'SubmitWalkThrough', data: { ...ids, walkedThroughOn: '2025-01-20', findings: 'Long intake paperwork' } })
      .then([{ type: 'WalkThroughSubmitted', data: { ...ids, walkedThroughOn: '2025-01-20', findings: 'Long intake paperwork' } }]));
});

describe('measures', () => {
  const baseline = { ...ids, period: { from: '2025-01-01', to: '2025-02-28' }, counts };
  it('records the baseline once', () => given(participation, withBaseline, ctx).when({ type: 'RecordBaseline', data: baseline }).thenFails('baseline_already_recorded'));
  it('refuses a baseline period that has not ended', () =>
    given(participation, active, ctx).when({ type: 'RecordBaseline', data: { ...baseline, period: { from: '2025-06-01', to: '2025-07-31' } } }).thenFails('period_in_future', 'unprocessable', 'period.to'));
  it('requires the focus measures', () =>
    given(participation, active, ctx).when({ type: 'RecordBaseline', data: { ...baseline, counts: { admissions: 4 } } }).thenFails('focus_measure_missing', 'unprocessable', 'counts.clientsTreated'));

  const march = { ...ids, month: '2025-03', counts };
  it('records a month after the baseline', () =>
    given(participation, withBaseline, ctx).when({ type: 'RecordMonthlyMeasures', data: march }).then([{ type: 'MonthlyMeasuresRecorded', data: { ...ids, month: '2025-03', values: countsToValues(counts) } }]));
  it('needs the baseline first', () => given(participation, active, ctx).when({ type: 'RecordMonthlyMeasures', data: march }).thenFails('baseline_required', 'conflict'));
  it('records a month once', () => given(participation, [...withBaseline, month('2025-03')], ctx).when({ type: 'RecordMonthlyMeasures', data: march }).thenFails('month_already_recorded', 'conflict', 'month'));
  it('refuses a month inside the baseline', () =>
    given(participation, withBaseline, ctx).when({ type: 'RecordMonthlyMeasures', data: { ...march, month: '2025-02' } }).thenFails('month_not_after_baseline'));
  it('refuses a future month', () =>
    given(participation, withBaseline, ctx).when({ type: 'RecordMonthlyMeasures', data: { ...march, month: '2025-07' } }).thenFails('month_in_future'));
  it('refuses monthly measures of a withdrawn agency', () =>
    given(participation, [...withBaseline, { type: 'AgencyWithdrawn', data: { ...ids, withdrawnOn: '2025-03-01' } }], ctx)
      .when({ type: 'RecordMonthlyMeasures', data: march })
      .thenFails('agency_withdrawn'));

  const correction = { ...march, counts: { ...counts, intakeNoShows: 4 }, reason: 'late data' };
  it('corrects a recorded month', () =>
    given(participation, [...withBaseline, month('2025-03')], ctx).when({ type: 'CorrectMonthlyMeasures', data: correction }).then([{ type: 'MonthlyMeasuresCorrected', data: { ...ids, month: '2025-03', values: countsToValues(correction.counts), reason: 'late data' } }]));
  it('corrects only a recorded month', () =>
    given(participation, withBaseline, ctx).when({ type: 'CorrectMonthlyMeasures', data: correction }).thenFails('month_not_recorded'));
});

describe('peer mentor', () => {
  const mentee = participationWith(applied(A2), admitted(A2, COHORT2));
  const menteeEvents = [applied(A2), admitted(A2, COHORT2)];
  const assign = { collaborativeId: C1, agencyId: A2, mentorAgencyId: A1 };
  it('is an agency of an earlier cohort', () =>
    given(participation, menteeEvents, { ...ctx, mentor: activeA1 })
      .when({ type: 'AssignPeerMentor', data: assign })
      .then([{ type: 'PeerMentorAssigned', data: { ...assign, mentorCohortId: COHORT1 } }]));
  it('may have completed', () =>
    given(participation, menteeEvents, { ...ctx, mentor: participationWith(applied(A1), admitted(A1), { type: 'ParticipationCompleted', data: { ...ids, completedOn: '2025-05-01' } }) })
      .when({ type: 'AssignPeerMentor', data: assign })
      .then([{ type: 'PeerMentorAssigned', data: { ...assign, mentorCohortId: COHORT1 } }]));
  it('is not the mentee', () =>
    given(participation, menteeEvents, { ...ctx, mentor: mentee })
      .when({ type: 'AssignPeerMentor', data: { ...assign, mentorAgencyId: A2 } })
      .thenFails('mentor_is_mentee', 'unprocessable', 'mentorAgencyId'));
  it('is not from the same or a later cohort', () =>
    given(participation, active, { ...ctx, mentor: mentee })
      .when({ type: 'AssignPeerMentor', data: { collaborativeId: C1, agencyId: A1, mentorAgencyId: A2 } })
      .thenFails('mentor_not_from_earlier_cohort'));
  it('is admitted or completed, not withdrawn', () =>
    given(participation, menteeEvents, { ...ctx, mentor: participationWith(applied(A1), admitted(A1), { type: 'AgencyWithdrawn', data: { ...ids, withdrawnOn: '2025-05-01' } }) })
      .when({ type: 'AssignPeerMentor', data: assign })
      .thenFails('mentor_not_eligible'));
  it('is an agency of the collaborative', () =>
    given(participation, menteeEvents, { ...ctx, mentor: participationWith() }).when({ type: 'AssignPeerMentor', data: assign }).thenFails('mentor_not_eligible'));
});

