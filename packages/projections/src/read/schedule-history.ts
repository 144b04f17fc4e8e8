// The child rows of meetings and site visits (schedule v4, models/schedule-history.ts): each
// meeting's minutes versions and deliveries, each visit's deliveries, loaded for a page of parent
// rows in one query per child table and handed to the resource mappers in the order recorded.
import { sql, type Kysely } from 'kysely';
import type { Actor } from './meetings';

type AnyRow = Record<string, any>;

export interface MinutesEntry {
  action: 'published' | 'corrected';
  minutes: string;
  reason: string | null;
  at: string;
  by: Actor;
}

export interface DeliverySent {
  type: string;
  kind: string;
  agencyId: string | null;
  subject: string;
  sentAt: string;
  recipients: number;
  recipientRoles: string[];
  rejected: number;
}

export interface MeetingHistory {
  minutes: MinutesEntry[];
  deliveries: DeliverySent[];
}

export const NO_MEETING_HISTORY: MeetingHistory = { minutes: [], deliveries: [] };

const toDelivery = (r: AnyRow): DeliverySent => ({
  type: r.type, kind: r.kind, agencyId: r.agency_id ?? null, subject: r.subject, sentAt: r.sent_at,
  recipients: r.recipients, recipientRoles: r.recipient_roles ?? [], rejected: r.rejected,
});
const toMinutes = (r: AnyRow): MinutesEntry => ({ action: r.action, minutes: r.minutes, reason: r.reason ?? null, at: r.at, by: r.by });

/**
 * Child rows grouped by parent, in position order, each parent keeping only the children at or
 * before its own `position`: a child committed after the parent row was read is left out, so a read
 * never shows a correction without the minutes text it set (the children are read after the row).
 */
function byParent<T>(parents: AnyRow[], children: AnyRow[], parentColumn: string, map: (r: AnyRow) => T): Map<string, T[]> {
  const upTo = new Map(parents.map((p) => [p.id as string, p.position === null || p.position === undefined ? Number.POSITIVE_INFINITY : Number(p.position)]));
  const out = new Map<string, T[]>(parents.map((p) => [p.id as string, []]));
  const sorted = [...children].sort((a, b) => Number(a.position) - Number(b.position));
  for (const c of sorted) {
    const parent = c[parentColumn] as string;
    if (Number(c.position) <= (upTo.get(parent) ?? Number.NEGATIVE_INFINITY)) out.get(parent)!.push(map(c));
  }
  return out;
}

/** Meetings' minutes versions and deliveries from rows of the three tables (the fold's, in tests). */
export function meetingHistories(meetings: AnyRow[], minutes: AnyRow[], deliveries: AnyRow[]): Map<string, MeetingHistory> {
  const m = byParent(meetings, minutes, 'meeting_id', toMinutes);
  const d = byParent(meetings, deliveries, 'meeting_id', toDelivery);
  return new Map(meetings.map((r) => [r.id as string, { minutes: m.get(r.id)!, deliveries: d.get(r.id)! }]));
}

/** Site visits' deliveries from rows of the two tables. */
export function siteVisitDeliveries(visits: AnyRow[], deliveries: AnyRow[]): Map<string, DeliverySent[]> {
  return byParent(visits, deliveries, 'visit_id', toDelivery);
}

const children = (p: Kysely<any>, table: string, parentColumn: string, ids: string[]) =>
  p.selectFrom(table).selectAll().where(parentColumn, '=', sql<string>`ANY(${ids}::text[])`).orderBy(parentColumn).orderBy('position').execute() as Promise<AnyRow[]>;

/** Loads the history of these meeting rows (read just before, on the same live schema `p`). */
export async function loadMeetingHistories(p: Kysely<any>, meetings: AnyRow[]): Promise<Map<string, MeetingHistory>> {
  if (meetings.length === 0) return new Map();
  const ids = meetings.map((r) => r.id as string);
  const [minutes, deliveries] = await Promise.all([children(p, 'meeting_minutes', 'meeting_id', ids), children(p, 'meeting_deliveries', 'meeting_id', ids)]);
  return meetingHistories(meetings, minutes, deliveries);
}

/** Loads the deliveries of these site-visit rows (read just before, on the same live schema `p`). */
export async function loadSiteVisitDeliveries(p: Kysely<any>, visits: AnyRow[]): Promise<Map<string, DeliverySent[]>> {
  if (visits.length === 0) return new Map();
  return siteVisitDeliveries(visits, await children(p, 'site_visit_deliveries', 'visit_id', visits.map((r) => r.id as string)));
}
