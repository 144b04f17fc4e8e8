import type { EventStore, RecordedEvent } from '@convene/eventstore';
import { cachedFold } from './subject-cache';
import { absentAfter } from '../meeting-absent';
import { streamIds } from '@convene/domain';

// The subject of a message (a meeting, a site visit) is read from its own stream when the message
// is sent: one short stream, the truth about whether the time it was planned for still holds (a
// read model could trail a reschedule). Who receives it comes from the read models (read-models.ts).

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
  /** Each correction of the minutes: its version in the meeting's stream, the corrected minutes and why. */
  corrections: { version: number; minutes: string; reason: string }[];
  absent: string[];
  /** Issue 16: organisations invited beyond `invited` (the agencies planned per agency), people invited or registered, audiences, speakers. */
  organisations: string[];
  persons: string[];
  registered: string[];
  audiences: Audience[];
  speakers: Record<string, 'facilitator' | 'presenter'>;
}

export interface VisitDetails {
  visitId: string;
  collaborativeId: string;
  agencyId: string;
  coachId: string;
  scheduledAt: string;
  agenda: string;
  status: 'scheduled' | 'cancelled' | 'completed';
  completedOn?: string;
  summary?: string;
}

type Data = Record<string, any>;
/** An invited audience (packages/domain meeting/invitees.ts): all_executive_sponsors, all_change_leaders, cohort, stakeholders, mentors. */
export type Audience = { type: string; cohortId?: string };

/** The people among a meeting's facilitators and presenters (agency teams are reached as agencies). */
const speakersOf = (d: Data): Record<string, 'facilitator' | 'presenter'> => {
  const out: Record<string, 'facilitator' | 'presenter'> = {};
  for (const s of (d.presenters ?? []) as { personId?: string }[]) if (s.personId) out[s.personId] = 'presenter';
  for (const s of (d.facilitators ?? []) as { personId?: string }[]) if (s.personId) out[s.personId] = 'facilitator';
  return out;
};

/**
 * Applies one more event of the meeting's stream to `m`, changing it in place (a MeetingScheduled
 * starts anew). Never called on a cached fold itself: on a copy of it (copyMeeting).
 */
export function foldMeeting(m: MeetingDetails | null, e: RecordedEvent, meetingId: string): MeetingDetails | null {
  const d = e.data as Data;
  if (e.type === 'MeetingScheduled') {
    return {
      meetingId,
      collaborativeId: d.collaborativeId,
      kind: d.kind,
      modality: d.modality,
      startsAt: d.startsAt,
      durationMinutes: d.durationMinutes,
      location: d.location,
      callIn: d.callIn,
      agenda: d.agenda,
      invited: d.invitedAgencyIds ?? [],
      status: 'scheduled',
      corrections: [],
      absent: [],
      organisations: (d.invitedOrganisationIds ?? []).filter((o: string) => !(d.invitedAgencyIds ?? []).includes(o)),
      persons: d.invitedPersonIds ?? [],
      registered: [],
      audiences: d.audiences ?? [],
      speakers: speakersOf(d),
    };
  }
  if (!m) return m;
  if (e.type === 'MeetingRescheduled') m.startsAt = d.startsAt;
  else if (e.type === 'MeetingCancelled') m.status = 'cancelled';
  else if (e.type === 'MinutesPublished') m.minutes = d.minutes;
  else if (e.type === 'MinutesCorrected') {
    m.minutes = d.minutes;
    m.corrections.push({ version: e.streamVersion, minutes: d.minutes, reason: d.reason });
  } else if (e.type === 'MeetingInviteesAdded') {
    m.organisations = [...new Set([...m.organisations, ...(d.invitedOrganisationIds ?? []).filter((o: string) => !m.invited.includes(o))])];
    m.persons = [...new Set([...m.persons, ...(d.invitedPersonIds ?? [])])];
    m.audiences = [...m.audiences, ...(d.audiences ?? [])];
  } else if (e.type === 'MeetingProgrammeSet') m.speakers = speakersOf(d);
  else if (e.type === 'RegisteredForMeeting') m.registered = [...new Set([...m.registered, d.personId])];
  else if (e.type === 'MeetingRegistrationCancelled') m.registered = m.registered.filter((p) => p !== d.personId);
  else if (e.type === 'AttendanceRecorded') m.absent = absentAfter(m.absent, d.attendance as { agencyId: string; present: boolean }[]);
  return m;
}

/** A copy foldMeeting may change without touching `m` (the arrays it changes in place, copied). */
const copyMeeting = (m: MeetingDetails | null): MeetingDetails | null => (m ? { ...m, corrections: [...m.corrections] } : m);

/** The meeting as its stream tells it now (folded on from a cached fold: subject-cache.ts). */
export function meetingDetails(store: EventStore, meetingId: string): Promise<MeetingDetails | null> {
  return cachedFold(store, streamIds.meeting(meetingId), { initial: null, copy: copyMeeting, fold: (m, e) => foldMeeting(m, e, meetingId) });
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
    else if (e.type === 'SiteVisitCompleted') {
      v.status = 'completed';
      v.completedOn = d.completedOn;
      v.summary = d.summary;
    }
  }
  return v;
}
