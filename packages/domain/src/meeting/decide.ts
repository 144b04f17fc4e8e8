import { requireOpenCollaborative } from '../collaborative/decide';
import type { CollaborativeState } from '../collaborative/state';
import type { ParticipationState } from '../participation/state';
import type { OrganisationState } from '../organisation/state';
import type { PersonState } from '../person/state';
import { requireInstantWithinSpan, requireNotAfterNow } from '../shared/business-dates';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { assertNever, type BaseContext } from '../shared/types';
import type { MeetingCommand } from './commands';
import type { MeetingEvent } from './events';
import { preparePacket } from './packet';
import type { MeetingState } from './state';
import { agencyInvited, requireProgramme, type Audience, type Speaker } from './invitees';
import { personAttendance, peopleDeciders } from './decide-people';

export interface MeetingContext extends BaseContext {
  collaborative?: CollaborativeState;
  /** Participations of the invited agencies (ScheduleMeeting only), by agencyId. */
  participations?: Record<string, ParticipationState>;
  /** Issue 16: the organisations a meeting invites (ScheduleMeeting, RecordHeldMeeting, InviteToMeeting), by id. */
  organisations?: Record<string, OrganisationState>;
  /** The people a command names (registration, attendance), by id: their organisation is the agency they come for. */
  people?: Record<string, PersonState>;
}
type Cmd<T extends MeetingCommand['type']> = Extract<MeetingCommand, { type: T }>['data'];
type Events = MeetingEvent[];
type Known = Exclude<MeetingState, { status: 'none' }>;

export const enrolmentOf = (collab: CollaborativeState | undefined): Record<string, string> => (!collab || collab.status === 'none' ? {} : collab.enrolment);
export const isBefore = (a: string, b: string) => Date.parse(a) < Date.parse(b);

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
/** A cohort audience names a cohort of the collaborative. */
const requireAudiences = (audiences: Audience[] | undefined, collab: CollaborativeState, field = 'audiences') =>
  (audiences ?? []).forEach((a, i) => {
    if (a.type === 'cohort' && (collab.status === 'none' || !collab.cohorts[a.cohortId])) unprocessable('cohort_not_found', 'No such cohort in this collaborative', `${field}.${i}.cohortId`);
  });
/** Invited organisations are registered ones (prospects too: no application needed). */
export const requireOrganisations = (ids: string[] | undefined, ctx: MeetingContext, field = 'invitedOrganisationIds') =>
  (ids ?? []).forEach((o, i) => {
    if (ctx.organisations?.[o]?.status !== 'registered') unprocessable('organisation_not_found', 'Invite registered organisations only (POST /v1/organisations)', `${field}.${i}`);
  });
/** An agency team facilitates or presents only when invited, by itself or with its cohort. */
const requireSpeakersInvited = (speakers: Speaker[] | undefined, field: string, invited: string[], audiences: Audience[], collab: CollaborativeState) =>
  (speakers ?? []).forEach((s, i) => {
    if (s.agencyId && !agencyInvited(s.agencyId, invited, audiences, enrolmentOf(collab)))
      unprocessable('agency_not_invited', 'A presenting or facilitating team must be invited', `${field}.${i}.agencyId`);
  });
/** Invitees, programme and its slots of a new meeting (scheduled or recorded as held). */
const requireNewMeeting = (d: Cmd<'ScheduleMeeting'> | Cmd<'RecordHeldMeeting'>, collab: CollaborativeState, ctx: MeetingContext) => {
  requireInvitable(d.invitedAgencyIds ?? [], ctx);
  requireOrganisations(d.invitedOrganisationIds, ctx);
  requireAudiences(d.audiences, collab);
  requireProgramme(d.kind, d.durationMinutes, d.facilitators ?? [], d.presenters ?? []);
  const invited = [...(d.invitedAgencyIds ?? []), ...(d.invitedOrganisationIds ?? [])];
  requireSpeakersInvited(d.facilitators, 'facilitators', invited, d.audiences ?? [], collab);
  requireSpeakersInvited(d.presenters, 'presenters', invited, d.audiences ?? [], collab);
};
/** Old clients send invitedAgencyIds; the event always has it (empty when only others are invited). */
const scheduledData = <T extends { invitedAgencyIds?: string[] }>(d: T) => ({ ...d, invitedAgencyIds: d.invitedAgencyIds ?? [] });

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
  requireNewMeeting(d, collab, ctx);
  return [{ type: 'MeetingScheduled', data: scheduledData(d) }];
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
  requireNewMeeting(d, collab, ctx);
  const invited = [...(d.invitedAgencyIds ?? []), ...(d.invitedOrganisationIds ?? [])];
  if (d.attendance) requireAttendeesInvited(d.attendance, invited);
  const { heldAt, attendance, personAttendance: people, minutes, ...meeting } = d;
  const ids = { meetingId: d.meetingId, collaborativeId: d.collaborativeId };
  const perPerson = people
    ? personAttendance(people, { invited, audiences: d.audiences ?? [], durationMinutes: d.durationMinutes, registered: {} }, enrolmentOf(collab), ctx.people ?? {}, 'personAttendance')
    : undefined;
  return [
    { type: 'MeetingScheduled', data: { ...scheduledData(meeting), startsAt: heldAt } },
    ...(attendance ? [{ type: 'AttendanceRecorded' as const, data: { ...ids, attendance } }] : []),
    ...(perPerson ? [{ type: 'PersonAttendanceRecorded' as const, data: { ...ids, attendance: perPerson } }] : []),
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
    case 'InviteToMeeting':
    case 'SetMeetingProgramme':
    case 'SetMeetingCreditHours':
    case 'RegisterForMeeting':
    case 'CancelMeetingRegistration':
    case 'RecordPersonAttendance':
      return peopleDeciders(command, requireMeeting(state, ctx), ctx, { requireNotHeld, requireStarted, requireAudiences, requireSpeakersInvited, requireOrganisations });
    default:
      return assertNever(command);
  }
};
