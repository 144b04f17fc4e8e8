// Issue 16: a peer mentor from an earlier collaborative of the same convener.
import { describe, it } from '@jest/globals';
import { evolveCollaborative, initialCollaborativeState, type CollaborativeState } from '../collaborative/state';
import type { CollaborativeEvent } from '../collaborative/events';
import { A1, A2, C1, COHORT2, NOW, admitted, applied, launched, openCollab, participationWith } from '../shared/fixtures';
import { given } from '../shared/testing';
import type { ParticipationContext } from './decide';
import type { ParticipationEvent } from './events';
import { participation } from './index';

const C0 = '11111111-1111-4111-8111-111111111110';
const K0 = '22222222-2222-4222-8222-222222222220';
/** An earlier collaborative of the same convener: its cohort began 2024-03-01 (the mentee's cohort 2: 2025-02-01). */
const launchedData = (launched as Extract<CollaborativeEvent, { type: 'CollaborativeLaunched' }>).data;
const earlier = (convener = 'State SUD agency', startsOn = '2024-03-01'): CollaborativeState =>
  ([
    { type: 'CollaborativeLaunched', data: { ...launchedData, collaborativeId: C0, startsOn: '2024-01-01', convener: { ...launchedData.convener, organizationName: convener } } },
    { type: 'CohortOpened', data: { collaborativeId: C0, cohortId: K0, name: 'First', startsOn, capacity: 5, sequence: 1 } },
    { type: 'AgencyEnrolledInCohort', data: { collaborativeId: C0, cohortId: K0, agencyId: A1 } },
  ] as CollaborativeEvent[]).reduce(evolveCollaborative, initialCollaborativeState());
const completedThere = participationWith(
  { ...applied(A1), data: { ...(applied(A1).data as object), collaborativeId: C0 } } as ParticipationEvent,
  { type: 'AgencyAdmitted', data: { collaborativeId: C0, agencyId: A1, cohortId: K0 } },
  { type: 'ParticipationCompleted', data: { collaborativeId: C0, agencyId: A1, completedOn: '2024-12-15' } },
);
const mentee = [applied(A2), admitted(A2, COHORT2)];
const assign = { collaborativeId: C1, agencyId: A2, mentorAgencyId: A1, mentorCollaborativeId: C0 };
const ctx: ParticipationContext = { now: NOW, collaborative: openCollab, mentor: completedThere, mentorCollaborative: earlier() };

describe('peer mentor from an earlier collaborative', () => {
  it('is an agency that completed an earlier collaborative of the convener', () =>
    given(participation, mentee, ctx)
      .when({ type: 'AssignPeerMentor', data: assign })
      .then([{ type: 'PeerMentorAssigned', data: { collaborativeId: C1, agencyId: A2, mentorAgencyId: A1, mentorCohortId: K0, mentorCollaborativeId: C0 } }]));
  it('comes from the same convener', () =>
    given(participation, mentee, { ...ctx, mentorCollaborative: earlier('County board') })
      .when({ type: 'AssignPeerMentor', data: assign })
      .thenFails('mentor_other_convener', 'unprocessable', 'mentorCollaborativeId'));
  it("began before the mentee's cohort", () =>
    given(participation, mentee, { ...ctx, mentorCollaborative: earlier('State SUD agency', '2025-02-01') })
      .when({ type: 'AssignPeerMentor', data: assign })
      .thenFails('mentor_not_from_earlier_cohort', 'unprocessable', 'mentorAgencyId'));
  it('was admitted there (an applicant only is no mentor)', () =>
    given(participation, mentee, { ...ctx, mentor: participationWith({ ...applied(A1), data: { ...(applied(A1).data as object), collaborativeId: C0 } } as ParticipationEvent) })
      .when({ type: 'AssignPeerMentor', data: assign })
      .thenFails('mentor_not_eligible', 'unprocessable', 'mentorAgencyId'));
  it('needs its collaborative to exist', () =>
    given(participation, mentee, { ...ctx, mentorCollaborative: initialCollaborativeState() })
      .when({ type: 'AssignPeerMentor', data: assign })
      .thenFails('mentor_not_eligible', 'unprocessable', 'mentorCollaborativeId'));
  it('naming this collaborative reads as before (no mentorCollaborativeId in the event)', () =>
    given(participation, mentee, { now: NOW, collaborative: openCollab, mentor: participationWith(applied(A1), admitted(A1)) })
      .when({ type: 'AssignPeerMentor', data: { ...assign, mentorCollaborativeId: C1 } })
      .then([{ type: 'PeerMentorAssigned', data: { collaborativeId: C1, agencyId: A2, mentorAgencyId: A1, mentorCohortId: '22222222-2222-4222-8222-222222222221' } }]));
});
