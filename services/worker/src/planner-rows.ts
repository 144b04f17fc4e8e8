import { DATE_MAX, DATE_MIN } from '@convene/domain';
import type { RecordedEvent } from '@convene/eventstore';
import type { PlannedRow } from './kinds/types';
import type { Db as Queryable } from './types';

// The rows the planner writes to scheduled_deliveries, and the date rules it plans by.

export type Row = PlannedRow;

/** The time a command took effect: its `now` (metadata.occurredAt), else when it was recorded. */
export const eventTime = (e: RecordedEvent): Date => {
  const at = e.metadata.occurredAt;
  return typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? new Date(at) : e.recordedAt;
};

/** Reminder rows for the offsets still in the future at `now`. */
export function reminderDueTimes(at: string, offsetsMinutes: number[], now: Date): { offset: number; dueAt: Date }[] {
  const start = Date.parse(at);
  return offsetsMinutes
    .map((offset) => ({ offset, dueAt: new Date(start - offset * 60_000) }))
    .filter((r) => r.dueAt.getTime() > now.getTime());
}

export async function insertRows(c: Queryable, rows: Row[], event: RecordedEvent): Promise<void> {
  // The event's trace context rides along, so the send is traced as part of the command's trace.
  await insertDeliveryRows(c, rows, { position: event.globalPosition, rearmCancelled: true, traceparent: event.metadata.traceparent });
}

/**
 * Writes planned rows in one statement (an invitation or a correction of minutes plans one per
 * agency, a data-due round one per agency: a statement each was most of the worker's statements,
 * issue 13). A key already planned is left as it is, or with `rearmCancelled` re-armed when it was
 * cancelled (e.g. a meeting rescheduled back to an earlier time), never when it was sent. Of rows
 * with one key the first counts, as when they were written one by one. Returns the rows written.
 */
export async function insertDeliveryRows(
  c: Queryable,
  rows: readonly Row[],
  options: { position?: number | null; rearmCancelled?: boolean; traceparent?: unknown } = {},
): Promise<number> {
  const seen = new Set<string>();
  const unique = rows.filter((r) => !seen.has(r.key) && seen.add(r.key));
  if (unique.length === 0) return 0;
  const traceparent = typeof options.traceparent === 'string' ? options.traceparent : undefined;
  const column = <T>(f: (r: Row) => T) => unique.map(f);
  const conflict = options.rearmCancelled
    ? `DO UPDATE SET status = 'pending', due_at = excluded.due_at, payload = excluded.payload,
         planned_at_position = excluded.planned_at_position, dispatched_at = NULL, finished_at = NULL
       WHERE scheduled_deliveries.status = 'cancelled'`
    : 'DO NOTHING';
  const res = await c.query(
    `INSERT INTO scheduled_deliveries (key, kind, collaborative_id, subject_id, due_at, payload, planned_at_position)
     SELECT key, kind, collaborative_id, subject_id, due_at, payload, $7
       FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[], $6::jsonb[])
         AS r(key, kind, collaborative_id, subject_id, due_at, payload)
     ON CONFLICT (key) ${conflict}`,
    [
      column((r) => r.key),
      column((r) => r.kind),
      column((r) => r.collaborativeId),
      column((r) => r.subjectId),
      column((r) => r.dueAt),
      column((r) => JSON.stringify(traceparent ? { ...r.payload, traceparent } : r.payload)),
      options.position ?? null,
    ],
  );
  return (res as unknown as { rowCount: number | null }).rowCount ?? 0;
}

export async function cancelRows(c: Queryable, subjectId: string, kind: string): Promise<void> {
  await c.query(
    `UPDATE scheduled_deliveries SET status = 'cancelled', finished_at = now()
     WHERE subject_id = $1 AND kind = $2 AND status IN ('pending', 'dispatched')`,
    [subjectId, kind],
  );
}

export type Data = Record<string, any>;

// Commands hold dates to DATE_MIN..DATE_MAX now, but events stored before (year 0000, which
// PostgreSQL's date and timestamptz refuse) must not stop the reactor (issue 12.3): a span is
// clamped to the range for planning, and a meeting outside it is not planned (nothing is ever due).
export const clampDate = (date: string) => (date < DATE_MIN ? DATE_MIN : date > DATE_MAX ? DATE_MAX : date);
export const plannable = (at: string) => String(at).slice(0, 10) >= DATE_MIN && String(at).slice(0, 10) <= DATE_MAX && !Number.isNaN(Date.parse(at));

