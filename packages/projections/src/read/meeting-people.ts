// Issue 16, people at meetings: a meeting's registrations (the organiser's list) and the credit
// hours each attendee earned, per person and per collaborative. Credits are computed at read time
// from the meeting's current hours and duration by the domain's one rule (creditHoursEarned), so a
// change of a meeting's credit hours applies to everyone who attended it.
import { creditHoursEarned } from '@convene/domain';
import type { Kysely } from 'kysely';
import { withLive } from '../queries';
import { keysetPage, paged, textKey, type Keyset, type KeysetPage, type KeyValue } from './keyset';

type AnyRow = Record<string, any>;

export interface MeetingRegistration {
  personId: string;
  /** The agency the person registered for, when known; null for guests and stakeholders. */
  agencyId: string | null;
  status: 'registered' | 'cancelled';
  registeredAt: string;
  cancelledAt: string | null;
}

/** A meeting's registrations, earliest first (cancelled ones too, marked so). */
export async function listMeetingRegistrations(db: Kysely<any>, q: { meetingId: string; agencyId?: string; keyset: Keyset }): Promise<KeysetPage<MeetingRegistration>> {
  const rows = await withLive(db, 'schedule', (p) =>
    paged(
      p.selectFrom('meeting_people').selectAll().where('meeting_id', '=', q.meetingId).where('registration', 'is not', null)
        .$if(!!q.agencyId, (b) => b.where('agency_id', '=', q.agencyId!)),
      textKey('registered_at'), q.keyset,
    ).execute(),
  );
  return keysetPage(rows as (AnyRow & { sort_key: KeyValue })[], q.keyset, (r) => ({
    personId: r.person_id, agencyId: r.agency_id, status: r.registration, registeredAt: r.registered_at, cancelledAt: r.registration_cancelled_at,
  }));
}

export interface CreditEntry {
  meetingId: string;
  collaborativeId: string;
  personId: string;
  agencyId: string | null;
  kind: string;
  startsAt: string;
  durationMinutes: number;
  status: 'scheduled' | 'cancelled';
  present: boolean;
  minutesAttended: number | null;
  /** What the meeting grants a full attendee (null: none). */
  meetingCreditHours: number | null;
  /** What this attendee earned (0 when absent, the meeting cancelled or granting none). */
  creditHours: number;
}

const toCredit = (r: AnyRow): CreditEntry => ({
  meetingId: r.meeting_id, collaborativeId: r.collaborative_id, personId: r.person_id, agencyId: r.agency_id, kind: r.kind, startsAt: r.starts_at,
  durationMinutes: r.duration_minutes, status: r.status, present: r.present, minutesAttended: r.minutes_attended, meetingCreditHours: r.credit_hours,
  creditHours: r.status === 'cancelled' ? 0 : creditHoursEarned(r.credit_hours, r.duration_minutes, { present: r.present, minutesAttended: r.minutes_attended }),
});

/** Attendance recorded for people (one person, or everyone of a collaborative), in start order. */
export async function listCreditEntries(db: Kysely<any>, q: { personId?: string; collaborativeId?: string }): Promise<CreditEntry[]> {
  const rows = await withLive(db, 'schedule', (p) =>
    p.selectFrom('meeting_people as mp').innerJoin('meetings as m', 'm.id', 'mp.meeting_id')
      .select(['mp.meeting_id', 'mp.collaborative_id', 'mp.person_id', 'mp.agency_id', 'mp.present', 'mp.minutes_attended', 'm.kind', 'm.starts_at', 'm.starts_at_utc', 'm.duration_minutes', 'm.status', 'm.credit_hours'])
      .where('mp.present', 'is not', null)
      .$if(!!q.personId, (b) => b.where('mp.person_id', '=', q.personId!))
      .$if(!!q.collaborativeId, (b) => b.where('mp.collaborative_id', '=', q.collaborativeId!))
      .orderBy('m.starts_at_utc').orderBy('mp.meeting_id').orderBy('mp.person_id')
      .execute(),
  );
  return rows.map(toCredit);
}

export interface PersonCreditTotal {
  personId: string;
  agencyId: string | null;
  meetingsAttended: number;
  creditHours: number;
}

/** Per person: meetings attended and hours earned (the agency of their latest attendance). */
export function creditTotals(entries: CreditEntry[]): PersonCreditTotal[] {
  const byPerson = new Map<string, PersonCreditTotal>();
  for (const e of entries) {
    const t = byPerson.get(e.personId) ?? { personId: e.personId, agencyId: null, meetingsAttended: 0, creditHours: 0 };
    if (e.agencyId) t.agencyId = e.agencyId;
    if (e.present && e.status !== 'cancelled') t.meetingsAttended += 1;
    t.creditHours += e.creditHours;
    byPerson.set(e.personId, t);
  }
  return [...byPerson.values()].sort((a, b) => a.personId.localeCompare(b.personId));
}
