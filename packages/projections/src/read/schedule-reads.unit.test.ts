import { describe, it, expect } from '@jest/globals';
import { eventMaker } from '../testing/recorded-events';
import { foldProjection } from '../runtime/memory-store';
import { scheduleProjection } from '../models/schedule';
import { toMeetingResource } from './meetings';
import { toSiteVisitResource } from './site-visits';
import { meetingHistories } from './schedule-history';
import { dueDates } from './due-dates';

const C = '00000000-0000-7000-8000-000000000001';
const M = '00000000-0000-7000-8000-000000000002';
const A1 = '00000000-0000-7000-8000-000000000003';
const V = '00000000-0000-7000-8000-000000000004';
const ev = eventMaker({ actorRole: 'coach', actorId: 'coach-key' });

describe('schedule read model (issue 14.1)', () => {
  it('issue 14.1: a meeting keeps its reschedules, every minutes correction with who and when, and what was sent', () => {
    const rows = foldProjection(scheduleProjection, [
      ev('MeetingScheduled', { meetingId: M, collaborativeId: C, kind: 'regular_call', modality: 'video', startsAt: '2025-03-04T10:00:00-05:00', durationMinutes: 60, callIn: 'https://call', agenda: 'Agenda', invitedAgencyIds: [A1] }, '2025-02-01T00:00:00.000Z'),
      ev('MeetingRescheduled', { meetingId: M, collaborativeId: C, previousStartsAt: '2025-03-04T10:00:00-05:00', startsAt: '2025-03-05T15:00:00Z', reason: 'snow' }, '2025-02-02T00:00:00.000Z'),
      ev('AttendanceRecorded', { meetingId: M, collaborativeId: C, attendance: [{ agencyId: A1, present: true, attendees: ['Ann Lee'] }] }, '2025-03-05T17:00:00.000Z'),
      ev('MinutesPublished', { meetingId: M, collaborativeId: C, minutes: 'v1' }, '2025-03-06T00:00:00.000Z', 'author'),
      ev('MinutesCorrected', { meetingId: M, collaborativeId: C, minutes: 'v2', reason: 'typo' }, '2025-03-07T00:00:00.000Z', 'corrector'),
      ev('MinutesSent', { deliveryKey: 'k', kind: 'minutes', collaborativeId: C, subjectId: M, agencyId: A1, recipients: [{ email: 'x@example.org', role: 'change_leader' }], rejected: [], subject: 'Minutes', sentAt: '2025-03-06T00:01:00.000Z', meetingId: M }, '2025-03-06T00:01:00.000Z'),
    ]);
    // Schedule v4: the minutes versions and deliveries are rows of their own, none on the meeting's row.
    expect(rows.meetings![0]).not.toHaveProperty('minutes_history');
    expect(rows.meeting_minutes!.map((r) => r.action)).toEqual(['published', 'corrected']);
    const m = toMeetingResource(rows.meetings![0]!, meetingHistories(rows.meetings!, rows.meeting_minutes!, rows.meeting_deliveries!).get(M));
    expect(m.startsAt).toBe('2025-03-05T15:00:00Z');
    expect(m.endsAt).toBe('2025-03-05T16:00:00.000Z');
    expect(m.reschedules).toEqual([{ from: '2025-03-04T10:00:00-05:00', to: '2025-03-05T15:00:00Z', reason: 'snow', at: '2025-02-02T00:00:00.000Z', by: { actorId: 'coach-key', actorRole: 'coach' } }]);
    expect(m.attendance).toEqual([{ agencyId: A1, present: true, attendees: ['Ann Lee'] }]);
    expect(m.minutes).toEqual({
      status: 'corrected', text: 'v2', publishedAt: '2025-03-06T00:00:00.000Z', publishedBy: { actorId: 'author', actorRole: 'coach' },
      corrections: [{ text: 'v2', reason: 'typo', correctedAt: '2025-03-07T00:00:00.000Z', correctedBy: { actorId: 'corrector', actorRole: 'coach' } }],
    });
    expect(m.deliveries).toEqual([{ type: 'MinutesSent', kind: 'minutes', agencyId: A1, subject: 'Minutes', sentAt: '2025-03-06T00:01:00.000Z', recipients: 1, recipientRoles: ['change_leader'], rejected: 0 }]);
    expect(JSON.stringify(m.deliveries)).not.toContain('example.org');
    expect(m.sequence).toBe(1);
    // Sorting uses the UTC instant, not the text as written.
    expect(rows.meetings![0]!.starts_at_utc).toBe('2025-03-05T15:00:00.000Z');
  });

  it('issue 13: a read leaves out minutes versions and deliveries committed after the meeting row it read (children are read after the row)', () => {
    const by = { actorId: 'a', actorRole: 'coach' };
    const delivery = { type: 'MinutesSent', kind: 'minutes', agency_id: A1, subject: 'Minutes', sent_at: '2025-03-06T00:01:00.000Z', recipients: 1, recipient_roles: ['change_leader'], rejected: 0 };
    const histories = meetingHistories(
      [{ id: M, position: 5 }],
      [
        { id: 'e7', meeting_id: M, position: 7, action: 'corrected', minutes: 'v2', reason: 'typo', at: '2025-03-07T00:00:00.000Z', by },
        { id: 'e3', meeting_id: M, position: 3, action: 'published', minutes: 'v1', reason: null, at: '2025-03-06T00:00:00.000Z', by },
      ],
      [{ id: 'e4', meeting_id: M, position: 4, ...delivery }, { id: 'e6', meeting_id: M, position: 6, ...delivery }, { id: 'x', meeting_id: 'other', position: 2, ...delivery }],
    );
    expect(histories.get(M)!.minutes.map((h) => h.minutes)).toEqual(['v1']);
    expect(histories.get(M)!.deliveries).toEqual([
      { type: 'MinutesSent', kind: 'minutes', agencyId: A1, subject: 'Minutes', sentAt: '2025-03-06T00:01:00.000Z', recipients: 1, recipientRoles: ['change_leader'], rejected: 0 },
    ]);
  });

  it('issue 14.1: a site visit lists each reschedule from/to, its cancellation and its sequence', () => {
    const rows = foldProjection(scheduleProjection, [
      ev('SiteVisitScheduled', { visitId: V, collaborativeId: C, agencyId: A1, coachId: A1, scheduledAt: '2025-04-01T09:00:00Z', agenda: 'Walk' }, '2025-03-01T00:00:00.000Z'),
      ev('SiteVisitRescheduled', { visitId: V, collaborativeId: C, agencyId: A1, previousScheduledAt: '2025-04-01T09:00:00Z', scheduledAt: '2025-04-08T09:00:00Z' }, '2025-03-02T00:00:00.000Z'),
      ev('SiteVisitCancelled', { visitId: V, collaborativeId: C, agencyId: A1, reason: 'flu' }, '2025-03-03T00:00:00.000Z'),
    ]);
    const v = toSiteVisitResource(rows.site_visits![0]!);
    expect(v.reschedules.map((r) => [r.from, r.to])).toEqual([['2025-04-01T09:00:00Z', '2025-04-08T09:00:00Z']]);
    expect(v).toMatchObject({ status: 'cancelled', cancellation: { reason: 'flu', at: '2025-03-03T00:00:00.000Z' }, report: null, sequence: 2 });
  });
});

describe('due dates (issue 14.2)', () => {
  const agencies = [
    { agencyId: 'a', agencyName: 'A', cohortId: 'k', stage: 'active', baselineTo: '2025-02-28', monthsReported: ['2025-03'] },
    { agencyId: 'b', agencyName: 'B', cohortId: 'k', stage: 'admitted', baselineTo: null, monthsReported: [] },
    { agencyId: 'c', agencyName: 'C', cohortId: null, stage: 'applied', baselineTo: null, monthsReported: [] },
    // Completed in April: March is still expected of it, April on no longer.
    { agencyId: 'd', agencyName: 'D', cohortId: 'k', stage: 'completed', baselineTo: '2025-02-28', monthsReported: [], stoppedOn: '2025-04-02' },
  ];
  it('issue 14.2: the baseline is due at the cohort kick-off, a month on the due day of the next month', () => {
    const d = dueDates({ startsOn: '2025-01-01', endsOn: '2025-12-31' }, [{ cohortId: 'k', startsOn: '2025-03-01' }], agencies, 10, { from: '2025-03-01', to: '2025-05-11' });
    expect(d.map((x) => [x.type, x.date, x.month, x.agencies.map((a) => `${a.agencyId}:${a.met}`)])).toEqual([
      ['baseline_due', '2025-03-01', null, ['a:true', 'b:false', 'd:true']],
      ['data_due', '2025-04-10', '2025-03', ['a:true', 'd:false']],
      ['data_due', '2025-05-10', '2025-04', ['a:false']],
    ]);
  });
  it('issue 15: a quarterly catalogue owes quarters (due on the due day of the month after each), and no months', () => {
    const q = [
      { agencyId: 'a', agencyName: 'A', cohortId: 'k', stage: 'active', baselineTo: '2025-03-31', monthsReported: [], quartersReported: ['2025-Q2'] },
      // Withdrew in August: Q2 is still expected of it, Q3 no longer.
      { agencyId: 'w', agencyName: 'W', cohortId: 'k', stage: 'withdrawn', baselineTo: '2025-03-31', monthsReported: [], quartersReported: [], stoppedOn: '2025-08-02' },
    ];
    const d = dueDates({ startsOn: '2025-01-01', endsOn: '2025-12-31' }, [], q, 10, { from: '2025-01-01', to: '2026-03-01' }, { monthly: false, quarterly: true });
    expect(d.map((x) => [x.type, x.date, x.month, x.period, x.agencies.map((a) => `${a.agencyId}:${a.met}`)])).toEqual([
      ['data_due', '2025-07-10', null, '2025-Q2', ['a:true', 'w:false']],
      ['data_due', '2025-10-10', null, '2025-Q3', ['a:false']],
      ['data_due', '2026-01-10', null, '2025-Q4', ['a:false']],
    ]);
    // A catalogue with both cadences owes both; the default (no catalogue) is months only, as before.
    const both = dueDates({ startsOn: '2025-01-01', endsOn: '2025-12-31' }, [], q, 10, { from: '2025-07-01', to: '2025-08-01' }, { monthly: true, quarterly: true });
    expect(both.map((x) => x.period)).toEqual(['2025-06', '2025-Q2']);
    expect(dueDates({ startsOn: '2025-01-01', endsOn: '2025-12-31' }, [], q, 10, { from: '2025-07-01', to: '2025-08-01' }).map((x) => x.period)).toEqual(['2025-06']);
  });
});
