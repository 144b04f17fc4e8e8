import { describe, it } from '@jest/globals';
import type { ParticipationEvent } from '../participation/events';
import { A1, A2, A3, C1, COHORT2, NOW, activeA1, admitted, applied, closedCollab, openCollab, participationWith } from '../shared/fixtures';
import { given } from '../shared/testing';
import type { MentoringContext } from './decide';
import type { MentoringEvent } from './events';
import { mentoring } from './index';

const C0 = '11111111-1111-4111-8111-111111111110';
const K1 = '99999999-9999-4999-8999-999999999981';
const mentored = (mentorAgencyId: string): ParticipationEvent => ({ type: 'PeerMentorAssigned', data: { collaborativeId: C1, agencyId: A2, mentorAgencyId, mentorCohortId: COHORT2 } });
const mentee = participationWith(applied(A2), admitted(A2, COHORT2), mentored(A1));
const ctx: MentoringContext = { now: NOW, collaborative: openCollab, mentee };
const contact = { mentorAgencyId: A1, contactId: K1, collaborativeId: C1, menteeAgencyId: A2, contactedOn: '2025-06-10', mode: 'video' as const, topic: 'Same-day intake', notes: 'Shared our walk-in schedule' };
const logged: MentoringEvent = { type: 'MentoringContactLogged', data: contact };
const credit = { mentorAgencyId: A1, mentorCollaborativeId: C0, collaborativeId: C1, applicantAgencyId: A3 };
const creditCtx: MentoringContext = { now: NOW, collaborative: openCollab, applicant: participationWith(applied(A3)), mentor: activeA1 };
const credited: MentoringEvent = { type: 'RecruitmentCredited', data: { ...credit, creditedAt: NOW } };

describe('mentoring contacts', () => {
  it("are logged by the mentee's peer mentor", () => given(mentoring, [], ctx).when({ type: 'LogMentoringContact', data: contact }).then([logged]));
  it('may be logged for a past date', () =>
    given(mentoring, [], ctx).when({ type: 'LogMentoringContact', data: { ...contact, contactedOn: '2025-02-03' } }).then([{ ...logged, data: { ...contact, contactedOn: '2025-02-03' } }]));
  it('are not dated in the future', () =>
    given(mentoring, [], ctx).when({ type: 'LogMentoringContact', data: { ...contact, contactedOn: '2025-06-17' } }).thenFails('contacted_in_future', 'unprocessable', 'contactedOn'));
  it("are dated within the mentee's collaborative", () =>
    given(mentoring, [], ctx).when({ type: 'LogMentoringContact', data: { ...contact, contactedOn: '2024-12-31' } }).thenFails('date_outside_collaborative', 'unprocessable', 'contactedOn'));
  it('are logged once', () => given(mentoring, [logged], ctx).when({ type: 'LogMentoringContact', data: contact }).thenFails('contact_exists', 'conflict', 'contactId'));
  it('are logged only by the assigned mentor', () =>
    given(mentoring, [], ctx).when({ type: 'LogMentoringContact', data: { ...contact, mentorAgencyId: A3 } }).thenFails('not_the_mentor', 'unprocessable', 'menteeAgencyId'));
  it('are logged only for an admitted mentee', () =>
    given(mentoring, [], { ...ctx, mentee: participationWith(applied(A2)) }).when({ type: 'LogMentoringContact', data: contact }).thenFails('mentee_not_admitted', 'unprocessable', 'menteeAgencyId'));
  it('are not logged once the collaborative closed', () =>
    given(mentoring, [], { ...ctx, collaborative: closedCollab }).when({ type: 'LogMentoringContact', data: contact }).thenFails('collaborative_closed', 'conflict'));
  it('stay loggable for a mentee that has completed', () =>
    given(mentoring, [], { ...ctx, mentee: participationWith(applied(A2), admitted(A2, COHORT2), mentored(A1), { type: 'ParticipationCompleted', data: { collaborativeId: C1, agencyId: A2, completedOn: '2025-06-01' } }) })
      .when({ type: 'LogMentoringContact', data: contact })
      .then([logged]));
});

describe('recruitment credits', () => {
  it('credit a mentor with an applicant', () => given(mentoring, [], creditCtx).when({ type: 'CreditRecruitment', data: credit }).then([credited]));
  it('credit once per applicant', () =>
    given(mentoring, [credited], creditCtx).when({ type: 'CreditRecruitment', data: credit }).thenFails('recruitment_already_credited', 'conflict', 'applicantAgencyId'));
  it('need an application', () =>
    given(mentoring, [], { ...creditCtx, applicant: participationWith() }).when({ type: 'CreditRecruitment', data: credit }).thenFails('application_not_found', 'not_found'));
  it('need a mentor admitted or completed where it is named', () =>
    given(mentoring, [], { ...creditCtx, mentor: participationWith(applied(A1)) }).when({ type: 'CreditRecruitment', data: credit }).thenFails('mentor_not_eligible', 'unprocessable', 'mentorCollaborativeId'));
  it('are not given once the collaborative closed', () =>
    given(mentoring, [], { ...creditCtx, collaborative: closedCollab }).when({ type: 'CreditRecruitment', data: credit }).thenFails('collaborative_closed', 'conflict'));
  it('do not credit an agency with itself', () =>
    given(mentoring, [], creditCtx).when({ type: 'CreditRecruitment', data: { ...credit, applicantAgencyId: A1 } }).thenFails('mentor_is_applicant', 'unprocessable', 'applicantAgencyId'));
});
