import { streamIds } from '../shared/ids';
import type { AggregateDefinition, CommandSpec, ContextRef } from '../shared/types';
import * as c from './commands';
import { PrepareMeetingPacket } from './packet';
import type { MeetingCommand } from './commands';
import { decideMeeting, type MeetingContext } from './decide';
import { meetingEvents, type MeetingEvent } from './events';
import { evolveMeeting, initialMeetingState, type MeetingState } from './state';

const target = (d: { meetingId: string }) => streamIds.meeting(d.meetingId);
const collab = (collaborativeId: string): ContextRef => ({ key: 'collaborative', aggregate: 'collaborative', streamId: streamIds.collaborative(collaborativeId) });
const fromState = (_: unknown, s: MeetingState): ContextRef[] => (s.status === 'none' ? [] : [collab(s.collaborativeId)]);
// Issue 16: the organisations a meeting invites must be registered; a person's organisation tells the agency they come for.
const organisations = (ids: string[] | undefined): ContextRef[] =>
  (ids ?? []).map((o) => ({ key: `organisations.${o}`, aggregate: 'organisation', streamId: streamIds.organisation(o) }));
const people = (ids: string[]): ContextRef[] => ids.map((p) => ({ key: `people.${p}`, aggregate: 'person', streamId: streamIds.person(p) }));
const spec = <D extends { meetingId: string }>(schema: CommandSpec<D>['schema'], operationId: string, description: string): CommandSpec<D, MeetingState> => ({
  schema,
  operationId,
  description,
  streamId: target,
  context: fromState,
});

export const meeting: AggregateDefinition<MeetingState, MeetingCommand, MeetingEvent, MeetingContext> = {
  name: 'meeting',
  initialState: initialMeetingState,
  evolve: evolveMeeting,
  decide: decideMeeting,
  commands: {
    ScheduleMeeting: {
      schema: c.ScheduleMeeting,
      operationId: 'scheduleMeeting',
      description: 'Schedule a meeting or call of the collaborative',
      streamId: target,
      context: (d) => [
        collab(d.collaborativeId),
        ...(d.invitedAgencyIds ?? []).map((a): ContextRef => ({ key: `participations.${a}`, aggregate: 'participation', streamId: streamIds.participation(d.collaborativeId, a) })),
        ...organisations(d.invitedOrganisationIds),
      ],
    },
    RecordHeldMeeting: {
      schema: c.RecordHeldMeeting,
      operationId: 'recordHeldMeeting',
      description: 'Record a meeting or call that already took place, with its attendance and minutes',
      streamId: target,
      context: (d) => [
        collab(d.collaborativeId),
        ...(d.invitedAgencyIds ?? []).map((a): ContextRef => ({ key: `participations.${a}`, aggregate: 'participation', streamId: streamIds.participation(d.collaborativeId, a) })),
        ...organisations(d.invitedOrganisationIds),
        ...people((d.personAttendance ?? []).map((a) => a.personId)),
      ],
    },
    RescheduleMeeting: spec(c.RescheduleMeeting, 'rescheduleMeeting', 'Move a scheduled meeting'),
    CancelMeeting: spec(c.CancelMeeting, 'cancelMeeting', 'Cancel a scheduled meeting'),
    AssignPresenters: spec(c.AssignPresenters, 'assignPresenters', 'Choose the agencies that report their progress'),
    RecordAttendance: spec(c.RecordAttendance, 'recordAttendance', 'Record attendance per invited agency'),
    PublishMinutes: spec(c.PublishMinutes, 'publishMinutes', 'Publish the minutes (once)'),
    CorrectMinutes: spec(c.CorrectMinutes, 'correctMinutes', 'Correct published minutes'),
    PrepareMeetingPacket: spec(PrepareMeetingPacket, 'prepareMeetingPacket', "Prepare the meeting's packet: a PDF per invited agency (its figures against the pool's, its change projects) and an aggregate one, stored in the meeting's binder; each Change Leader is e-mailed"),
    InviteToMeeting: {
      ...spec(c.InviteToMeeting, 'inviteToMeeting', 'Invite more organisations (prospects too), people or audiences to a meeting'),
      context: (d, s) => [...fromState(d, s), ...organisations(d.invitees.invitedOrganisationIds)],
    },
    SetMeetingProgramme: spec(c.SetMeetingProgramme, 'setMeetingProgramme', 'Set who facilitates and presents, with optional time slots'),
    SetMeetingCreditHours: spec(c.SetMeetingCreditHours, 'setMeetingCreditHours', 'Set the continuing-education credit hours the meeting grants (0: none)'),
    RegisterForMeeting: {
      ...spec(c.RegisterForMeeting, 'registerForMeeting', 'Register a person for a meeting before it starts (again: no change)'),
      context: (d, s) => [...fromState(d, s), ...people([d.personId])],
    },
    CancelMeetingRegistration: spec(c.CancelMeetingRegistration, 'cancelMeetingRegistration', "Cancel a person's registration before the meeting starts"),
    RecordPersonAttendance: {
      ...spec(c.RecordPersonAttendance, 'recordPersonAttendance', 'Record attendance per person (the agency attendance is derived from it)'),
      context: (d, s) => [...fromState(d, s), ...people(d.attendance.map((a) => a.personId))],
    },
  },
  events: meetingEvents,
};

export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
export * from './packet';
export * from './invitees';
