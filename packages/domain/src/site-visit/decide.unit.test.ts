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

  // Issue 16 "past and present": a visit that took place is recorded after the fact.
  const { scheduledAt: _at, ...shape } = schedule;
  const held = { ...shape, heldAt: '2025-06-10T09:00:00.000Z', completedOn: '2025-06-11', summary: 'Good' };
  const heldEvents: SiteVisitEvent[] = [
    { type: 'SiteVisitScheduled', data: { ...shape, scheduledAt: held.heldAt } },
    { type: 'SiteVisitCompleted', data: { ...ids, completedOn: '2025-06-11', summary: 'Good' } },
  ];
  it('issue 16 past: a site visit is recorded as held after the fact, with its summary', () =>
    given(siteVisit, [], ctx).when({ type: 'RecordHeldSiteVisit', data: held }).then(heldEvents));
  it('issue 16 past: a visit recorded as held is completed (not moved, not cancelled)', () =>
    given(siteVisit, heldEvents, ctx).when({ type: 'CancelSiteVisit', data: { visitId: V1, reason: 'x' } }).thenFails('site_visit_completed', 'conflict'));
  it('issue 16 past: a visit held in the future is refused, naming heldAt', () =>
    given(siteVisit, [], ctx).when({ type: 'RecordHeldSiteVisit', data: { ...held, heldAt: '2025-06-16T09:00:00Z' } }).thenFails('held_in_future', 'unprocessable', 'heldAt'));
  it('issue 16 past: a visit completed before it took place is refused, naming completedOn', () =>
    given(siteVisit, [], ctx).when({ type: 'RecordHeldSiteVisit', data: { ...held, completedOn: '2025-06-08' } }).thenFails('completed_before_visit', 'unprocessable', 'completedOn'));
  it('issue 16 past: a visit report dated after today is refused', () =>
    given(siteVisit, [], ctx).when({ type: 'RecordHeldSiteVisit', data: { ...held, completedOn: '2025-06-20' } }).thenFails('completed_in_future', 'unprocessable', 'completedOn'));
  it('issue 16 past: a held visit before the collaborative began is refused', () =>
    given(siteVisit, [], ctx)
      .when({ type: 'RecordHeldSiteVisit', data: { ...held, heldAt: '2024-11-10T09:00:00Z', completedOn: '2024-11-10' } })
      .thenFails('date_outside_collaborative', 'unprocessable', 'heldAt'));
  it('issue 16 past: a held visit is made by a coach to an admitted agency, once', () => {
    given(siteVisit, [], ctx).when({ type: 'RecordHeldSiteVisit', data: { ...held, coachId: X1 } }).thenFails('not_a_coach', 'unprocessable', 'coachId');
    given(siteVisit, [], { ...ctx, participation: participationWith(applied(A1)) }).when({ type: 'RecordHeldSiteVisit', data: held }).thenFails('agency_not_admitted');
    given(siteVisit, [past], ctx).when({ type: 'RecordHeldSiteVisit', data: held }).thenFails('site_visit_exists', 'conflict', 'visitId');
  });
  it('issue 16 past: a scheduled visit is not completed before the day it took place, nor after today', () => {
    given(siteVisit, [past], ctx).when({ type: 'CompleteSiteVisit', data: { visitId: V1, completedOn: '2025-06-01', summary: 'Good' } }).thenFails('completed_before_visit', 'unprocessable', 'completedOn');
    given(siteVisit, [past], ctx).when({ type: 'CompleteSiteVisit', data: { visitId: V1, completedOn: '2025-06-30', summary: 'Good' } }).thenFails('completed_in_future', 'unprocessable', 'completedOn');
  });
  it('issue 16 past: a visit after the collaborative ends is neither scheduled nor moved there', () => {
    given(siteVisit, [], ctx).when({ type: 'ScheduleSiteVisit', data: { ...schedule, scheduledAt: '2026-07-02T09:00:00Z' } }).thenFails('date_outside_collaborative', 'unprocessable', 'scheduledAt');
    given(siteVisit, [scheduled], ctx).when({ type: 'RescheduleSiteVisit', data: { visitId: V1, scheduledAt: '2026-07-02T09:00:00Z' } }).thenFails('date_outside_collaborative', 'unprocessable', 'scheduledAt');
  });
});
