// Site visits: one resource shape for GET /v1/site-visits/{id}, the collaborative's visit list and
// the agency detail.
import type { Kysely } from 'kysely';
import { withLive } from '../queries';
import { keysetPage, paged, textKey, type Keyset, type KeysetPage, type KeyValue } from './keyset';
import { instant } from './range';
import type { Actor } from './meetings';
import { loadSiteVisitDeliveries, type DeliverySent } from './schedule-history';

type AnyRow = Record<string, any>;

export interface SiteVisitResource {
  visitId: string;
  collaborativeId: string;
  agencyId: string;
  coachId: string;
  scheduledAt: string;
  agenda: string;
  status: 'scheduled' | 'cancelled' | 'completed';
  reschedules: { from: string; to: string; reason: string | null; at: string; by: Actor }[];
  cancellation: { reason: string; at: string } | null;
  report: { completedOn: string; summary: string; by: Actor | null } | null;
  deliveries: DeliverySent[];
  sequence: number;
  createdAt: string;
  updatedAt: string;
}

/** The resource of a visit row with its deliveries (child rows, read/schedule-history.ts; none given: the calendar). */
export function toSiteVisitResource(r: AnyRow, deliveries: DeliverySent[] = []): SiteVisitResource {
  return {
    visitId: r.id, collaborativeId: r.collaborative_id, agencyId: r.agency_id, coachId: r.coach_id, scheduledAt: r.scheduled_at,
    agenda: r.agenda, status: r.status, reschedules: r.reschedule_history ?? [],
    cancellation: r.status === 'cancelled' ? { reason: r.cancel_reason, at: r.cancelled_at } : null,
    report: r.status === 'completed' ? { completedOn: r.completed_on, summary: r.summary, by: r.completed_by ?? null } : null,
    deliveries, sequence: r.sequence ?? 0, createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export async function getSiteVisit(db: Kysely<any>, visitId: string): Promise<SiteVisitResource | null> {
  return withLive(db, 'schedule', async (p) => {
    const row = await p.selectFrom('site_visits').selectAll().where('id', '=', visitId).executeTakeFirst();
    return row ? toSiteVisitResource(row, (await loadSiteVisitDeliveries(p, [row])).get(visitId)) : null;
  });
}

/** An agency's visits by visit time (the agency detail). */
export async function siteVisitsOfAgency(db: Kysely<any>, q: { collaborativeId: string; agencyId: string }): Promise<SiteVisitResource[]> {
  return withLive(db, 'schedule', async (p) => {
    const rows = await p.selectFrom('site_visits').selectAll().where('collaborative_id', '=', q.collaborativeId).where('agency_id', '=', q.agencyId)
      .orderBy('scheduled_at_utc').orderBy('id').execute();
    const deliveries = await loadSiteVisitDeliveries(p, rows);
    return rows.map((r) => toSiteVisitResource(r, deliveries.get(r.id)));
  });
}

export interface SiteVisitListQuery {
  collaborativeId: string;
  /** Restrict to these agencies (a scoped coach or an agency key); empty means none, null or absent every one. */
  agencyIds?: string[] | null;
  agencyId?: string;
  coachId?: string;
  status?: string;
  from?: string;
  to?: string;
  /** Sort `scheduledAt` (the UTC instant), then id. */
  keyset: Keyset;
}

/** Site visits of a collaborative in visit-time order (UTC instant, then id). */
export async function listSiteVisitResources(db: Kysely<any>, q: SiteVisitListQuery): Promise<KeysetPage<SiteVisitResource>> {
  if (q.agencyIds && q.agencyIds.length === 0) return { items: [], next: null };
  return withLive(db, 'schedule', async (p) => {
    const rows = (await paged(
      p.selectFrom('site_visits').selectAll().where('collaborative_id', '=', q.collaborativeId)
        .$if(!!q.agencyIds, (b) => b.where('agency_id', 'in', q.agencyIds!))
        .$if(!!q.agencyId, (b) => b.where('agency_id', '=', q.agencyId!))
        .$if(!!q.coachId, (b) => b.where('coach_id', '=', q.coachId!))
        .$if(!!q.status, (b) => b.where('status', '=', q.status!))
        .$if(!!q.from, (b) => b.where('scheduled_at_utc', '>=', instant(q.from!, 'from')))
        .$if(!!q.to, (b) => b.where('scheduled_at_utc', '<', instant(q.to!, 'to'))),
      textKey('scheduled_at_utc'), q.keyset,
    ).execute()) as (AnyRow & { sort_key: KeyValue })[];
    const deliveries = await loadSiteVisitDeliveries(p, rows.slice(0, q.keyset.limit));
    return keysetPage(rows, q.keyset, (r) => toSiteVisitResource(r, deliveries.get(r.id)));
  });
}
