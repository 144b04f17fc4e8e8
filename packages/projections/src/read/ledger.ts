// Expenditures itemised (with the totals of the same filter beside) and the delivery log.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { withLive } from '../queries';
import { keysetPage, numberKey, paged, textKey, type Keyset, type KeyValue } from './keyset';

type AnyRow = Record<string, any>;
type Sorted = Keyset & { field: string };
type KeyRows = { sort_key: KeyValue; id: string }[];
const pick = (sorts: Record<string, RawBuilder<KeyValue>>, field: string) => sorts[field] ?? Object.values(sorts)[0]!;

export interface ExpenditureCorrection {
  /** The record before the correction; null for a void. */
  was: { amountCents: number; category: string; spentOn: string; note: string | null } | null;
  reason: string | null;
  at: string;
  by: { actorId: string; actorRole: string };
}

export const toExpenditure = (r: AnyRow) => ({
  expenditureId: r.id as string, collaborativeId: r.collaborative_id as string, category: r.category as string, amountCents: Number(r.amount_cents),
  spentOn: r.spent_on as string, note: r.note as string | null, recordedAt: r.recorded_at as string,
  // Issue 16: corrected or voided, with each correction (what it was, why, who).
  status: ((r.status as string | null) ?? 'recorded') as 'recorded' | 'corrected' | 'voided',
  voidReason: (r.void_reason as string | null) ?? null,
  corrections: ((r.corrections as ExpenditureCorrection[] | null) ?? []),
});

const EXPENDITURE_SORTS = { spentOn: textKey('spent_on'), amount: numberKey('amount_cents') };

export interface ExpenditureFilter {
  collaborativeId: string;
  category?: string;
  /** recorded, corrected or voided (issue 16). */
  status?: string;
  from?: string;
  to?: string;
}

export async function listExpenditures(db: Kysely<any>, q: ExpenditureFilter & { keyset: Sorted }) {
  return withLive(db, 'schedule', async (p) => {
    const filtered = () =>
      p.selectFrom('expenditures').where('collaborative_id', '=', q.collaborativeId)
        .$if(!!q.category, (b) => b.where('category', '=', q.category!))
        .$if(!!q.status, (b) => b.where('status', '=', q.status!))
        .$if(!!q.from, (b) => b.where('spent_on', '>=', q.from!))
        .$if(!!q.to, (b) => b.where('spent_on', '<=', q.to!));
    const [rows, totals] = await Promise.all([
      paged(filtered().selectAll(), pick(EXPENDITURE_SORTS, q.keyset.field), q.keyset).execute(),
      // float8: a sum past 2^53 (amounts stored before the input bounds) still reads, approximately.
      // A voided expenditure was not spent: listed (with status voided), never summed.
      filtered().where('status', 'is distinct from', 'voided').select(['category', sql<number>`sum(amount_cents)::float8`.as('total'), sql<number>`count(*)::int`.as('count')]).groupBy('category').orderBy('category').execute(),
    ]);
    const categories = (totals as AnyRow[]).map((r) => ({ category: r.category as string, totalCents: Number(r.total), count: Number(r.count) }));
    return {
      ...keysetPage(rows as AnyRow[] as KeyRows, q.keyset, toExpenditure),
      totals: { totalCents: categories.reduce((s, c) => s + c.totalCents, 0), count: categories.reduce((s, c) => s + c.count, 0), categories },
    };
  });
}

export async function getExpenditure(db: Kysely<any>, q: { collaborativeId: string; expenditureId: string }) {
  const row = await withLive(db, 'schedule', (p) =>
    p.selectFrom('expenditures').selectAll().where('id', '=', q.expenditureId).where('collaborative_id', '=', q.collaborativeId).executeTakeFirst(),
  );
  return row ? toExpenditure(row) : null;
}

const DELIVERY_SORTS = { sentAt: textKey('sent_at') };

export async function listDeliveries(
  db: Kysely<any>,
  q: { collaborativeId: string; keyset: Sorted; kind?: string; meetingId?: string; agencyId?: string; agencyIds: string[] | null },
) {
  const ids = q.agencyIds === null ? null : q.agencyIds.length ? q.agencyIds : ['-'];
  const rows = await withLive(db, 'deliveries', (p) =>
    paged(
      p.selectFrom('deliveries').selectAll().where('collaborative_id', '=', q.collaborativeId)
        .$if(!!q.kind, (b) => b.where('kind', '=', q.kind!))
        .$if(!!q.meetingId, (b) => b.where('meeting_id', '=', q.meetingId!))
        .$if(!!q.agencyId, (b) => b.where('agency_id', '=', q.agencyId!))
        .$if(ids !== null, (b) => b.where('agency_id', 'in', ids!)),
      pick(DELIVERY_SORTS, q.keyset.field),
      q.keyset,
    ).execute(),
  );
  return keysetPage(rows as AnyRow[] as KeyRows, q.keyset, (d: AnyRow) => ({
    deliveryId: d.id as string, type: d.event_type as string, kind: d.kind as string, subjectId: d.subject_id as string, agencyId: d.agency_id as string | null,
    meetingId: d.meeting_id as string | null, visitId: d.visit_id as string | null, subject: d.subject as string, sentAt: d.sent_at as string,
    recipients: d.recipients as { personId?: string; email: string; role: string }[], rejected: (d.rejected ?? []) as string[], months: (d.months ?? null) as string[] | null,
  }));
}
