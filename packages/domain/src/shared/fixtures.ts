// Shared test data (tests only).
import type { CollaborativeEvent } from '../collaborative/events';
import { evolveCollaborative, initialCollaborativeState, type CollaborativeState } from '../collaborative/state';
import type { ParticipationEvent } from '../participation/events';
import { countsToValues } from '../measures/niatx';
import { catalogueFromTemplate } from '../measures/templates';
import { evolveParticipation, initialParticipationState, type ParticipationState } from '../participation/state';

export const NOW = '2025-06-15T12:00:00.000Z';
export const C1 = '11111111-1111-4111-8111-111111111111';
export const COHORT1 = '22222222-2222-4222-8222-222222222221';
export const COHORT2 = '22222222-2222-4222-8222-222222222222';
export const A1 = '33333333-3333-4333-8333-333333333331';
export const A2 = '33333333-3333-4333-8333-333333333332';
export const A3 = '33333333-3333-4333-8333-333333333333';
export const COACH = '44444444-4444-4444-8444-444444444441';
export const P1 = '55555555-5555-4555-8555-555555555551';
export const M1 = '66666666-6666-4666-8666-666666666661';
export const V1 = '77777777-7777-4777-8777-777777777771';
export const X1 = '88888888-8888-4888-8888-888888888881';

export const person = (personId: string) => ({ personId, name: 'Pat Doe', email: 'pat@example.org' });

export const launchData = {
  collaborativeId: C1,
  name: 'Access to treatment',
  aim: 'Cut days from first contact to treatment',
  convener: { organizationName: 'State SUD agency', contact: person(X1) },
  focusMeasures: ['waiting_time' as const, 'intake_no_show' as const],
  startsOn: '2025-01-01',
  endsOn: '2026-06-30',
  meetingCadence: 'monthly' as const,
  measureSettings: { continuationWindowsDays: [30, 60] as [number, number], continuationUnitThreshold: 4 },
};

export const launched: CollaborativeEvent = {
  type: 'CollaborativeLaunched',
  data: { ...launchData, measureTemplate: 'niatx', catalogue: catalogueFromTemplate('niatx', ['waiting_time', 'intake_no_show']) },
};
export const cohortOpened = (cohortId: string, sequence: number, capacity = 2): CollaborativeEvent => ({
  type: 'CohortOpened',
  data: { collaborativeId: C1, cohortId, name: `Cohort ${sequence}`, startsOn: `2025-0${sequence}-01`, capacity, sequence },
});
export const coachAppointed: CollaborativeEvent = { type: 'SystemRoleAppointed', data: { collaborativeId: C1, role: 'coach', person: person(COACH) } };
export const enrolled = (agencyId: string, cohortId = COHORT1): CollaborativeEvent => ({
  type: 'AgencyEnrolledInCohort',
  data: { collaborativeId: C1, cohortId, agencyId },
});
export const closed: CollaborativeEvent = { type: 'CollaborativeClosed', data: { collaborativeId: C1, closedOn: '2025-06-01' } };

export const collaborativeWith = (...events: CollaborativeEvent[]): CollaborativeState =>
  events.reduce(evolveCollaborative, initialCollaborativeState());

/** A launched collaborative with a coach, two cohorts, A1 in cohort 1 and A2 in cohort 2. */
export const openCollab = collaborativeWith(launched, coachAppointed, cohortOpened(COHORT1, 1), cohortOpened(COHORT2, 2), enrolled(A1), enrolled(A2, COHORT2));
export const closedCollab = collaborativeWith(launched, coachAppointed, cohortOpened(COHORT1, 1), enrolled(A1), closed);

export const applied = (agencyId: string): ParticipationEvent => ({
  type: 'ApplicationSubmitted',
  data: {
    collaborativeId: C1,
    agencyId,
    agencyName: 'Riverside Recovery',
    contact: { name: 'Sam Lee', email: 'sam@example.org' },
    proposal: 'We will cut our wait',
    submittedAt: NOW,
  },
});
export const admitted = (agencyId: string, cohortId = COHORT1): ParticipationEvent => ({
  type: 'AgencyAdmitted',
  data: { collaborativeId: C1, agencyId, cohortId },
});
export const counts = { clientsTreated: 10, totalDaysToTreatment: 120, intakeScheduled: 20, intakeNoShows: 5 };
export const baselineRecorded = (agencyId: string): ParticipationEvent => ({
  type: 'BaselineRecorded',
  data: { collaborativeId: C1, agencyId, period: { from: '2025-01-01', to: '2025-02-28' }, values: countsToValues(counts) },
});

export const participationWith = (...events: ParticipationEvent[]): ParticipationState =>
  events.reduce(evolveParticipation, initialParticipationState());
/** A1 admitted in cohort 1. */
export const activeA1 = participationWith(applied(A1), admitted(A1));
