import type { MeetingEvent } from './events';
import type { Audience } from './invitees';

interface Known {
  meetingId: string;
  collaborativeId: string;
  kind: string;
  startsAt: string;
  durationMinutes: number;
  /** Agencies and organisations invited (an agency's id is its organisation id). */
  invited: string[];
  invitedPersons: string[];
  audiences: Audience[];
  presenters: string[];
  /** Agencies whose attendance is recorded. */
  attendanceRecorded: string[];
  minutesPublished: boolean;
  /** Packets asked for (issue 18); absent in states folded before packets existed. */
  packets?: string[];
  /** Registered people, with the agency they registered for (null: none known). */
  registered: Record<string, string | null>;
}
/** `held` once attendance or minutes are recorded. */
export type MeetingState = { status: 'none' } | (Known & { status: 'scheduled' | 'held' | 'cancelled' });

export const initialMeetingState = (): MeetingState => ({ status: 'none' });

const union = (a: string[], b: string[] | undefined) => [...new Set([...a, ...(b ?? [])])];

export const evolveMeeting = (state: MeetingState, event: MeetingEvent): MeetingState => {
  const { type, data } = event;
  if (type === 'MeetingScheduled')
    return {
      status: 'scheduled',
      meetingId: data.meetingId,
      collaborativeId: data.collaborativeId,
      kind: data.kind,
      startsAt: data.startsAt,
      durationMinutes: data.durationMinutes,
      invited: union(data.invitedAgencyIds, data.invitedOrganisationIds),
      invitedPersons: data.invitedPersonIds ?? [],
      audiences: data.audiences ?? [],
      presenters: [],
      attendanceRecorded: [],
      minutesPublished: false,
      registered: {},
    };
  if (state.status === 'none') return state;
  switch (type) {
    case 'MeetingRescheduled':
      return { ...state, startsAt: data.startsAt };
    case 'MeetingCancelled':
      return { ...state, status: 'cancelled' };
    case 'PresentersAssigned':
      return { ...state, presenters: data.agencyIds };
    case 'AttendanceRecorded': {
      const recorded = new Set([...state.attendanceRecorded, ...data.attendance.map((a) => a.agencyId)]);
      return { ...state, status: 'held', attendanceRecorded: [...recorded] };
    }
    case 'PersonAttendanceRecorded': {
      const agencies = data.attendance.flatMap((a) => (a.agencyId ? [a.agencyId] : []));
      return { ...state, status: 'held', attendanceRecorded: union(state.attendanceRecorded, agencies) };
    }
    case 'MinutesPublished':
      return { ...state, status: 'held', minutesPublished: true };
    case 'MeetingPacketRequested':
      return { ...state, packets: [...(state.packets ?? []), data.packetId] };
    case 'MeetingInviteesAdded':
      return {
        ...state,
        invited: union(state.invited, data.invitedOrganisationIds),
        invitedPersons: union(state.invitedPersons, data.invitedPersonIds),
        audiences: [...state.audiences, ...(data.audiences ?? []).filter((a) => !state.audiences.some((b) => JSON.stringify(b) === JSON.stringify(a)))],
      };
    case 'RegisteredForMeeting':
      return { ...state, registered: { ...state.registered, [data.personId]: data.agencyId ?? null } };
    case 'MeetingRegistrationCancelled': {
      const { [data.personId]: _gone, ...rest } = state.registered;
      return { ...state, registered: rest };
    }
    default:
      return state;
  }
};

/**
 * Whom messages about a meeting go to (issue 16), for the worker: the agencies and organisations
 * invited, the people invited by id or registered, and the audiences to resolve when sending (the
 * worker's audience resolver: all Executive Sponsors, all Change Leaders, a cohort, stakeholders,
 * mentors). None for a meeting that does not exist or is cancelled.
 */
export function meetingInvitees(s: MeetingState): { agencyIds: string[]; personIds: string[]; audiences: Audience[] } {
  if (s.status === 'none' || s.status === 'cancelled') return { agencyIds: [], personIds: [], audiences: [] };
  return { agencyIds: [...s.invited], personIds: union(s.invitedPersons, Object.keys(s.registered)), audiences: s.audiences };
}
