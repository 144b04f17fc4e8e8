import { dataDueDate, latestDueMonth, latestDueQuarter, owedMonths, owedQuarters, quarterDataDueDate, type ReportingPeriod } from '@convene/domain';
import type { Db as Queryable } from './types';
import { deliveryKeys } from './keys';
import { insertDeliveryRows } from './planner-rows';
import type { PlannedRow } from './kinds/types';
import { loadDeliverySettings, type DeliverySettings } from './settings';

// Data due: time-driven, planned by the clock tick, for each reporting cadence the catalogue has
// (monthly, quarterly: issue 15). Which periods are owed and when each is due are
// @convene/domain's data-due rules (the calendar shows the same monthly due dates). From the due
// date on, every `dataDueRepeatDays` days, each agency still missing a period gets a reminder and
// the convener a digest, until recorded.

export interface AgencyMonths {
  agencyId: string;
  baselineTo: string | null;
  /** The periods recorded: months (monthly) or quarters (quarterly). */
  months: string[];
}

const CADENCES = {
  monthly: { latest: latestDueMonth, dueDate: dataDueDate, owed: owedMonths },
  quarterly: { latest: latestDueQuarter, dueDate: quarterDataDueDate, owed: owedQuarters },
} as const satisfies Record<ReportingPeriod, unknown>;

export interface DataDuePlan {
  /** The day of this round's reminders (yyyy-mm-dd) and its instant. */
  sendOn: string;
  dueAt: Date;
  missing: { agencyId: string; months: string[] }[];
}

/** Who is missing which periods (months, or quarters) at `now`, and which weekly round that falls in; null when nothing is due. */
export function planDataDue(
  collab: { startsOn: string; endsOn: string },
  agencies: AgencyMonths[],
  settings: Pick<DeliverySettings, 'dataDueDay' | 'dataDueRepeatDays'>,
  now: Date,
  cadence: ReportingPeriod = 'monthly',
): DataDuePlan | null {
  const rules = CADENCES[cadence];
  const latest = rules.latest(collab, settings.dataDueDay, now);
  if (latest === null) return null;
  const latestDue = new Date(`${rules.dueDate(latest, settings.dataDueDay)}T00:00:00.000Z`);
  const period = settings.dataDueRepeatDays * 86_400_000;
  const round = Math.floor((now.getTime() - latestDue.getTime()) / period);
  const dueAt = new Date(latestDue.getTime() + round * period);

  // Agencies with one baseline end owe the same periods: computed once per baseline end.
  const owed = new Map<string | null, string[]>();
  const owedFrom = (baselineTo: string | null) => owed.get(baselineTo) ?? owed.set(baselineTo, rules.owed(collab, baselineTo, latest)).get(baselineTo)!;
  const missing = agencies
    .map((a) => {
      const recorded = new Set(a.months);
      return { agencyId: a.agencyId, months: owedFrom(a.baselineTo).filter((m) => !recorded.has(m)) };
    })
    .filter((a) => a.months.length > 0);
  if (missing.length === 0) return null;
  return { sendOn: dueAt.toISOString().slice(0, 10), dueAt, missing };
}

/**
 * The keys of rows this process wrote, per database pool: a tick sends only rows with other keys,
 * and all of them again after REWRITE_MS. A round's rows are inserted with ON CONFLICT DO NOTHING,
 * so a key once written is never changed by sending it again, yet each tick re-sent every chased
 * agency's row and the convener's digest (a JSON array of every agency's missing periods): under
 * bench:http (issue 13) those ticks were the longest tasks of `npm start`'s event loop (75–240 ms
 * of pg's array escaping and garbage collection). Sent again after REWRITE_MS, so a row lost (say,
 * to a restore) is planned again as before.
 */
const writtenKeys = new WeakMap<object, Map<string, number>>();
const REWRITE_MS = 10 * 60_000;
function unwritten(db: Queryable, rows: PlannedRow[]): { rows: PlannedRow[]; written(): void } {
  let memo = writtenKeys.get(db);
  if (!memo) writtenKeys.set(db, (memo = new Map()));
  const now = Date.now();
  for (const [key, at] of memo) if (now - at > REWRITE_MS) memo.delete(key);
  const fresh = rows.filter((r) => !memo.has(r.key));
  return { rows: fresh, written: () => fresh.forEach((r) => memo.set(r.key, now)) };
}

/** Plans this round's data-due reminders and digests, per cadence of the catalogue (idempotent: one row per key). */
export async function planDataDueDeliveries(db: Queryable, now: Date): Promise<number> {
  const { rows: collabs } = await db.query<{ collaborative_id: string; starts_on: string; ends_on: string; monthly_data: boolean; quarterly_data: boolean }>(
    `SELECT collaborative_id, to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on, monthly_data, quarterly_data
       FROM worker_collaboratives WHERE NOT closed AND (monthly_data OR quarterly_data)`,
  );
  let planned = 0;
  for (const c of collabs) {
    const { rows } = await db.query<{ agency_id: string; baseline_to: string | null; months: string[]; quarters: string[] }>(
      'SELECT agency_id, baseline_to, months, quarters FROM worker_agencies WHERE collaborative_id = $1 AND active',
      [c.collaborative_id],
    );
    const settings = await loadDeliverySettings(db, c.collaborative_id);
    const cadences = [...(c.monthly_data ? (['monthly'] as const) : []), ...(c.quarterly_data ? (['quarterly'] as const) : [])];
    for (const cadence of cadences) {
      const plan = planDataDue(
        { startsOn: c.starts_on, endsOn: c.ends_on },
        rows.map((r) => ({ agencyId: r.agency_id, baselineTo: r.baseline_to, months: cadence === 'monthly' ? r.months : r.quarters })),
        settings,
        now,
        cadence,
      );
      if (!plan) continue;
      // Quarterly rounds have keys of their own: a quarter and a month can fall due on the same day.
      const tag = cadence === 'monthly' ? '' : '-q';
      const deliveries = [
        ...plan.missing.map((m) => ({
          key: deliveryKeys.dataDue(c.collaborative_id, m.agencyId, plan.sendOn) + tag,
          kind: 'data-due',
          collaborativeId: c.collaborative_id,
          subjectId: `${c.collaborative_id}_${m.agencyId}`,
          dueAt: plan.dueAt,
          payload: { collaborativeId: c.collaborative_id, agencyId: m.agencyId, months: m.months },
        })),
        {
          key: deliveryKeys.dataDigest(c.collaborative_id, plan.sendOn) + tag,
          kind: 'data-digest',
          collaborativeId: c.collaborative_id,
          subjectId: c.collaborative_id,
          dueAt: plan.dueAt,
          payload: { collaborativeId: c.collaborative_id, missing: plan.missing },
        },
      ];
      // Every tick plans the round again (an agency admitted since gets its row), in one
      // statement, of only the keys this process has not written in the last minutes.
      const fresh = unwritten(db, deliveries);
      planned += await insertDeliveryRows(db, fresh.rows);
      fresh.written();
    }
  }
  return planned;
}
