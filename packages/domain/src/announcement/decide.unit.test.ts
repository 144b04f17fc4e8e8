import { describe, it } from '@jest/globals';
import { A1, C1, COHORT1, NOW, X1, closedCollab, openCollab } from '../shared/fixtures';
import { given } from '../shared/testing';
import type { CollaborativeState } from '../collaborative/state';
import { announcement } from './index';

const ID = '99999999-9999-4999-8999-999999999993';
const recipient = { personId: X1, name: 'Sam', email: 's@example.org', role: 'change_leader', agencyId: A1, organisation: 'Riverside' };
const send = { announcementId: ID, collaborativeId: C1, subject: 'Moved', body: 'The call moves', audience: 'change_leaders' as const, cohortId: COHORT1, recipients: [recipient] };
const ctx = (collaborative: CollaborativeState = openCollab) => ({ now: NOW, collaborative });

describe('announcement (issue 18)', () => {
  it("given an open collaborative, when sent to a cohort's Change Leaders, then the recipients are recorded", () =>
    given(announcement, [], ctx()).when({ type: 'SendAnnouncement', data: send }).then([{ type: 'AnnouncementSent', data: send }]));
  it('is sent once', () =>
    given(announcement, [{ type: 'AnnouncementSent', data: send }], ctx()).when({ type: 'SendAnnouncement', data: send }).thenFails('announcement_exists', 'conflict'));
  it('needs someone to send to, naming the audience', () =>
    given(announcement, [], ctx()).when({ type: 'SendAnnouncement', data: { ...send, recipients: [] } }).thenFails('audience_empty', 'unprocessable', 'audience'));
  it("a cohort narrows agency audiences only, and must be the collaborative's", () => {
    given(announcement, [], ctx()).when({ type: 'SendAnnouncement', data: { ...send, audience: 'stakeholders' } }).thenFails('cohort_not_applicable', 'unprocessable', 'cohortId');
    given(announcement, [], ctx()).when({ type: 'SendAnnouncement', data: { ...send, cohortId: ID } }).thenFails('cohort_not_found', 'unprocessable', 'cohortId');
    const { cohortId: _c, ...withoutCohort } = send;
    given(announcement, [], ctx()).when({ type: 'SendAnnouncement', data: { ...withoutCohort, audience: 'cohort' } }).thenFails('cohort_required', 'unprocessable', 'cohortId');
  });
  it('not in a closed collaborative', () =>
    given(announcement, [], ctx(closedCollab)).when({ type: 'SendAnnouncement', data: send }).thenFails('collaborative_closed', 'conflict'));
});
