// Issue 16, people at meetings, in the schedule projection: a row per person and meeting
// (registration, attendance, the agency they came for) for the registration list and the credit
// reports, and the per-agency attendance derived from the people on the meeting's own row.
import type { RowRef, RowStore, TableSpec } from '../runtime/types';
import type { DomainEvent } from './events';

export const meetingPeopleEventTypes = ['MeetingInviteesAdded', 'MeetingProgrammeSet', 'MeetingCreditHoursSet', 'RegisteredForMeeting', 'MeetingRegistrationCancelled', 'PersonAttendanceRecorded'];

export const meetingPeopleTable: TableSpec = {
  name: 'meeting_people',
  columns: {
    collaborative_id: 'text', meeting_id: 'text', person_id: 'text', agency_id: 'text',
    registration: 'text', registered_at: 'text', registration_cancelled_at: 'text',
    present: 'boolean', minutes_attended: 'integer', attendance_recorded_at: 'text', updated_at: 'text',
  },
  indexes: [['person_id'], ['meeting_id'], ['collaborative_id', 'person_id']],
};

/** The meeting row's columns this file adds (schedule v3). */
export const meetingPeopleColumns = {
  invited_organisation_ids: 'text[]', invited_person_ids: 'text[]', audiences: 'jsonb', facilitators: 'jsonb', presenters: 'jsonb',
  credit_hours: 'double precision', person_attendance: 'jsonb', registered_count: 'integer',
} as const;

const rowId = (meetingId: string, personId: string) => `${meetingId}|${personId}`;
const union = (a: unknown, b: string[] | undefined) => [...new Set([...((a as string[] | null) ?? []), ...(b ?? [])])];

export function meetingPeopleRefs(e: DomainEvent): RowRef[] {
  switch (e.type) {
    case 'RegisteredForMeeting':
    case 'MeetingRegistrationCancelled':
      return [{ table: 'meetings', id: e.data.meetingId }, { table: 'meeting_people', id: rowId(e.data.meetingId, e.data.personId) }];
    case 'PersonAttendanceRecorded':
      return [{ table: 'meetings', id: e.data.meetingId }, ...e.data.attendance.map((a) => ({ table: 'meeting_people', id: rowId(e.data.meetingId, a.personId) }))];
    default:
      return [];
  }
}

type PersonEntry = { agencyId: string | null; present: boolean; minutesAttended: number | null };
type AgencyEntry = { present: boolean; attendees: string[]; attendeePersonIds?: string[] };

/**
 * The agency attendance derived from its people: present when any of them was, with the ids of those
 * present. An agency recorded only per agency (AttendanceRecorded) keeps that entry.
 */
function deriveAgencies(agencies: Record<string, AgencyEntry>, people: Record<string, PersonEntry>): Record<string, AgencyEntry> {
  const out = { ...agencies };
  const byAgency = new Map<string, [string, PersonEntry][]>();
  for (const [personId, p] of Object.entries(people)) if (p.agencyId) byAgency.set(p.agencyId, [...(byAgency.get(p.agencyId) ?? []), [personId, p]]);
  for (const [agencyId, entries] of byAgency) {
    const present = entries.filter(([, p]) => p.present).map(([id]) => id).sort();
    out[agencyId] = { present: present.length > 0, attendees: out[agencyId]?.attendees ?? [], attendeePersonIds: present };
  }
  return out;
}

/** Handles the issue-16 meeting events; `change` patches the meeting row (no-op when unknown). */
export function evolveMeetingPeople(
  store: RowStore,
  e: DomainEvent,
  at: string,
  change: (id: string, patch: (row: Record<string, unknown>) => Record<string, unknown>) => void,
): void {
  const person = (meetingId: string, personId: string, collaborativeId: string, patch: Record<string, unknown>) => {
    const existing = store.get('meeting_people', rowId(meetingId, personId));
    store.put('meeting_people', {
      id: rowId(meetingId, personId), collaborative_id: collaborativeId, meeting_id: meetingId, person_id: personId, agency_id: null,
      registration: null, registered_at: null, registration_cancelled_at: null, present: null, minutes_attended: null, attendance_recorded_at: null,
      ...existing, ...patch, updated_at: at,
    });
  };
  switch (e.type) {
    case 'MeetingInviteesAdded':
      return change(e.data.meetingId, (r) => ({
        invited_organisation_ids: union(r.invited_organisation_ids, e.data.invitedOrganisationIds),
        invited_person_ids: union(r.invited_person_ids, e.data.invitedPersonIds),
        audiences: [...((r.audiences as unknown[] | null) ?? []), ...(e.data.audiences ?? [])],
      }));
    case 'MeetingProgrammeSet':
      return change(e.data.meetingId, () => ({ facilitators: e.data.facilitators, presenters: e.data.presenters }));
    case 'MeetingCreditHoursSet':
      return change(e.data.meetingId, () => ({ credit_hours: e.data.creditHours === 0 ? null : e.data.creditHours }));
    case 'RegisteredForMeeting':
      person(e.data.meetingId, e.data.personId, e.data.collaborativeId, {
        registration: 'registered', registered_at: at, registration_cancelled_at: null, ...(e.data.agencyId ? { agency_id: e.data.agencyId } : {}),
      });
      return change(e.data.meetingId, (r) => ({ registered_count: Number(r.registered_count ?? 0) + 1 }));
    case 'MeetingRegistrationCancelled':
      person(e.data.meetingId, e.data.personId, e.data.collaborativeId, { registration: 'cancelled', registration_cancelled_at: at });
      return change(e.data.meetingId, (r) => ({ registered_count: Math.max(0, Number(r.registered_count ?? 0) - 1) }));
    case 'PersonAttendanceRecorded': {
      for (const a of e.data.attendance)
        person(e.data.meetingId, a.personId, e.data.collaborativeId, {
          present: a.present, minutes_attended: a.minutesAttended ?? null, attendance_recorded_at: at, ...(a.agencyId ? { agency_id: a.agencyId } : {}),
        });
      return change(e.data.meetingId, (r) => {
        const people: Record<string, PersonEntry> = { ...((r.person_attendance as Record<string, PersonEntry> | null) ?? {}) };
        for (const a of e.data.attendance) people[a.personId] = { agencyId: a.agencyId ?? people[a.personId]?.agencyId ?? null, present: a.present, minutesAttended: a.minutesAttended ?? null };
        const attendance = deriveAgencies((r.attendance as Record<string, AgencyEntry> | null) ?? {}, people);
        const entries = Object.values(attendance);
        return { person_attendance: people, attendance, present_count: entries.filter((a) => a.present).length, absent_count: entries.filter((a) => !a.present).length };
      });
    }
    default:
      return;
  }
}
