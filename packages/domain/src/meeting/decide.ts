import { requireOpenCollaborative } from '../collaborative/decide';
import type { CollaborativeState } from '../collaborative/state';
import type { ParticipationState } from '../participation/state';
import { requireInstantWithinSpan, requireNotAfterNow } from '../shared/business-dates';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { assertNever, type BaseContext } from '../shared/types';
import type { MeetingCommand } from './commands';
import type { MeetingEvent } from './events';
import { preparePacket } from './packet';
import type { MeetingState } from './state';

export interface MeetingContext extends BaseContext {
  collaborative?: CollaborativeState;
  /** Participations of the invited agencies (ScheduleMeeting only), by agencyId. */
  participations?: Record<string, ParticipationState>;
}
type Cmd<T extends MeetingCommand['type']> = Extract<MeetingCommand, { type: T }>['data'];
type Events = MeetingEvent[];
type Known = Exclude<MeetingState, { status: 'none' }>;

const isBefore = (a: string, b: string) => Date.parse(a) < Date.parse(b);

const requireMeeting = (s: MeetingState, ctx: MeetingContext): Known => {
  if (s.status === 'none') return notFound('meeting_not_found', 'No such meeting');
  requireOpenCollaborative(ctx.collaborative);
  if (s.status === 'cancelled') return conflict('meeting_cancelled', 'The meeting is cancelled');
  return s;
};
const requireNotHeld = (m: Known) => {
  if (m.status === 'held') conflict('meeting_held', 'The meeting has taken place');
  return m;
};
const requireStarted = (m: Known, now: string) => {
  if (isBefore(now, m.startsAt)) conflict('meeting_not_started', `The meeting starts at ${m.startsAt}; a meeting that took place is recorded as held`);
  return m;
};
const ids = (m: Known) => ({ meetingId: m.meetingId, collaborativeId: m.collaborativeId });

const requireInvitable = (invited: string[], ctx: MeetingContext) =>
  invited.forEach((agencyId, i) => {
    const p = ctx.participations?.[agencyId];
    if (!p || (p.status !== 'applied' && p.status !== 'admitted'))
      unprocessable('agency_not_participating', 'Only applicants and admitted agencies can be invited', `invitedAgencyIds.${i}`);
  });
const requireAttendeesInvited = (attendance: { agencyId: string }[], invited: string[]) =>
  attendance.forEach((a, i) => {
    if (!invited.includes(a.agencyId)) unprocessable('agency_not_invited', 'Attendance only for invited agencies', `attendance.${i}.agencyId`);
  });

/** Scheduling is for what is still ahead: only a new meeting whose time has passed is refused. */
const schedule = (d: Cmd<'ScheduleMeeting'>, s: MeetingState, ctx: MeetingContext): Events => {
  const collab = requireOpenCollaborative(ctx.collaborative);
  if (s.status !== 'none') return conflict('meeting_exists', 'The meeting already exists', 'meetingId');
  if (isBefore(d.startsAt, ctx.now)) return unprocessable('scheduled_in_past', `startsAt must not be before now (${ctx.now}); record a meeting that took place as held`, 'startsAt');
  requireInstantWithinSpan(collab, d.startsAt, 'startsAt');
  requireInvitable(d.invitedAgencyIds, ctx);
  return [{ type: 'MeetingScheduled', data: d }];
};

/**
 * A meeting recorded after the fact emits what a live meeting leaves behind (scheduled, attendance,
 * minutes) with its business date as `startsAt`: no event shape changes, so stored events read as
 * before and every read model and the reminder planner (which plans only reminders still ahead at the
 * command's time, so none here) treat it like a meeting that was held live.
 */
const recordHeld = (d: Cmd<'RecordHeldMeeting'>, s: MeetingState, ctx: MeetingContext): Events => {
  const collab = requireOpenCollaborative(ctx.collaborative);
  if (s.status !== 'none') return conflict('meeting_exists', 'The meeting already exists', 'meetingId');
  requireNotAfterNow(d.heldAt, ctx.now, 'heldAt');
  requireInstantWithinSpan(collab, d.heldAt, 'heldAt');
  requireInvitable(d.invitedAgencyIds, ctx);
  requireAttendeesInvited(d.attendance, d.invitedAgencyIds);
  const { heldAt, attendance, minutes, ...meeting } = d;
  const ids = { meetingId: d.meetingId, collaborativeId: d.collaborativeId };
  return [
    { type: 'MeetingScheduled', data: { ...meeting, startsAt: heldAt } },
    { type: 'AttendanceRecorded', data: { ...ids, attendance } },
    ...(minutes ? [{ type: 'MinutesPublished' as const, data: { ...ids, minutes } }] : []),
  ];
};

const reschedule = (d: Cmd<'RescheduleMeeting'>, s: MeetingState, ctx: MeetingContext): Events => {
  const m = requireNotHeld(requireMeeting(s, ctx));
  if (isBefore(d.startsAt, ctx.now)) return unprocessable('scheduled_in_past', `startsAt must not be before now (${ctx.now})`, 'startsAt');
  requireInstantWithinSpan(requireOpenCollaborative(ctx.collaborative), d.startsAt, 'startsAt');
  return [{ type: 'MeetingRescheduled', data: { ...d, ...ids(m), previousStartsAt: m.startsAt } }];
};

const assignPresenters = (d: Cmd<'AssignPresenters'>, s: MeetingState, ctx: MeetingContext): Events => {
  const m = requireNotHeld(requireMeeting(s, ctx));
  d.agencyIds.forEach((a, i) => {
    if (!m.invited.includes(a)) unprocessable('agency_not_invited', 'A presenter must be invited', `agencyIds.${i}`);
  });
  return [{ type: 'PresentersAssigned', data: { ...d, ...ids(m) } }];
};

const recordAttendance = (d: Cmd<'RecordAttendance'>, s: MeetingState, ctx: MeetingContext): Events => {
  const m = requireStarted(requireMeeting(s, ctx), ctx.now);
  requireAttendeesInvited(d.attendance, m.invited);
  return [{ type: 'AttendanceRecorded', data: { ...d, ...ids(m) } }];
};

const publishMinutes = (d: Cmd<'PublishMinutes'>, s: MeetingState, ctx: MeetingContext): Events => {
  const m = requireStarted(requireMeeting(s, ctx), ctx.now);
  if (m.minutesPublished) return conflict('minutes_already_published', 'Minutes are published; correct them instead');
  return [{ type: 'MinutesPublished', data: { ...d, ...ids(m) } }];
};

const correctMinutes = (d: Cmd<'CorrectMinutes'>, s: MeetingState, ctx: MeetingContext): Events => {
  const m = requireMeeting(s, ctx);
  if (!m.minutesPublished) return conflict('minutes_not_published', 'No minutes to correct');
  return [{ type: 'MinutesCorrected', data: { ...d, ...ids(m) } }];
};

export const decideMeeting = (command: MeetingCommand, state: MeetingState, ctx: MeetingContext): Events => {
  switch (command.type) {
    case 'ScheduleMeeting':
      return schedule(command.data, state, ctx);
    case 'RecordHeldMeeting':
      return recordHeld(command.data, state, ctx);
    case 'RescheduleMeeting':
      return reschedule(command.data, state, ctx);
    case 'CancelMeeting': {
      const m = requireNotHeld(requireMeeting(state, ctx));
      return [{ type: 'MeetingCancelled', data: { ...command.data, ...ids(m) } }];
    }
    case 'AssignPresenters':
      return assignPresenters(command.data, state, ctx);
    case 'RecordAttendance':
      return recordAttendance(command.data, state, ctx);
    case 'PublishMinutes':
      return publishMinutes(command.data, state, ctx);
    case 'CorrectMinutes':
      return correctMinutes(command.data, state, ctx);
    case 'PrepareMeetingPacket':
      return preparePacket(command.data, requireMeeting(state, ctx));
    default:
      return assertNever(command);
  }
};
