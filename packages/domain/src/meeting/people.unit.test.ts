// Issue 16, people at meetings: invitees beyond agencies, the programme with time slots, credit
// hours, registration before the meeting and attendance per person, given/when/then.
import { describe, expect, it } from '@jest/globals';
import { A1, A2, A3, C1, COACH, COHORT1, COHORT2, M1, NOW, P1, activeA1, applied, openCollab, participationWith } from '../shared/fixtures';
import { given } from '../shared/testing';
import { ScheduleMeeting, SetMeetingCreditHours, RecordHeldMeeting } from './commands';
import type { MeetingContext } from './decide';
import type { OrganisationState } from '../organisation/state';
import type { PersonState } from '../person/state';
import type { MeetingEvent } from './events';
import { creditHoursEarned } from './invitees';
import { meeting } from './index';
import { meetingInvitees } from './state';

const org = (organisationId: string): OrganisationState => ({ status: 'registered', organisationId, kind: 'provider', name: 'Org', city: null, state: null, sites: [] });
const personAt = (personId: string, organisationId: string | null): PersonState => ({ status: 'registered', personId, organisationId });
const ctx: MeetingContext = { now: NOW, collaborative: openCollab, participations: { [A1]: activeA1, [A2]: participationWith(applied(A2)) }, organisations: { [A3]: org(A3) } };
const ids = { meetingId: M1, collaborativeId: C1 };
const P2 = '55555555-5555-4555-8555-555555555552';
const P3 = '55555555-5555-4555-8555-555555555553';
/** Twenty organisations with no application: prospects. */
const prospects = Array.from({ length: 20 }, (_, i) => `99999999-9999-4999-8999-${String(i + 1).padStart(12, '0')}`);
const base = {
  ...ids, kind: 'regular_call' as const, modality: 'video' as const, startsAt: '2025-06-20T15:00:00.000Z', durationMinutes: 120,
  callIn: 'https://meet.example.org/c', agenda: 'Progress',
};
const scheduledWith = (extra: Record<string, unknown> = {}): MeetingEvent => ({ type: 'MeetingScheduled', data: { ...base, invitedAgencyIds: [A1, A2], ...extra } });
const scheduled = scheduledWith();
const started: MeetingEvent = { type: 'MeetingScheduled', data: { ...base, invitedAgencyIds: [A1, A2], startsAt: '2025-06-15T10:00:00.000Z' } };
const registered = (personId: string, agencyId?: string): MeetingEvent => ({ type: 'RegisteredForMeeting', data: { ...ids, personId, ...(agencyId ? { agencyId } : {}) } });

describe('issue 16: whom a meeting invites', () => {
  it('an introductory meeting invites twenty prospect organisations and two stakeholders before any application', () => {
    const data = { ...base, kind: 'introductory' as const, invitedOrganisationIds: prospects, invitedPersonIds: [P1, P2] };
    expect(ScheduleMeeting.safeParse(data).success).toBe(true);
    given(meeting, [], { now: NOW, collaborative: openCollab, participations: {}, organisations: Object.fromEntries(prospects.map((o) => [o, org(o)])) })
      .when({ type: 'ScheduleMeeting', data })
      .then([{ type: 'MeetingScheduled', data: { ...data, invitedAgencyIds: [] } }]);
  });
  it('an organisation invited must be registered', () =>
    given(meeting, [], { now: NOW, collaborative: openCollab, participations: {}, organisations: { [prospects[0]!]: org(prospects[0]!) } })
      .when({ type: 'ScheduleMeeting', data: { ...base, kind: 'introductory', invitedOrganisationIds: prospects.slice(0, 2) } })
      .thenFails('organisation_not_found', 'unprocessable', 'invitedOrganisationIds.1'));
  it('an existing client still invites agencies with invitedAgencyIds alone', () =>
    given(meeting, [], ctx).when({ type: 'ScheduleMeeting', data: { ...base, invitedAgencyIds: [A1] } }).then([{ type: 'MeetingScheduled', data: { ...base, invitedAgencyIds: [A1] } }]));
  it('an Executive Sponsor call invites all Executive Sponsors', () => {
    const data = { ...base, kind: 'executive_sponsor_call' as const, audiences: [{ type: 'all_executive_sponsors' as const }] };
    given(meeting, [], ctx).when({ type: 'ScheduleMeeting', data }).then([{ type: 'MeetingScheduled', data: { ...data, invitedAgencyIds: [] } }]);
  });
  it('a cohort audience names a cohort of the collaborative', () =>
    given(meeting, [], ctx)
      .when({ type: 'ScheduleMeeting', data: { ...base, audiences: [{ type: 'mentors' }, { type: 'cohort', cohortId: '22222222-2222-4222-8222-222222222229' }] } })
      .thenFails('cohort_not_found', 'unprocessable', 'audiences.1.cohortId'));
  it('invites more later, only what is new', () =>
    given(meeting, [scheduledWith({ invitedPersonIds: [P1] })], ctx)
      .when({ type: 'InviteToMeeting', data: { meetingId: M1, invitees: { invitedPersonIds: [P1, P2], invitedOrganisationIds: [A3], audiences: [{ type: 'mentors' }] } } })
      .then([{ type: 'MeetingInviteesAdded', data: { ...ids, invitedOrganisationIds: [A3], invitedPersonIds: [P2], audiences: [{ type: 'mentors' }] } }]));
  it('inviting whoever is invited already changes nothing', () =>
    given(meeting, [scheduledWith({ invitedPersonIds: [P1] })], ctx).when({ type: 'InviteToMeeting', data: { meetingId: M1, invitees: { invitedPersonIds: [P1] } } }).then([]));
  it('an invitation names someone', () =>
    given(meeting, [scheduled], ctx).when({ type: 'InviteToMeeting', data: { meetingId: M1, invitees: {} } }).thenFails('no_invitees', 'unprocessable', 'invitees'));
  it('no one is invited to a meeting that took place', () =>
    given(meeting, [started, { type: 'MinutesPublished', data: { ...ids, minutes: 'x' } }], ctx)
      .when({ type: 'InviteToMeeting', data: { meetingId: M1, invitees: { invitedPersonIds: [P2] } } }).thenFails('meeting_held', 'conflict'));
});

describe('issue 16: who facilitates and presents', () => {
  const slot = (startOffsetMinutes: number, minutes: number, agencyId = A1) => ({ agencyId, startOffsetMinutes, minutes });
  it('coaches co-facilitate, a guest speaker and a team present in slots', () => {
    const programme = { facilitators: [{ personId: COACH }, { personId: P3 }], presenters: [{ personId: P2, startOffsetMinutes: 0, minutes: 30 }, slot(30, 15)] };
    given(meeting, [scheduled], ctx).when({ type: 'SetMeetingProgramme', data: { meetingId: M1, ...programme } }).then([{ type: 'MeetingProgrammeSet', data: { ...ids, ...programme } }]);
  });
  it('slots must not overlap', () =>
    given(meeting, [scheduled], ctx)
      .when({ type: 'SetMeetingProgramme', data: { meetingId: M1, facilitators: [], presenters: [slot(0, 30), slot(20, 15, A2)] } })
      .thenFails('slots_overlap', 'unprocessable', 'presenters.1.startOffsetMinutes'));
  it('a slot must fit in the meeting', () =>
    given(meeting, [scheduled], ctx)
      .when({ type: 'SetMeetingProgramme', data: { meetingId: M1, facilitators: [], presenters: [slot(110, 15)] } })
      .thenFails('slot_outside_meeting', 'unprocessable', 'presenters.0.minutes'));
  it('a presenting team must be invited', () =>
    given(meeting, [scheduled], ctx)
      .when({ type: 'SetMeetingProgramme', data: { meetingId: M1, facilitators: [], presenters: [slot(0, 10, A3)] } })
      .thenFails('agency_not_invited', 'unprocessable', 'presenters.0.agencyId'));
  it('a team invited with its cohort may present', () =>
    given(meeting, [scheduledWith({ invitedAgencyIds: [], audiences: [{ type: 'cohort', cohortId: COHORT2 }] })], ctx)
      .when({ type: 'SetMeetingProgramme', data: { meetingId: M1, facilitators: [], presenters: [slot(0, 10, A2)] } })
      .then([{ type: 'MeetingProgrammeSet', data: { ...ids, facilitators: [], presenters: [slot(0, 10, A2)] } }]));
  it('a person or team is listed once', () =>
    given(meeting, [scheduled], ctx)
      .when({ type: 'SetMeetingProgramme', data: { meetingId: M1, facilitators: [], presenters: [slot(0, 10), slot(10, 10)] } })
      .thenFails('duplicate_speaker', 'unprocessable', 'presenters.1'));

  // Twelve teams of a cohort, 15 minutes each: more than the 10 presenters a call allows.
  const teams = Array.from({ length: 12 }, (_, i) => `77777777-7777-4777-8777-${String(i + 1).padStart(12, '0')}`);
  const conferenceCollab = { ...openCollab, enrolment: { ...(openCollab.status === 'none' ? {} : openCollab.enrolment), ...Object.fromEntries(teams.map((t) => [t, COHORT1])) } } as typeof openCollab;
  const everyTeam = teams.map((agencyId, i) => ({ agencyId, startOffsetMinutes: i * 15, minutes: 15 }));
  const conference = (kind: 'completion_conference' | 'regular_call') => ({
    ...base, kind, modality: 'in_person' as const, callIn: undefined, location: 'State Office', durationMinutes: 240,
    audiences: [{ type: 'cohort' as const, cohortId: COHORT1 }], presenters: everyTeam,
  });
  it('the completion conference gives every team a 15-minute slot (beyond the 10-presenter cap)', () => {
    const { callIn: _c, ...data } = conference('completion_conference');
    given(meeting, [], { ...ctx, collaborative: conferenceCollab }).when({ type: 'ScheduleMeeting', data }).then([{ type: 'MeetingScheduled', data: { ...data, invitedAgencyIds: [] } }]);
  });
  it('any other meeting keeps the cap of 10 presenters', () => {
    const { callIn: _c, ...data } = conference('regular_call');
    given(meeting, [], { ...ctx, collaborative: conferenceCollab }).when({ type: 'ScheduleMeeting', data }).thenFails('too_many_presenters', 'unprocessable', 'presenters');
  });
  it('a speaker is one person or one team, and a slot has a start and a length', () => {
    const bad = ScheduleMeeting.safeParse({ ...base, presenters: [{ personId: P1, agencyId: A1 }, { personId: P2, startOffsetMinutes: 5 }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['presenters.0.personId', 'presenters.1.minutes']);
  });
});

describe('issue 16: registration before the meeting', () => {
  it('a person registers before the start, for the agency they belong to when known', () =>
    given(meeting, [scheduled], { ...ctx, people: { [P1]: personAt(P1, A1) } }).when({ type: 'RegisterForMeeting', data: { meetingId: M1, personId: P1 } }).then([registered(P1, A1)]));
  it('a person of an organisation not invited registers as a guest; naming another agency than theirs is refused', () => {
    given(meeting, [scheduled], { ...ctx, people: { [P1]: personAt(P1, A3) } }).when({ type: 'RegisterForMeeting', data: { meetingId: M1, personId: P1 } }).then([registered(P1)]);
    given(meeting, [scheduled], { ...ctx, people: { [P1]: personAt(P1, A1) } })
      .when({ type: 'RegisterForMeeting', data: { meetingId: M1, personId: P1, agencyId: A2 } }).thenFails('person_not_of_agency', 'unprocessable', 'agencyId');
  });
  it('a person registers for an invited agency only', () => {
    given(meeting, [scheduled], ctx).when({ type: 'RegisterForMeeting', data: { meetingId: M1, personId: P1, agencyId: A2 } }).then([registered(P1, A2)]);
    given(meeting, [scheduled], ctx).when({ type: 'RegisterForMeeting', data: { meetingId: M1, personId: P1, agencyId: A3 } }).thenFails('agency_not_invited', 'unprocessable', 'agencyId');
  });
  it('registering again changes nothing', () => given(meeting, [scheduled, registered(P1)], ctx).when({ type: 'RegisterForMeeting', data: { meetingId: M1, personId: P1 } }).then([]));
  it('registration closes when the meeting starts', () =>
    given(meeting, [started], ctx).when({ type: 'RegisterForMeeting', data: { meetingId: M1, personId: P1 } }).thenFails('registration_closed', 'conflict'));
  it('no registration for a cancelled meeting', () =>
    given(meeting, [scheduled, { type: 'MeetingCancelled', data: { ...ids, reason: 'x' } }], ctx).when({ type: 'RegisterForMeeting', data: { meetingId: M1, personId: P1 } }).thenFails('meeting_cancelled'));
  it('a registration is cancelled before the start', () =>
    given(meeting, [scheduled, registered(P1)], ctx)
      .when({ type: 'CancelMeetingRegistration', data: { meetingId: M1, personId: P1 } }).then([{ type: 'MeetingRegistrationCancelled', data: { ...ids, personId: P1 } }]));
  it('cancelling a registration that is not there changes nothing', () =>
    given(meeting, [scheduled, registered(P1), { type: 'MeetingRegistrationCancelled', data: { ...ids, personId: P1 } }], ctx)
      .when({ type: 'CancelMeetingRegistration', data: { meetingId: M1, personId: P1 } }).then([]));
  it('a registration is not cancelled once the meeting started', () =>
    given(meeting, [started, registered(P1)], ctx).when({ type: 'CancelMeetingRegistration', data: { meetingId: M1, personId: P1 } }).thenFails('registration_closed', 'conflict'));
  it('after cancelling, a person registers again', () =>
    given(meeting, [scheduled, registered(P1), { type: 'MeetingRegistrationCancelled', data: { ...ids, personId: P1 } }], ctx)
      .when({ type: 'RegisterForMeeting', data: { meetingId: M1, personId: P1 } }).then([registered(P1)]));
});

describe('issue 16: attendance per person and credit hours', () => {
  const attendance = [{ personId: P1, agencyId: A1, present: true }, { personId: P2, present: true, minutesAttended: 60 }, { personId: P3, present: false }];
  it('records who attended, each for their agency (a guest for none)', () =>
    given(meeting, [started], ctx).when({ type: 'RecordPersonAttendance', data: { meetingId: M1, attendance } }).then([{ type: 'PersonAttendanceRecorded', data: { ...ids, attendance } }]));
  it('a person attends for their organisation when it is invited', () =>
    given(meeting, [started], { ...ctx, people: { [P1]: personAt(P1, A2) } })
      .when({ type: 'RecordPersonAttendance', data: { meetingId: M1, attendance: [{ personId: P1, present: true }] } })
      .then([{ type: 'PersonAttendanceRecorded', data: { ...ids, attendance: [{ personId: P1, agencyId: A2, present: true }] } }]));
  it('a registered person attends for the agency they registered for', () =>
    given(meeting, [started, registered(P2, A2)], ctx)
      .when({ type: 'RecordPersonAttendance', data: { meetingId: M1, attendance: [{ personId: P2, present: true }] } })
      .then([{ type: 'PersonAttendanceRecorded', data: { ...ids, attendance: [{ personId: P2, agencyId: A2, present: true }] } }]));
  it('the agency a person attended for must be invited', () =>
    given(meeting, [started], ctx).when({ type: 'RecordPersonAttendance', data: { meetingId: M1, attendance: [{ personId: P1, agencyId: A3, present: true }] } })
      .thenFails('agency_not_invited', 'unprocessable', 'attendance.0.agencyId'));
  it('no one attends longer than the meeting', () =>
    given(meeting, [started], ctx).when({ type: 'RecordPersonAttendance', data: { meetingId: M1, attendance: [{ personId: P1, present: true, minutesAttended: 121 }] } })
      .thenFails('minutes_exceed_meeting', 'unprocessable', 'attendance.0.minutesAttended'));
  it('attendance waits for the start', () =>
    given(meeting, [scheduled], ctx).when({ type: 'RecordPersonAttendance', data: { meetingId: M1, attendance } }).thenFails('meeting_not_started'));
  it('a meeting recorded as held carries attendance per person (no per-agency list needed)', () => {
    const { startsAt: _s, ...shape } = base;
    const data = { ...shape, invitedAgencyIds: [A1], heldAt: '2025-06-01T15:00:00.000Z', personAttendance: [{ personId: P1, agencyId: A1, present: true }], creditHours: 2 };
    expect(RecordHeldMeeting.safeParse(data).success).toBe(true);
    given(meeting, [], ctx).when({ type: 'RecordHeldMeeting', data }).then([
      { type: 'MeetingScheduled', data: { ...shape, invitedAgencyIds: [A1], creditHours: 2, startsAt: data.heldAt } },
      { type: 'PersonAttendanceRecorded', data: { ...ids, attendance: data.personAttendance } },
    ]);
  });
  it('a held meeting needs attendance of some kind', () => {
    const { startsAt: _s, ...shape } = base;
    expect(RecordHeldMeeting.safeParse({ ...shape, heldAt: '2025-06-01T15:00:00.000Z' }).error?.issues[0]?.path).toEqual(['attendance']);
  });
  it('credit hours are set, also after the meeting, in quarter hours', () => {
    given(meeting, [started, { type: 'PersonAttendanceRecorded', data: { ...ids, attendance } }], ctx)
      .when({ type: 'SetMeetingCreditHours', data: { meetingId: M1, creditHours: 1.5 } }).then([{ type: 'MeetingCreditHoursSet', data: { ...ids, creditHours: 1.5 } }]);
    expect(SetMeetingCreditHours.safeParse({ meetingId: M1, creditHours: 1.3 }).success).toBe(false);
    expect(SetMeetingCreditHours.safeParse({ meetingId: M1, creditHours: 0 }).success).toBe(true);
  });
  it('each attendee earns the hours: all when present throughout, prorated and rounded down to a quarter hour, none when absent', () => {
    expect(creditHoursEarned(2, 120, { present: true })).toBe(2);
    expect(creditHoursEarned(2, 120, { present: true, minutesAttended: 60 })).toBe(1);
    expect(creditHoursEarned(2, 120, { present: true, minutesAttended: 50 })).toBe(0.75);
    expect(creditHoursEarned(2, 120, { present: true, minutesAttended: 500 })).toBe(2);
    expect(creditHoursEarned(2, 120, { present: false, minutesAttended: 120 })).toBe(0);
    expect(creditHoursEarned(null, 120, { present: true })).toBe(0);
  });
});

describe('issue 16: whom messages about a meeting go to (for the worker)', () => {
  it('the agencies and organisations, the people invited or registered, the audiences; none once cancelled', () => {
    const events: MeetingEvent[] = [
      scheduledWith({ invitedOrganisationIds: [A3], invitedPersonIds: [P1], audiences: [{ type: 'all_executive_sponsors' }] }),
      registered(P2, A1),
      { type: 'MeetingInviteesAdded', data: { ...ids, audiences: [{ type: 'mentors' }] } },
    ];
    const state = events.reduce(meeting.evolve, meeting.initialState());
    expect(meetingInvitees(state)).toEqual({ agencyIds: [A1, A2, A3], personIds: [P1, P2], audiences: [{ type: 'all_executive_sponsors' }, { type: 'mentors' }] });
    const cancelled = meeting.evolve(state, { type: 'MeetingCancelled', data: { ...ids, reason: 'x' } });
    expect(meetingInvitees(cancelled)).toEqual({ agencyIds: [], personIds: [], audiences: [] });
  });
});

describe('issue 16: stored history reads the same', () => {
  it('a MeetingScheduled stored before issue 16 (version 1, agencies only) parses unchanged and folds with no other invitees', () => {
    const stored = {
      meetingId: M1, collaborativeId: C1, kind: 'regular_call', modality: 'phone', startsAt: '2025-06-20T15:00:00.000Z', durationMinutes: 60,
      callIn: '+1 555 0100', agenda: 'Progress reports', invitedAgencyIds: [A1, A2],
    };
    const parsed = meeting.events.MeetingScheduled.schema.parse(stored);
    expect(parsed).toEqual(stored);
    expect(meeting.events.MeetingScheduled.schemaVersion).toBe(1);
    const state = meeting.evolve(meeting.initialState(), { type: 'MeetingScheduled', data: parsed as typeof base & { invitedAgencyIds: string[] } });
    expect(state).toMatchObject({ status: 'scheduled', invited: [A1, A2], invitedPersons: [], audiences: [], registered: {} });
  });
});
