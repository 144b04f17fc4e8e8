// Issue 16: the streams a command reads that its data cannot name (an agency's change projects,
// found for its completion): those holding an event of a type whose data has given fields.
import type pg from 'pg';

export interface StreamQuery {
  eventType: string;
  /** `collaborativeId` narrows the scan through the collaborative's expression index (migration 0701). */
  match: { collaborativeId: string } & Record<string, string>;
}

/** Ids are never sealed (only personal values are), so they match as stored. */
export async function findStreams(pool: pg.Pool, query: StreamQuery): Promise<string[]> {
  const { rows } = await pool.query<{ stream_id: string }>(
    `SELECT DISTINCT stream_id FROM events
      WHERE data->>'collaborativeId' = $1 AND event_type = $2 AND data @> $3::jsonb
      ORDER BY stream_id`,
    [query.match.collaborativeId, query.eventType, JSON.stringify(query.match)],
  );
  return rows.map((r) => r.stream_id);
}
