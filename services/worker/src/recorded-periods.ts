import type { Db as Queryable } from './types';

/**
 * The months and quarters a batch of events records, by agency, written to worker_agencies in one
 * statement (issue 13: a statement per measures event was the worker's most frequent one, 0.3 per
 * command of the realistic mix). Nothing the planner does within a batch reads these columns (the
 * data-due rounds read them, in the ticker's own transactions), so they may be written at the
 * batch's end, in its transaction. A row created in the batch (AgencyAdmitted) would take periods
 * recorded before it, which the statement-per-event path dropped: the planner flushes first.
 */
export class RecordedPeriods {
  private readonly byAgency = new Map<string, { c: string; a: string; m: string[]; q: string[] }>();

  add(collaborativeId: string, agencyId: string, period: { month?: string | null; quarter?: string | null }): void {
    const key = JSON.stringify([collaborativeId, agencyId]);
    let entry = this.byAgency.get(key);
    if (!entry) this.byAgency.set(key, (entry = { c: collaborativeId, a: agencyId, m: [], q: [] }));
    // In the order recorded, each once: what appending them one by one would leave.
    if (period.month && !entry.m.includes(period.month)) entry.m.push(period.month);
    if (period.quarter && !entry.q.includes(period.quarter)) entry.q.push(period.quarter);
  }

  /** Appends each agency's new periods (those not yet in its row), then forgets them. */
  async flush(c: Queryable): Promise<void> {
    if (this.byAgency.size === 0) return;
    const entries = [...this.byAgency.values()];
    this.byAgency.clear();
    await c.query(
      `UPDATE worker_agencies w
          SET months = w.months || ARRAY(SELECT v FROM unnest(x.m) WITH ORDINALITY AS u(v, o) WHERE NOT (v = ANY (w.months)) ORDER BY o),
              quarters = w.quarters || ARRAY(SELECT v FROM unnest(x.q) WITH ORDINALITY AS u(v, o) WHERE NOT (v = ANY (w.quarters)) ORDER BY o)
         FROM jsonb_to_recordset($1::jsonb) AS x(c uuid, a uuid, m text[], q text[])
        WHERE w.collaborative_id = x.c AND w.agency_id = x.a
          AND (EXISTS (SELECT 1 FROM unnest(x.m) AS v WHERE NOT (v = ANY (w.months)))
               OR EXISTS (SELECT 1 FROM unnest(x.q) AS v WHERE NOT (v = ANY (w.quarters))))`,
      [JSON.stringify(entries)],
    );
  }
}
