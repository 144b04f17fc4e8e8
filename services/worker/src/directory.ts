import type { EventStore } from '@convene/eventstore';
import { streamIds } from '@convene/domain';

// Recipients and details are resolved when a message is sent, from the event store, so queue
// payloads and planning rows hold ids only.

export interface Recipient {
  personId?: string;
  name: string;
  email: string;
  role: string;
}

export interface AgencyDirectory {
  agencyId: string;
  agencyName: string;
  /** Change Leader and Executive Sponsor; the application contact when neither is assigned. */
  leaders: Recipient[];
}

export interface CollaborativeDirectory {
  collaborativeId: string;
  name: string;
  convener: Recipient | null;
  coaches: Map<string, Recipient>;
}

export interface MeetingDetails {
  meetingId: string;
  collaborativeId: string;
  kind: string;
  modality: string;
  startsAt: string;
  durationMinutes: number;
  location?: string;
  callIn?: string;
  agenda: string;
  invited: string[];
  status: 'scheduled' | 'cancelled';
  minutes?: string;
  absent: string[];
}

export interface VisitDetails {
  visitId: string;
  collaborativeId: string;
  agencyId: string;
  coachId: string;
  scheduledAt: string;
  agenda: string;
  status: 'scheduled' | 'cancelled' | 'completed';
}

type Data = Record<string, any>;

export async function agencyDirectory(store: EventStore, collaborativeId: string, agencyId: string): Promise<AgencyDirectory> {
  const { events } = await store.readStream(streamIds.participation(collaborativeId, agencyId));
  let agencyName = 'Your agency';
  let contact: Recipient | null = null;
  const roles = new Map<string, Recipient>();
  for (const e of events) {
    const d = e.data as Data;
    if (e.type === 'ApplicationSubmitted') {
      agencyName = d.agencyName;
      contact = { name: d.contact.name, email: d.contact.email, role: 'contact' };
    } else if (e.type === 'AgencyRoleAssigned' && (d.role === 'change_leader' || d.role === 'executive_sponsor')) {
      roles.set(d.role, { personId: d.person.personId, name: d.person.name, email: d.person.email, role: d.role });
    } else if (e.type === 'AgencyRoleRemoved' && roles.get(d.role)?.personId === d.personId) {
      // Issue 16: a removed leader gets no more mail.
      roles.delete(d.role);
    }
  }
  const leaders = [...roles.values()];
  return { agencyId, agencyName, leaders: leaders.length > 0 ? leaders : contact ? [contact] : [] };
}

export async function collaborativeDirectory(store: EventStore, collaborativeId: string): Promise<CollaborativeDirectory> {
  const { events } = await store.readStream(streamIds.collaborative(collaborativeId));
  const dir: CollaborativeDirectory = { collaborativeId, name: 'Learning collaborative', convener: null, coaches: new Map() };
  for (const e of events) {
    const d = e.data as Data;
    if (e.type === 'CollaborativeLaunched') {
      dir.name = d.name;
      const p = d.convener.contact;
      dir.convener = { personId: p.personId, name: p.name, email: p.email, role: 'convener' };
    } else if (e.type === 'SystemRoleAppointed' && d.role === 'coach') {
      dir.coaches.set(d.person.personId, { personId: d.person.personId, name: d.person.name, email: d.person.email, role: 'coach' });
    } else if (e.type === 'SystemRoleRemoved' && d.role === 'coach') {
      dir.coaches.delete(d.personId);
    }
  }
  return dir;
}

export async function meetingDetails(store: EventStore, meetingId: string): Promise<MeetingDetails | null> {
  const { events } = await store.readStream(streamIds.meeting(meetingId));
  let m: MeetingDetails | null = null;
  for (const e of events) {
    const d = e.data as Data;
    if (e.type === 'MeetingScheduled') {
      m = {
        meetingId,
        collaborativeId: d.collaborativeId,
        kind: d.kind,
        modality: d.modality,
        startsAt: d.startsAt,
        durationMinutes: d.durationMinutes,
        location: d.location,
        callIn: d.callIn,
        agenda: d.agenda,
        invited: d.invitedAgencyIds,
        status: 'scheduled',
        absent: [],
      };
    } else if (!m) {
      continue;
    } else if (e.type === 'MeetingRescheduled') m.startsAt = d.startsAt;
    else if (e.type === 'MeetingCancelled') m.status = 'cancelled';
    else if (e.type === 'MinutesPublished' || e.type === 'MinutesCorrected') m.minutes = d.minutes;
    else if (e.type === 'AttendanceRecorded') {
      const absent = new Set(m.absent);
      for (const a of d.attendance as { agencyId: string; present: boolean }[]) {
        if (a.present) absent.delete(a.agencyId);
        else absent.add(a.agencyId);
      }
      m.absent = [...absent];
    }
  }
  return m;
}

export async function visitDetails(store: EventStore, visitId: string): Promise<VisitDetails | null> {
  const { events } = await store.readStream(streamIds.siteVisit(visitId));
  let v: VisitDetails | null = null;
  for (const e of events) {
    const d = e.data as Data;
    if (e.type === 'SiteVisitScheduled') {
      v = { visitId, collaborativeId: d.collaborativeId, agencyId: d.agencyId, coachId: d.coachId, scheduledAt: d.scheduledAt, agenda: d.agenda, status: 'scheduled' };
    } else if (!v) continue;
    else if (e.type === 'SiteVisitRescheduled') v.scheduledAt = d.scheduledAt;
    else if (e.type === 'SiteVisitCancelled') v.status = 'cancelled';
    else if (e.type === 'SiteVisitCompleted') v.status = 'completed';
  }
  return v;
}
