import { describe, it } from '@jest/globals';
import { A1, C1, COACH, NOW, V1, X1, activeA1, applied, closedCollab, openCollab, participationWith } from '../shared/fixtures';
import { given } from '../shared/testing';
import type { SiteVisitContext } from './decide';
import type { SiteVisitEvent } from './events';
import { siteVisit } from './index';

const ctx: SiteVisitContext = { now: NOW, collaborative: openCollab, participation: activeA1 };
const ids = { visitId: V1, collaborativeId: C1, agencyId: A1 };
const schedule = { ...ids, coachId: COACH, scheduledAt: '2025-06-20T09:00:00.000Z', agenda: 'Walk-through review' };
const scheduled: SiteVisitEvent = { type: 'SiteVisitScheduled', data: schedule };
const cancelled: SiteVisitEvent = { type: 'SiteVisitCancelled', data: { ...ids, reason: 'illness' } };
const past: SiteVisitEvent = { type: 'SiteVisitScheduled', data: { ...schedule, scheduledAt: '2025-06-10T09:00:00.000Z' } };
const completed: SiteVisitEvent = { type: 'SiteVisitCompleted', data: { ...ids, completedOn: '2025-06-10', summary: 'Good' } };
const reschedule = { visitId: V1, scheduledAt: '2025-06-25T09:00:00.000Z' };

describe('site visit', () => {
  it('is scheduled', () => given(siteVisit, [], ctx).when({ type: 'ScheduleSiteVisit', data: schedule }).then([scheduled]));
  it('is scheduled once', () => given(siteVisit, [scheduled], ctx).when({ type: 'ScheduleSiteVisit', data: schedule }).thenFails('site_visit_exists'));
  it('is scheduled by a coach of the collaborative', () =>
    given(siteVisit, [], ctx).when({ type: 'ScheduleSiteVisit', data: { ...schedule, coachId: X1 } }).thenFails('not_a_coach', 'unprocessable', 'coachId'));
  it('is scheduled for an admitted agency', () =>
    given(siteVisit, [], { ...ctx, participation: participationWith(applied(A1)) }).when({ type: 'ScheduleSiteVisit', data: schedule }).thenFails('agency_not_admitted'));
  it('is not scheduled in the past', () =>
    given(siteVisit, [], ctx).when({ type: 'ScheduleSiteVisit', data: { ...schedule, scheduledAt: '2025-06-01T09:00:00Z' } }).thenFails('scheduled_in_past'));
  it('is not scheduled in a closed collaborative', () =>
    given(siteVisit, [], { ...ctx, collaborative: closedCollab }).when({ type: 'ScheduleSiteVisit', data: schedule }).thenFails('collaborative_closed'));

  it('is rescheduled', () =>
    given(siteVisit, [scheduled], ctx)
      .when({ type: 'RescheduleSiteVisit', data: reschedule })
      .then([{ type: 'SiteVisitRescheduled', data: { ...ids, ...reschedule, previousScheduledAt: schedule.scheduledAt } }]));
  it('is not rescheduled once cancelled', () => given(siteVisit, [scheduled, cancelled], ctx).when({ type: 'RescheduleSiteVisit', data: reschedule }).thenFails('site_visit_cancelled', 'conflict'));
  it('is not rescheduled once completed', () => given(siteVisit, [past, completed], ctx).when({ type: 'RescheduleSiteVisit', data: reschedule }).thenFails('site_visit_completed', 'conflict'));
  it('is not rescheduled into the past', () =>
    given(siteVisit, [scheduled], ctx).when({ type: 'RescheduleSiteVisit', data: { visitId: V1, scheduledAt: '2025-06-01T09:00:00Z' } }).thenFails('scheduled_in_past'));
  it('is not rescheduled when unknown', () => given(siteVisit, [], ctx).when({ type: 'RescheduleSiteVisit', data: reschedule }).thenFails('site_visit_not_found', 'not_found'));

  it('is cancelled', () => given(siteVisit, [scheduled], ctx).when({ type: 'CancelSiteVisit', data: { visitId: V1, reason: 'illness' } }).then([cancelled]));
  it('is cancelled once', () => given(siteVisit, [scheduled, cancelled], ctx).when({ type: 'CancelSiteVisit', data: { visitId: V1, reason: 'x' } }).thenFails('site_visit_cancelled'));

  it('is completed after it took place', () =>
    given(siteVisit, [past], ctx).when({ type: 'CompleteSiteVisit', data: { visitId: V1, completedOn: '2025-06-10', summary: 'Good' } }).then([completed]));
  it('is not completed before it takes place', () =>
    given(siteVisit, [scheduled], ctx).when({ type: 'CompleteSiteVisit', data: { visitId: V1, completedOn: '2025-06-10', summary: 'Good' } }).thenFails('site_visit_not_started'));
  it('is not completed once cancelled', () =>
    given(siteVisit, [past, cancelled], ctx).when({ type: 'CompleteSiteVisit', data: { visitId: V1, completedOn: '2025-06-10', summary: 'Good' } }).thenFails('site_visit_cancelled'));
  it('nothing happens in a closed collaborative', () =>
    given(siteVisit, [scheduled], { ...ctx, collaborative: closedCollab }).when({ type: 'CancelSiteVisit', data: { visitId: V1, reason: 'x' } }).thenFails('collaborative_closed'));
});
