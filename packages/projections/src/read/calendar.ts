// The calendar of a collaborative, an agency or a coach: meetings, site visits and due dates in
// time order, from the schedule and progress read models. Feeds (iCalendar) render the same items.
import { sql, type Kysely } from 'kysely';
import { catalogueReports, DEFAULT_DATA_DUE_DAY } from '@convene/domain';
import { withLive } from '../queries';
import { dueDates, type DueAgency } from './due-dates';
import { meetingInvolves, toMeetingResource } from './meetings';
import { toSiteVisitResource } from './site-visits';

type AnyRow = Record<string, any>;

export interface CalendarItem {
  /** Stable across updates: `meeting-<id>`, `site-visit-<id>`, `baseline-due-<cohortId>[-agency-<id>|-coach-<id>]`, `data-due-<collaborativeId>-<month or quarter>[...]`. */
  id: string;
  type: 'meeting' | 'site_visit' | 'baseline_due' | 'data_due';
  title: string;
  /** UTC instant; a due date is a whole day starting at this midnight. */
  startsAt: string;
  endsAt: string | null;
  allDay: boolean;
  status: 'scheduled' | 'cancelled' | 'completed' | 'open' | 'met';
  /** The resource path to read more (null for due dates). */
  resource: string | null;
  agencyIds: string[];
  description: string | null;
  location: string | null;
  callIn: string | null;
  meetingKind: string | null;
  coachId: string | null;
  cohortId: string | null;
  /** A monthly due date's month. */
  month: string | null;
  /** A data due date's period: its month (yyyy-mm) or quarter (yyyy-Qn). */
  period: string | null;
  /** Due dates: each agency expected and whether it has delivered. */
  agencies: { agencyId: string; agencyName: string; met: boolean }[];
  /** Increases on each reschedule or cancellation (iCalendar SEQUENCE). */
  sequence: number;
  updatedAt: string | null;
}

export interface CalendarQuery {
  collaborativeId: string;
  /** UTC instants, [from, to). */
  from: string;
  to: string;
  /** An agency's calendar: its meetings, visits and due dates. */
  agencyId?: string;
  /** A coach's calendar: its visits, and the meetings and due dates of the agencies it coaches. */
  coachId?: string;
  /** The caller's agencies (a scoped coach or an agency key); null: every agency. */
  allowedAgencyIds?: string[] | null;
}

export interface Calendar {
  collaborativeId: string;
  collaborativeName: string | null;
  from: string;
  to: string;
  items: CalendarItem[];
}

const humanize = (kind: string) => kind.charAt(0).toUpperCase() + kind.slice(1).replace(/_/g, ' ');

/** The worker's per-collaborative data-due day (its delivery settings), else its default. */
async function dataDueDay(db: Kysely<any>, collaborativeId: string): Promise<number> {
  const { rows } = await sql<{ day: string | null }>`SELECT settings->>'dataDueDay' AS day FROM delivery_settings WHERE collaborative_id = ${collaborativeId}`.execute(db);
  const day = Number(rows[0]?.day);
  return Number.isInteger(day) && day >= 1 && day <= 28 ? day : DEFAULT_DATA_DUE_DAY;
}

export async function calendar(db: Kysely<any>, q: CalendarQuery): Promise<Calendar | null> {
  const progress = await withLive(db, 'progress', async (p) => {
    const [collaborative, cohorts, agencies] = await Promise.all([
      p.selectFrom('collaboratives').selectAll().where('id', '=', q.collaborativeId).executeTakeFirst(),
      p.selectFrom('cohorts').select(['id', 'name', 'starts_on']).where('collaborative_id', '=', q.collaborativeId).execute(),
      p.selectFrom('agencies').select(['agency_id', 'agency_name', 'cohort_id', 'stage', 'coach_id', 'baseline_to', 'months_reported', 'withdrawn_on', 'completed_on', 'applied_at', 'peer_mentor_agency_id'])
        .where('collaborative_id', '=', q.collaborativeId).execute(),
    ]);
    return { collaborative, cohorts: cohorts as AnyRow[], agencies: agencies as AnyRow[] };
  });
  if (!progress.collaborative) return null;
  const allowed = q.allowedAgencyIds ?? null;
  const mayShow = (agencyId: string) => allowed === null || allowed.includes(agencyId);
  // The agencies this calendar is about (null: all of the collaborative).
  const focus: Set<string> | null = q.agencyId
    ? new Set([q.agencyId])
    : q.coachId
      ? new Set(progress.agencies.filter((a) => a.coach_id === q.coachId).map((a) => a.agency_id as string))
      : null;
  const inFocus = (agencyId: string) => (focus === null || focus.has(agencyId)) && mayShow(agencyId);
  const names = new Map(progress.agencies.map((a) => [a.agency_id as string, a.agency_name as string]));
  const mentors = new Set(progress.agencies.flatMap((a) => (a.peer_mentor_agency_id ? [a.peer_mentor_agency_id as string] : [])));
  const reachOf = (agencyId: string) => ({ cohortId: (progress.agencies.find((a) => a.agency_id === agencyId)?.cohort_id as string | null) ?? null, mentor: mentors.has(agencyId) });

  const { meetings, visits } = await withLive(db, 'schedule', async (p) => {
    const [meetings, visits] = await Promise.all([
      p.selectFrom('meetings').selectAll().where('collaborative_id', '=', q.collaborativeId)
        .where('starts_at_utc', '>=', q.from).where('starts_at_utc', '<', q.to).execute(),
      p.selectFrom('site_visits').selectAll().where('collaborative_id', '=', q.collaborativeId)
        .$if(!!q.coachId, (b) => b.where('coach_id', '=', q.coachId!))
        .where('scheduled_at_utc', '>=', q.from).where('scheduled_at_utc', '<', q.to).execute(),
    ]);
    return { meetings: meetings as AnyRow[], visits: visits as AnyRow[] };
  });

  const items: CalendarItem[] = [];
  const blank = { description: null, location: null, callIn: null, meetingKind: null, coachId: null, cohortId: null, month: null, period: null, agencies: [] };
  // Without their minutes versions and deliveries (child rows): an item shows neither.
  for (const row of meetings) {
    const m = toMeetingResource(row);
    // Invited, presenting, or in an audience the meeting names (its cohort, every agency's roles, the mentors).
    if (focus !== null && ![...focus].some((id) => inFocus(id) && meetingInvolves(m, id, reachOf(id)))) continue;
    items.push({
      ...blank, id: `meeting-${m.meetingId}`, type: 'meeting', title: `${humanize(m.kind)} (${m.modality.replace(/_/g, ' ')})`,
      startsAt: row.starts_at_utc, endsAt: m.endsAt, allDay: false, status: m.status, resource: `/v1/meetings/${m.meetingId}`,
      agencyIds: m.invitedAgencyIds, description: m.agenda, location: m.location, callIn: m.callIn, meetingKind: m.kind,
      sequence: m.sequence, updatedAt: m.updatedAt,
    });
  }
  for (const row of visits) {
    const v = toSiteVisitResource(row);
    if (!(q.coachId ? mayShow(v.agencyId) : inFocus(v.agencyId))) continue;
    items.push({
      ...blank, id: `site-visit-${v.visitId}`, type: 'site_visit', title: `Site visit: ${names.get(v.agencyId) ?? v.agencyId}`,
      startsAt: row.scheduled_at_utc, endsAt: null, allDay: false, status: v.status, resource: `/v1/site-visits/${v.visitId}`,
      agencyIds: [v.agencyId], description: v.agenda, coachId: v.coachId, sequence: v.sequence, updatedAt: v.updatedAt,
    });
  }

  // Which periods are due follows the catalogue (monthly and/or quarterly measures), read from the measures model with the quarters submitted.
  const { catalogue, quarters } = await withLive(db, 'measures', async (p) => {
    const [row, submitted] = await Promise.all([
      p.selectFrom('catalogues').select(['measures']).where('id', '=', q.collaborativeId).executeTakeFirst(),
      p.selectFrom('submissions').select(['agency_id', 'period']).where('collaborative_id', '=', q.collaborativeId)
        .where('kind', '=', 'quarterly').where('status', '=', 'submitted').execute(),
    ]);
    const quarters = new Map<string, string[]>();
    for (const s of submitted as AnyRow[]) quarters.set(s.agency_id, [...(quarters.get(s.agency_id) ?? []), s.period]);
    return { catalogue: (row as AnyRow | undefined)?.measures as unknown, quarters };
  });
  const cadence = { monthly: catalogue === undefined || catalogueReports(catalogue, 'monthly'), quarterly: catalogue !== undefined && catalogueReports(catalogue, 'quarterly') };
  const dueAgencies: DueAgency[] = progress.agencies.filter((a) => inFocus(a.agency_id)).map((a) => ({
    agencyId: a.agency_id, agencyName: a.agency_name, cohortId: a.cohort_id, stage: a.stage, baselineTo: a.baseline_to, monthsReported: a.months_reported ?? [],
    quartersReported: quarters.get(a.agency_id) ?? [], appliedAt: a.applied_at ?? null, stoppedOn: a.withdrawn_on ?? a.completed_on ?? null,
  }));
  const c = progress.collaborative as AnyRow;
  const cohortNames = new Map(progress.cohorts.map((x) => [x.id as string, x.name as string]));
  const dues = dueDates(
    { startsOn: c.starts_on, endsOn: c.ends_on },
    progress.cohorts.map((x) => ({ cohortId: x.id, startsOn: x.starts_on })),
    dueAgencies,
    await dataDueDay(db, q.collaborativeId),
    // A due date is a whole day: on the calendar when it overlaps [from, to).
    { from: q.from.slice(0, 10), to: q.to.endsWith('T00:00:00.000Z') ? q.to.slice(0, 10) : nextDay(q.to) },
    cadence,
  );
  // A due date lists different agencies on an agency's or a coach's calendar: its own id (and UID).
  const whose = q.agencyId ? `-agency-${q.agencyId}` : q.coachId ? `-coach-${q.coachId}` : '';
  for (const d of dues) {
    const met = d.agencies.every((a) => a.met);
    items.push({
      ...blank,
      id: d.type === 'baseline_due' ? `baseline-due-${d.cohortId}${whose}` : `data-due-${q.collaborativeId}-${d.period}${whose}`,
      type: d.type,
      title: d.type === 'baseline_due' ? `Baseline due: ${cohortNames.get(d.cohortId!) ?? 'cohort'}` : `${d.month ? 'Monthly' : 'Quarterly'} data due: ${d.period}`,
      startsAt: `${d.date}T00:00:00.000Z`, endsAt: null, allDay: true, status: met ? 'met' : 'open', resource: null,
      agencyIds: d.agencies.map((a) => a.agencyId), cohortId: d.cohortId, month: d.month, period: d.period, agencies: d.agencies, sequence: 0, updatedAt: null,
    });
  }
  items.sort((a, b) => (a.startsAt < b.startsAt ? -1 : a.startsAt > b.startsAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { collaborativeId: q.collaborativeId, collaborativeName: c.name ?? null, from: q.from, to: q.to, items };
}

/** The day after the instant's (UTC) day. */
function nextDay(instant: string): string {
  const d = new Date(instant);
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
