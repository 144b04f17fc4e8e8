// The directory's people table as audience queries read it: the API's announcements
// (read/announcements.ts) and the worker's message kinds (services/worker/src/kinds/read-models.ts).

/** A row of the directory's people table. */
export interface DirectoryPersonRow {
  kind: string;
  role: string;
  person_id: string | null;
  name: string | null;
  email: string | null;
  agency_id: string | null;
  organisation: string | null;
}

/**
 * A role removed since (issue 16 corrections mark the row with removed_at) reaches nobody. Read
 * through to_jsonb so that instances built before that column read as not removed.
 */
export const NOT_REMOVED = `(to_jsonb(people) ->> 'removed_at') IS NULL`;
