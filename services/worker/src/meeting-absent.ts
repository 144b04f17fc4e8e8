import type { Db as Queryable } from './types';

// A meeting's absent agencies after an attendance recording, in one UPDATE (issue 13: it was read
// FOR UPDATE, changed here and written back, two statements per attendance, then read again by
// the follow-up kind). The list is applied as a Set applies it, entry by entry (present: delete;
// absent: add, at the end when not there): what stays, what goes and where each newcomer lands
// depend on whether an agency was absent before, which only the row knows, so each agency of the
// recording carries both answers and the statement picks one.

interface Entry {
  agencyId: string;
  present: boolean;
}

/**
 * The absent list after a recording, as a Set applies it entry by entry: what the meeting's own
 * fold computes (kinds/subjects.ts), and what the statement below is checked against.
 */
export function absentAfter(before: readonly string[], entries: readonly Entry[]): string[] {
  const absent = new Set(before);
  for (const e of entries) {
    if (e.present) absent.delete(e.agencyId);
    else absent.add(e.agencyId);
  }
  return [...absent];
}

/** Where an agency ends: kept in its place (it was absent before), or appended at step `at`, or gone. */
type Fate = { keep: true } | { keep: false; at: number | null };

/** An agency's fate if it was absent before (`member`) and if it was not (`newcomer`). */
export interface AbsentOp {
  a: string;
  keep: boolean;
  /** Appended at this step if it was absent before and left and came back (else null). */
  km: number | null;
  /** Appended at this step if it was not absent before (else null: not added). */
  kn: number | null;
}

function fateOf(agencyId: string, entries: readonly Entry[], wasAbsent: boolean): Fate {
  let fate: Fate = wasAbsent ? { keep: true } : { keep: false, at: null };
  entries.forEach((e, step) => {
    if (e.agencyId !== agencyId) return;
    if (e.present) fate = { keep: false, at: null };
    else if (!fate.keep && fate.at === null) fate = { keep: false, at: step };
  });
  return fate;
}

/** The recording as both answers per agency (pure: unit-tested against a Set). */
export function absentOps(entries: readonly Entry[]): AbsentOp[] {
  return [...new Set(entries.map((e) => e.agencyId))].map((a) => {
    const member = fateOf(a, entries, true);
    const newcomer = fateOf(a, entries, false);
    return { a, keep: member.keep, km: member.keep ? null : member.at, kn: newcomer.keep ? null : newcomer.at };
  });
}

/** Applies `ops` to a list the way the statement does (for the unit test). */
export function applyAbsentOps(before: readonly string[], ops: readonly AbsentOp[]): string[] {
  const byAgency = new Map(ops.map((o) => [o.a, o]));
  const was = new Set(before);
  const kept = before.filter((a) => byAgency.get(a)?.keep ?? true);
  const appended = ops
    .map((o) => ({ a: o.a, at: was.has(o.a) ? o.km : o.kn }))
    .filter((x): x is { a: string; at: number } => x.at !== null)
    .sort((x, y) => x.at - y.at);
  return [...kept, ...appended.map((x) => x.a)];
}

/**
 * Marks the meeting held with its new absent list; returns the row as left (null: no such meeting
 * planned, as for a meeting outside the plannable dates).
 */
export async function recordAbsent(c: Queryable, meetingId: string, entries: readonly Entry[]): Promise<{ absent: string[]; minutes_published: boolean } | null> {
  const { rows } = await c.query<{ absent: string[]; minutes_published: boolean }>(
    `UPDATE worker_meetings w SET status = 'held', absent = (
       SELECT coalesce(jsonb_agg(x.a ORDER BY x.g, x.o), '[]'::jsonb) FROM (
         SELECT b.a, 0 AS g, b.o FROM jsonb_array_elements_text(w.absent) WITH ORDINALITY AS b(a, o)
          WHERE NOT EXISTS (SELECT 1 FROM jsonb_to_recordset($2::jsonb) AS p(a text, keep boolean) WHERE p.a = b.a AND NOT p.keep)
         UNION ALL
         SELECT p.a, 1, CASE WHEN w.absent ? p.a THEN p.km ELSE p.kn END
           FROM jsonb_to_recordset($2::jsonb) AS p(a text, km integer, kn integer)
          WHERE CASE WHEN w.absent ? p.a THEN p.km ELSE p.kn END IS NOT NULL) AS x)
     WHERE meeting_id = $1
     RETURNING absent, minutes_published`,
    [meetingId, JSON.stringify(absentOps(entries))],
  );
  return rows[0] ?? null;
}
