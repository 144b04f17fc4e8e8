// Meetings: the meeting resource (GET /v1/meetings/{id}) and the collaborative's meeting list.
import { creditHoursEarned } from '@convene/domain';
import { sql, type Kysely } from 'kysely';
import { withLive } from '../queries';
import type { DataOf } from '../models/events';
import { keysetPage, paged, textKey, type Keyset, type KeysetPage, type KeyValue } from './keyset';
import { instant } from './range';
import { loadMeetingHistories, NO_MEETING_HISTORY, type DeliverySent, type MeetingHistory } from './schedule-history';

type AnyRow = Record<string, any>;
export interface Actor {
  actorId: string;
  actorRole: string;
}

export interface MeetingResource {
  meetingId: string;
  collaborativeId: string;
  kind: DataOf<'MeetingScheduled'>['kind'];
  modality: DataOf<'MeetingScheduled'>['modality'];
  startsAt: string;
  endsAt: string;
  durationMinutes: number;
  location: string | null;
  callIn: string | null;
  agenda: string;
  status: 'scheduled' | 'cancelled';
  invitedAgencyIds: string[];
  presenterAgencyIds: string[];
  /** Per agency; derived from its people when attendance was recorded per person (attendeePersonIds: those present). */
  attendance: { agencyId: string; present: boolean; attendees: string[]; attendeePersonIds?: string[] }[];
  /** Issue 16: organisations (prospects too), people and audiences invited besides the agencies. */
  invitedOrganisationIds: string[];
  invitedPersonIds: string[];
  audiences: DataOf<'MeetingInviteesAdded'>['audiences'] & {};
  programme: { facilitators: Speaker[]; presenters: Speaker[] };
  creditHours: number | null;
  registeredCount: number;
  personAttendance: { personId: string; agencyId: string | null; present: boolean; minutesAttended: number | null; creditHours: number }[];
  presentCount: number | null;
  absentCount: number | null;
  minutes: {
    status: 'none' | 'published' | 'corrected';
    text: string | null;
    publishedAt: string | null;
    publishedBy: Actor | null;
    corrections: { text: string; reason: string; correctedAt: string; correctedBy: Actor }[];
  };
  reschedules: { from: string; to: string; reason: string | null; at: string; by: Actor }[];
  cancellation: { reason: string; at: string } | null;
  deliveries: DeliverySent[];
  /** Increases with each reschedule or cancellation (the iCalendar SEQUENCE). */
  sequence: number;
  createdAt: string;
  updatedAt: string;
}

type Speaker = DataOf<'MeetingProgrammeSet'>['presenters'][number];
type PersonEntry = { agencyId: string | null; present: boolean; minutesAttended: number | null };

/**
 * The resource of a meeting row with its minutes versions and deliveries (child rows, in the order
 * recorded: read/schedule-history.ts). Without them (the calendar) both lists are empty.
 */
export function toMeetingResource(r: AnyRow, children: MeetingHistory = NO_MEETING_HISTORY): MeetingResource {
  const history = children.minutes;
  const published = history.find((h) => h.action === 'published');
  const attendance = Object.entries((r.attendance ?? {}) as Record<string, { present: boolean; attendees: string[]; attendeePersonIds?: string[] }>)
    // attendeePersonIds only on entries derived from attendance per person (the others read as before issue 16).
    .map(([agencyId, a]) => ({ agencyId, present: a.present, attendees: a.attendees ?? [], ...(a.attendeePersonIds ? { attendeePersonIds: a.attendeePersonIds } : {}) }))
    .sort((a, b) => a.agencyId.localeCompare(b.agencyId));
  const cancelled = r.status === 'cancelled';
  const personAttendance = Object.entries((r.person_attendance ?? {}) as Record<string, PersonEntry>)
    .map(([personId, p]) => ({
      personId, agencyId: p.agencyId, present: p.present, minutesAttended: p.minutesAttended,
      creditHours: cancelled ? 0 : creditHoursEarned(r.credit_hours, r.duration_minutes, p),
    }))
    .sort((a, b) => a.personId.localeCompare(b.personId));
  return {
    meetingId: r.id, collaborativeId: r.collaborative_id, kind: r.kind, modality: r.modality, startsAt: r.starts_at, endsAt: r.ends_at_utc,
    durationMinutes: r.duration_minutes, location: r.location, callIn: r.call_in, agenda: r.agenda, status: r.status,
    invitedAgencyIds: r.invited_agency_ids ?? [], presenterAgencyIds: r.presenter_agency_ids ?? [],
    attendance, presentCount: r.present_count, absentCount: r.absent_count,
    invitedOrganisationIds: r.invited_organisation_ids ?? [], invitedPersonIds: r.invited_person_ids ?? [], audiences: r.audiences ?? [],
    programme: { facilitators: r.facilitators ?? [], presenters: r.presenters ?? [] }, creditHours: r.credit_hours ?? null,
    registeredCount: r.registered_count ?? 0, personAttendance,
    minutes: {
      status: r.minutes_status, text: r.minutes, publishedAt: r.minutes_published_at, publishedBy: published?.by ?? null,
      corrections: history.filter((h) => h.action === 'corrected').map((h) => ({ text: h.minutes, reason: h.reason ?? '', correctedAt: h.at, correctedBy: h.by })),
    },
    reschedules: r.reschedule_history ?? [],
    cancellation: r.status === 'cancelled' ? { reason: r.cancel_reason, at: r.cancelled_at } : null,
    deliveries: children.deliveries,
    sequence: r.sequence ?? 0,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Only what an agency may see of a meeting it was invited to: its own attendance and deliveries. */
export function meetingForAgency(m: MeetingResource, agencyId: string): MeetingResource {
  return {
    ...m, attendance: m.attendance.filter((a) => a.agencyId === agencyId), deliveries: m.deliveries.filter((d) => d.agencyId === agencyId),
    personAttendance: m.personAttendance.filter((p) => p.agencyId === agencyId),
  };
}

/** Audiences every admitted agency is in. */
const EVERY_AGENCY = new Set(['all_executive_sponsors', 'all_change_leaders']);

/** What an agency is in that a meeting's audiences can name: its cohort, and whether it mentors an agency of the collaborative. */
export interface AgencyReach {
  cohortId: string | null;
  mentor: boolean;
}

/** The agency's cohort and peer-mentor standing in a collaborative, from the progress read model. */
export async function agencyReach(db: Kysely<any>, collaborativeId: string, agencyId: string): Promise<AgencyReach> {
  const rows = (await withLive(db, 'progress', (p) =>
    p.selectFrom('agencies').select(['agency_id', 'cohort_id'])
      .where('collaborative_id', '=', collaborativeId)
      .where((w) => w.or([w('agency_id', '=', agencyId), w('peer_mentor_agency_id', '=', agencyId)]))
      .execute(),
  )) as { agency_id: string; cohort_id: string | null }[];
  return { cohortId: rows.find((r) => r.agency_id === agencyId)?.cohort_id ?? null, mentor: rows.some((r) => r.agency_id !== agencyId) };
}

/**
 * Whether a meeting involves an agency: invited (as an agency or organisation), presenting, or in an
 * audience it names — every agency's Change Leaders or Executive Sponsors, the agency's own cohort
 * (given its reach), the mentors when it mentors an agency of the collaborative.
 */
export const meetingInvolves = (
  m: { invitedAgencyIds: string[]; presenterAgencyIds: string[]; invitedOrganisationIds?: string[]; audiences?: { type: string; cohortId?: string }[]; programme?: { presenters: { agencyId?: string }[] } },
  agencyId: string,
  reach: AgencyReach = { cohortId: null, mentor: false },
) =>
  m.invitedAgencyIds.includes(agencyId) || m.presenterAgencyIds.includes(agencyId) || (m.invitedOrganisationIds ?? []).includes(agencyId) ||
  (m.audiences ?? []).some((a) => EVERY_AGENCY.has(a.type) || (a.type === 'cohort' && reach.cohortId !== null && a.cohortId === reach.cohortId) || (a.type === 'mentors' && reach.mentor)) ||
  (m.programme?.presenters ?? []).some((p) => p.agencyId === agencyId);

export async function getMeeting(db: Kysely<any>, meetingId: string): Promise<MeetingResource | null> {
  return withLive(db, 'schedule', async (p) => {
    const row = await p.selectFrom('meetings').selectAll().where('id', '=', meetingId).executeTakeFirst();
    return row ? toMeetingResource(row, (await loadMeetingHistories(p, [row])).get(meetingId)) : null;
  });
}

export interface MeetingListQuery {
  collaborativeId: string;
  kind?: string;
  status?: string;
  /** Start at or after (date or date-time). */
  from?: string;
  /** Start before (a date includes the whole day). */
  to?: string;
  /** Invited or presenting, or in an audience the meeting names (with the agency's reach: its cohort, mentor or not). */
  agencyId?: string;
  agencyReach?: AgencyReach;
  /** Sort `startsAt` (the UTC instant), then id. */
  keyset: Keyset;
}

/** Meetings of a collaborative in start-time order (UTC instant, then id). */
export async function listMeetingResources(db: Kysely<any>, q: MeetingListQuery): Promise<KeysetPage<MeetingResource>> {
  return withLive(db, 'schedule', async (p) => {
    const rows = (await paged(
      p.selectFrom('meetings').selectAll().where('collaborative_id', '=', q.collaborativeId)
        .$if(!!q.kind, (b) => b.where('kind', '=', q.kind!))
        .$if(!!q.status, (b) => b.where('status', '=', q.status!))
        .$if(!!q.from, (b) => b.where('starts_at_utc', '>=', instant(q.from!, 'from')))
        .$if(!!q.to, (b) => b.where('starts_at_utc', '<', instant(q.to!, 'to')))
        .$if(!!q.agencyId, (b) => b.where(sql<boolean>`(${q.agencyId!} = ANY(invited_agency_ids) OR ${q.agencyId!} = ANY(presenter_agency_ids)
          OR ${q.agencyId!} = ANY(coalesce(invited_organisation_ids, '{}')) OR coalesce(audiences, '[]'::jsonb) @> '[{"type":"all_executive_sponsors"}]'
          OR coalesce(audiences, '[]'::jsonb) @> '[{"type":"all_change_leaders"}]' OR coalesce(presenters, '[]'::jsonb) @> jsonb_build_array(jsonb_build_object('agencyId', ${q.agencyId!}::text))
          OR (${q.agencyReach?.cohortId ?? null}::text IS NOT NULL AND coalesce(audiences, '[]'::jsonb) @> jsonb_build_array(jsonb_build_object('type', 'cohort', 'cohortId', ${q.agencyReach?.cohortId ?? null}::text)))
          OR (${q.agencyReach?.mentor ?? false}::boolean AND coalesce(audiences, '[]'::jsonb) @> '[{"type":"mentors"}]'))`)),
      textKey('starts_at_utc'), q.keyset,
    ).execute()) as (AnyRow & { sort_key: KeyValue })[];
    // The page's children in one query per table (not the row past the page that tells whether there is a next).
    const histories = await loadMeetingHistories(p, rows.slice(0, q.keyset.limit));
    return keysetPage(rows, q.keyset, (r) => toMeetingResource(r, histories.get(r.id)));
  });
}
