import type { MeetingEvent } from './events';

interface Known {
  meetingId: string;
  collaborativeId: string;
  startsAt: string;
  invited: string[];
  presenters: string[];
  /** Agencies whose attendance is recorded. */
  attendanceRecorded: string[];
  minutesPublished: boolean;
  /** Packets asked for (issue 18); absent in states folded before packets existed. */
  packets?: string[];
}
/** `held` once attendance or minutes are recorded. */
export type MeetingState = { status: 'none' } | (Known & { status: 'scheduled' | 'held' | 'cancelled' });

export const initialMeetingState = (): MeetingState => ({ status: 'none' });

export const evolveMeeting = (state: MeetingState, event: MeetingEvent): MeetingState => {
  const { type, data } = event;
  if (type === 'MeetingScheduled')
    return {
      status: 'scheduled',
      meetingId: data.meetingId,
      collaborativeId: data.collaborativeId,
      startsAt: data.startsAt,
      invited: data.invitedAgencyIds,
      presenters: [],
      attendanceRecorded: [],
      minutesPublished: false,
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
    case 'MinutesPublished':
      return { ...state, status: 'held', minutesPublished: true };
    case 'MeetingPacketRequested':
      return { ...state, packets: [...(state.packets ?? []), data.packetId] };
    default:
      return state;
  }
};
