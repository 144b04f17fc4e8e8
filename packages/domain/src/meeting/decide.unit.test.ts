import { describe, it } from '@jest/globals';
import { A1, A2, A3, C1, M1, NOW, activeA1, applied, closedCollab, openCollab, participationWith } from '../shared/fixtures';
import { given } from '../shared/testing';
import type { MeetingContext } from './decide';
import type { MeetingEvent } from './events';
import { meeting } from './index';

const ctx: MeetingContext = { now: NOW, collaborative: openCollab, participations: { [A1]: activeA1, [A2]: participationWith(applied(A2)) } };
const ids = { meetingId: M1, collaborativeId: C1 };
const schedule = {
  ...ids,
  kind: 'regular_call' as const,
  modality: 'phone' as const,
  startsAt: '2025-06-20T15:00:00.000Z',
  durationMinutes: 60,
  callIn: '+1 555 0100, code 1234',
  agenda: 'Progress reports',
  invitedAgencyIds: [A1, A2],
};
const scheduled: MeetingEvent = { type: 'MeetingScheduled', data: schedule };
const started: MeetingEvent = { type: 'MeetingScheduled', data: { ...schedule, startsAt: '2025-06-15T11:00:00.000Z' } };
const cancelled: MeetingEvent = { type: 'MeetingCancelled', data: { ...ids, reason: 'holiday' } };
const attendance = { meetingId: M1, attendance: [{ agencyId: A1, present: true, attendees: ['Sam Lee'] }, { agencyId: A2, present: false, attendees: [] }] };
const attended: MeetingEvent = { type: 'AttendanceRecorded', data: { ...attendance, ...ids } };
const minutes = { meetingId: M1, minutes: 'A1 reported a 40% drop in no-shows.' };
const published: MeetingEvent = { type: 'MinutesPublished', data: { ...minutes, ...ids } };
const reschedule = { meetingId: M1, startsAt: '2025-06-27T15:00:00.000Z' };

describe('meeting', () => {
  it('is scheduled', () => given(meeting, [], ctx).when({ type: 'ScheduleMeeting', data: schedule }).then([scheduled]));
  it('is scheduled once', () => given(meeting, [scheduled], ctx).when({ type: 'ScheduleMeeting', data: schedule }).thenFails('meeting_exists'));
  it('invites only agencies of the collaborative', () =>
    given(meeting, [], ctx).when({ type: 'ScheduleMeeting', data: { ...schedule, invitedAgencyIds: [A1, A3] } }).thenFails('agency_not_participating', 'unprocessable', 'invitedAgencyIds.1'));
  it('is not scheduled in the past', () =>
    given(meeting, [], ctx).when({ type: 'ScheduleMeeting', data: { ...schedule, startsAt: '2025-06-01T15:00:00Z' } }).thenFails('scheduled_in_past'));
  it('is not scheduled in a closed collaborative', () =>
    given(meeting, [], { ...ctx, collaborative: closedCollab }).when({ type: 'ScheduleMeeting', data: schedule }).thenFails('collaborative_closed'));

  it('is rescheduled', () =>
    given(meeting, [scheduled], ctx).when({ type: 'RescheduleMeeting', data: reschedule }).then([{ type: 'MeetingRescheduled', data: { ...reschedule, ...ids, previousStartsAt: schedule.startsAt } }]));
  it('is not rescheduled once cancelled', () => given(meeting, [scheduled, cancelled], ctx).when({ type: 'RescheduleMeeting', data: reschedule }).thenFails('meeting_cancelled', 'conflict'));
  it('is not rescheduled once held', () => given(meeting, [started, attended], ctx).when({ type: 'RescheduleMeeting', data: reschedule }).thenFails('meeting_held', 'conflict'));
  it('is not rescheduled when unknown', () => given(meeting, [], ctx).when({ type: 'RescheduleMeeting', data: reschedule }).thenFails('meeting_not_found', 'not_found'));

  it('is cancelled', () => given(meeting, [scheduled], ctx).when({ type: 'CancelMeeting', data: { meetingId: M1, reason: 'holiday' } }).then([cancelled]));
  it('is not cancelled once held', () => given(meeting, [started, attended], ctx).when({ type: 'CancelMeeting', data: { meetingId: M1, reason: 'x' } }).thenFails('meeting_held'));

  it('has invited presenters', () =>
    given(meeting, [scheduled], ctx).when({ type: 'AssignPresenters', data: { meetingId: M1, agencyIds: [A1, A2] } }).then([{ type: 'PresentersAssigned', data: { ...ids, agencyIds: [A1, A2] } }]));
  it('refuses a presenter not invited', () =>
    given(meeting, [scheduled], ctx).when({ type: 'AssignPresenters', data: { meetingId: M1, agencyIds: [A1, A3] } }).thenFails('agency_not_invited', 'unprocessable', 'agencyIds.1'));

  it('records attendance after the start', () => given(meeting, [started], ctx).when({ type: 'RecordAttendance', data: attendance }).then([attended]));
  it('refuses attendance before the start', () => given(meeting, [scheduled], ctx).when({ type: 'RecordAttendance', data: attendance }).thenFails('meeting_not_started'));
  it('refuses attendance of an agency not invited', () =>
    given(meeting, [started], ctx)
      .when({ type: 'RecordAttendance', data: { meetingId: M1, attendance: [{ agencyId: A3, present: true, attendees: [] }] } })
      .thenFails('agency_not_invited', 'unprocessable', 'attendance.0.agencyId'));
  it('refuses attendance of a cancelled meeting', () => given(meeting, [started, cancelled], ctx).when({ type: 'RecordAttendance', data: attendance }).thenFails('meeting_cancelled'));

  it('publishes minutes', () => given(meeting, [started, attended], ctx).when({ type: 'PublishMinutes', data: minutes }).then([published]));
  it('publishes minutes once', () => given(meeting, [started, published], ctx).when({ type: 'PublishMinutes', data: minutes }).thenFails('minutes_already_published', 'conflict'));
  it('publishes minutes after the start', () => given(meeting, [scheduled], ctx).when({ type: 'PublishMinutes', data: minutes }).thenFails('meeting_not_started'));

  const correction = { ...minutes, minutes: 'A1 reported a 35% drop.', reason: 'typo' };
  it('corrects published minutes', () =>
    given(meeting, [started, published], ctx).when({ type: 'CorrectMinutes', data: correction }).then([{ type: 'MinutesCorrected', data: { ...correction, ...ids } }]));
  it('corrects only published minutes', () => given(meeting, [started], ctx).when({ type: 'CorrectMinutes', data: correction }).thenFails('minutes_not_published'));
  it('nothing happens in a closed collaborative', () =>
    given(meeting, [started, published], { ...ctx, collaborative: closedCollab }).when({ type: 'CorrectMinutes', data: correction }).thenFails('collaborative_closed'));

  // Issue 16 "past and present": a meeting that took place is recorded after the fact.
  const { startsAt: _startsAt, ...shape } = schedule;
  const held = { ...shape, heldAt: '2025-06-10T15:00:00.000Z', attendance: attendance.attendance, minutes: minutes.minutes };
  const heldEvents: MeetingEvent[] = [
    { type: 'MeetingScheduled', data: { ...shape, startsAt: held.heldAt } },
    { type: 'AttendanceRecorded', data: { ...ids, attendance: attendance.attendance } },
    { type: 'MinutesPublished', data: { ...ids, minutes: minutes.minutes } },
  ];
  it('issue 16 past: a meeting is recorded as held after the fact, with attendance and minutes', () =>
    given(meeting, [], ctx).when({ type: 'RecordHeldMeeting', data: held }).then(heldEvents));
  it('issue 16 past: a held meeting may be recorded without minutes, to publish them later', () => {
    const { minutes: _m, ...noMinutes } = held;
    given(meeting, [], ctx).when({ type: 'RecordHeldMeeting', data: noMinutes }).then(heldEvents.slice(0, 2));
    given(meeting, heldEvents.slice(0, 2), ctx).when({ type: 'PublishMinutes', data: minutes }).then([published]);
  });
  it('issue 16 past: a meeting recorded as held is held (not rescheduled, its attendance completed)', () => {
    given(meeting, heldEvents, ctx).when({ type: 'RescheduleMeeting', data: reschedule }).thenFails('meeting_held', 'conflict');
    given(meeting, heldEvents, ctx).when({ type: 'RecordAttendance', data: attendance }).then([attended]);
  });
  it('issue 16 past: a meeting held in the future is refused, naming heldAt and now', () =>
    given(meeting, [], ctx).when({ type: 'RecordHeldMeeting', data: { ...held, heldAt: '2025-06-15T12:00:01Z' } }).thenFails('held_in_future', 'unprocessable', 'heldAt'));
  it('issue 16 past: a meeting held just now is past', () =>
    given(meeting, [], ctx).when({ type: 'RecordHeldMeeting', data: { ...held, heldAt: NOW } }).then([{ type: 'MeetingScheduled', data: { ...shape, startsAt: NOW } }, ...heldEvents.slice(1)]));
  it('issue 16 past: a held meeting before the collaborative began is refused', () =>
    given(meeting, [], ctx).when({ type: 'RecordHeldMeeting', data: { ...held, heldAt: '2024-12-30T15:00:00Z' } }).thenFails('date_outside_collaborative', 'unprocessable', 'heldAt'));
  it('issue 16 past: the span is compared with the local date (00:30+03:00 on the first day is inside)', () =>
    given(meeting, [], ctx)
      .when({ type: 'RecordHeldMeeting', data: { ...held, heldAt: '2025-01-01T00:30:00+03:00' } })
      .then([{ type: 'MeetingScheduled', data: { ...shape, startsAt: '2025-01-01T00:30:00+03:00' } }, ...heldEvents.slice(1)]));
  it('issue 16 past: a held meeting records attendance of invited agencies only', () =>
    given(meeting, [], ctx)
      .when({ type: 'RecordHeldMeeting', data: { ...held, attendance: [{ agencyId: A3, present: true, attendees: [] }] } })
      .thenFails('agency_not_invited', 'unprocessable', 'attendance.0.agencyId'));
  it('issue 16 past: a held meeting invites agencies of the collaborative only', () =>
    given(meeting, [], ctx).when({ type: 'RecordHeldMeeting', data: { ...held, invitedAgencyIds: [A1, A3] } }).thenFails('agency_not_participating', 'unprocessable', 'invitedAgencyIds.1'));
  it('issue 16 past: a held meeting is recorded once', () =>
    given(meeting, [scheduled], ctx).when({ type: 'RecordHeldMeeting', data: held }).thenFails('meeting_exists', 'conflict', 'meetingId'));
  it('issue 16 past: a held meeting is not recorded in a closed collaborative', () =>
    given(meeting, [], { ...ctx, collaborative: closedCollab }).when({ type: 'RecordHeldMeeting', data: held }).thenFails('collaborative_closed'));
  it('issue 16 past: a meeting after the collaborative ends is neither scheduled nor moved there', () => {
    given(meeting, [], ctx).when({ type: 'ScheduleMeeting', data: { ...schedule, startsAt: '2026-07-02T15:00:00Z' } }).thenFails('date_outside_collaborative', 'unprocessable', 'startsAt');
    given(meeting, [scheduled], ctx).when({ type: 'RescheduleMeeting', data: { meetingId: M1, startsAt: '2026-07-02T15:00:00Z' } }).thenFails('date_outside_collaborative', 'unprocessable', 'startsAt');
  });
  it('issue 16 past: scheduling a new meeting whose time has passed names startsAt', () =>
    given(meeting, [], ctx).when({ type: 'ScheduleMeeting', data: { ...schedule, startsAt: '2025-06-01T15:00:00Z' } }).thenFails('scheduled_in_past', 'unprocessable', 'startsAt'));
});
