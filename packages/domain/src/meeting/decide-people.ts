// Issue 16, people at meetings: more invitees, the programme (facilitators, presenters, slots),
// credit hours, registration before the meeting and attendance per person.
import type { CollaborativeState } from '../collaborative/state';
import { requireOpenCollaborative } from '../collaborative/decide';
import { conflict, unprocessable } from '../shared/errors';
import type { MeetingCommand } from './commands';
import type { MeetingContext } from './decide';
import type { MeetingEvent } from './events';
import { agencyInvited, requireProgramme, type Audience, type Speaker } from './invitees';
import type { MeetingState } from './state';
import type { PersonState } from '../person/state';

type Known = Exclude<MeetingState, { status: 'none' }>;
type Cmd<T extends MeetingCommand['type']> = Extract<MeetingCommand, { type: T }>['data'];
type Events = MeetingEvent[];
type PeopleCommand = Extract<MeetingCommand, { type: 'InviteToMeeting' | 'SetMeetingProgramme' | 'SetMeetingCreditHours' | 'RegisterForMeeting' | 'CancelMeetingRegistration' | 'RecordPersonAttendance' }>;

/** Rules of decide.ts the people commands share (passed in, so the two files do not import each other at load). */
export interface MeetingRules {
  requireNotHeld: (m: Known) => Known;
  requireStarted: (m: Known, now: string) => Known;
  requireAudiences: (audiences: Audience[] | undefined, collab: CollaborativeState, field?: string) => void;
  requireSpeakersInvited: (speakers: Speaker[] | undefined, field: string, invited: string[], audiences: Audience[], collab: CollaborativeState) => void;
  requireOrganisations: (ids: string[] | undefined, ctx: MeetingContext, field?: string) => void;
}

const ids = (m: Known) => ({ meetingId: m.meetingId, collaborativeId: m.collaborativeId });
const enrolment = (collab: CollaborativeState | undefined) => (!collab || collab.status === 'none' ? {} : collab.enrolment);

/**
 * The agency a person comes for: the one named (it must be the person's organisation when the person
 * is registered with one), else the one they registered for, else their organisation when it is
 * invited; else none (a guest, a stakeholder, a speaker from elsewhere).
 */
function agencyOfPerson(
  personId: string, named: string | undefined, registered: string | null | undefined, people: Record<string, PersonState>,
  isInvited: (agencyId: string) => boolean, field: string,
): string | undefined {
  const person = people[personId];
  const organisationId = person?.status === 'registered' ? person.organisationId : null;
  if (named && organisationId && named !== organisationId) unprocessable('person_not_of_agency', `The person belongs to organisation ${organisationId}`, field);
  if (named) return named;
  if (registered) return registered;
  return organisationId && isInvited(organisationId) ? organisationId : undefined;
}

/**
 * Attendance per person, each with the agency the person attended for (agencyOfPerson). A named
 * agency must be invited; the per-agency attendance is derived from these entries (present when any
 * of its people was).
 */
export function personAttendance(
  entries: Cmd<'RecordPersonAttendance'>['attendance'],
  m: { invited: string[]; audiences: Audience[]; durationMinutes: number; registered: Record<string, string | null> },
  enrolled: Record<string, string>,
  people: Record<string, PersonState>,
  field = 'attendance',
) {
  const isInvited = (agencyId: string) => agencyInvited(agencyId, m.invited, m.audiences, enrolled);
  return entries.map((e, i) => {
    const agencyId = agencyOfPerson(e.personId, e.agencyId, m.registered[e.personId], people, isInvited, `${field}.${i}.agencyId`);
    if (agencyId && !isInvited(agencyId))
      unprocessable('agency_not_invited', 'Attendance only for invited agencies', `${field}.${i}.agencyId`);
    if (e.minutesAttended !== undefined && e.minutesAttended > m.durationMinutes)
      unprocessable('minutes_exceed_meeting', `minutesAttended exceeds the meeting's ${m.durationMinutes} minutes`, `${field}.${i}.minutesAttended`);
    return { personId: e.personId, ...(agencyId ? { agencyId } : {}), present: e.present, ...(e.minutesAttended !== undefined ? { minutesAttended: e.minutesAttended } : {}) };
  });
}

/** Registration is for a meeting still ahead: refused from its start on. */
const requireRegistrationOpen = (m: Known, now: string) => {
  if (Date.parse(now) >= Date.parse(m.startsAt)) conflict('registration_closed', `Registration closed when the meeting started (${m.startsAt})`);
  return m;
};

const invite = ({ invitees: d }: Cmd<'InviteToMeeting'>, m: Known, ctx: MeetingContext, rules: MeetingRules): Events => {
  rules.requireNotHeld(m);
  const collab = requireOpenCollaborative(ctx.collaborative);
  rules.requireAudiences(d.audiences, collab, 'invitees.audiences');
  rules.requireOrganisations(d.invitedOrganisationIds, ctx, 'invitees.invitedOrganisationIds');
  const organisations = (d.invitedOrganisationIds ?? []).filter((o) => !m.invited.includes(o));
  const people = (d.invitedPersonIds ?? []).filter((p) => !m.invitedPersons.includes(p));
  const audiences = (d.audiences ?? []).filter((a) => !m.audiences.some((b) => JSON.stringify(a) === JSON.stringify(b)));
  if (!d.invitedOrganisationIds?.length && !d.invitedPersonIds?.length && !d.audiences?.length)
    return unprocessable('no_invitees', 'Name organisations, people or audiences to invite', 'invitees');
  // Inviting whoever is already invited changes nothing (a retry is harmless).
  if (organisations.length + people.length + audiences.length === 0) return [];
  return [{
    type: 'MeetingInviteesAdded',
    data: { ...ids(m), ...(organisations.length ? { invitedOrganisationIds: organisations } : {}), ...(people.length ? { invitedPersonIds: people } : {}), ...(audiences.length ? { audiences } : {}) },
  }];
};

const setProgramme = (d: Cmd<'SetMeetingProgramme'>, m: Known, ctx: MeetingContext, rules: MeetingRules): Events => {
  rules.requireNotHeld(m);
  const collab = requireOpenCollaborative(ctx.collaborative);
  requireProgramme(m.kind, m.durationMinutes, d.facilitators, d.presenters);
  rules.requireSpeakersInvited(d.facilitators, 'facilitators', m.invited, m.audiences, collab);
  rules.requireSpeakersInvited(d.presenters, 'presenters', m.invited, m.audiences, collab);
  return [{ type: 'MeetingProgrammeSet', data: { ...ids(m), facilitators: d.facilitators, presenters: d.presenters } }];
};

export function peopleDeciders(command: PeopleCommand, m: Known, ctx: MeetingContext, rules: MeetingRules): Events {
  switch (command.type) {
    case 'InviteToMeeting':
      return invite(command.data, m, ctx, rules);
    case 'SetMeetingProgramme':
      return setProgramme(command.data, m, ctx, rules);
    case 'SetMeetingCreditHours':
      // Also after the meeting: credits may be approved once it has taken place.
      return [{ type: 'MeetingCreditHoursSet', data: { ...ids(m), creditHours: command.data.creditHours } }];
    case 'RegisterForMeeting': {
      const { personId } = command.data;
      requireRegistrationOpen(m, ctx.now);
      if (personId in m.registered) return [];
      const isInvited = (a: string) => agencyInvited(a, m.invited, m.audiences, enrolment(ctx.collaborative));
      const agencyId = agencyOfPerson(personId, command.data.agencyId, undefined, ctx.people ?? {}, isInvited, 'agencyId');
      if (agencyId && !isInvited(agencyId)) unprocessable('agency_not_invited', 'Attendance only for invited agencies', 'agencyId');
      return [{ type: 'RegisteredForMeeting', data: { ...ids(m), personId, ...(agencyId ? { agencyId } : {}) } }];
    }
    case 'CancelMeetingRegistration': {
      requireRegistrationOpen(m, ctx.now);
      if (!(command.data.personId in m.registered)) return [];
      return [{ type: 'MeetingRegistrationCancelled', data: { ...ids(m), personId: command.data.personId } }];
    }
    case 'RecordPersonAttendance': {
      rules.requireStarted(m, ctx.now);
      const attendance = personAttendance(command.data.attendance, m, enrolment(ctx.collaborative), ctx.people ?? {});
      return [{ type: 'PersonAttendanceRecorded', data: { ...ids(m), attendance } }];
    }
  }
}
