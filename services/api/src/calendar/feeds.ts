// Calendar feed tokens: `cvf_<32 random bytes, base64url>`, shown once; only their sha256 is stored
// (as API keys are: auth/keys.ts). A feed is read with the rights of the key that created it.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { keysetPage, type Keyset, type KeysetPage } from '@convene/projections';
import { hashKey, type Principal } from '../auth/keys';

export type FeedScope = 'collaborative' | 'agency' | 'coach';

export interface Feed {
  feedId: string;
  collaborativeId: string;
  scope: FeedScope;
  /** The agency or coach whose calendar it is; null for the collaborative's. */
  subjectId: string | null;
  name: string;
  keyId: string;
  createdAt: string;
  revokedAt: string | null;
}

interface FeedRow {
  feed_id: string;
  collaborative_id: string;
  scope: FeedScope;
  subject_id: string | null;
  name: string;
  key_id: string;
  created_at: Date;
  revoked_at: Date | null;
}

const toFeed = (r: FeedRow): Feed => ({
  feedId: r.feed_id, collaborativeId: r.collaborative_id, scope: r.scope, subjectId: r.subject_id, name: r.name, keyId: r.key_id,
  createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at ? r.revoked_at.toISOString() : null,
});

export async function createFeed(
  pool: pg.Pool,
  input: { keyId: string; collaborativeId: string; scope: FeedScope; subjectId: string | null; name: string },
): Promise<{ token: string; feed: Feed }> {
  const token = `cvf_${randomBytes(32).toString('base64url')}`;
  const { rows } = await pool.query<FeedRow>(
    `INSERT INTO calendar_feeds (feed_id, token_hash, key_id, collaborative_id, scope, subject_id, name)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [uuidv7(), hashKey(token), input.keyId, input.collaborativeId, input.scope, input.subjectId, input.name],
  );
  return { token, feed: toFeed(rows[0]!) };
}

/** Sort keys of the feed list: the creation time (UTC, sortable text) or the name (case-insensitive). */
const FEED_SORT_KEYS = {
  createdAt: `to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
  name: 'lower(name)',
} as const;
export const feedSorts = Object.keys(FEED_SORT_KEYS) as [keyof typeof FEED_SORT_KEYS, ...(keyof typeof FEED_SORT_KEYS)[]];

/** Feeds of a collaborative, a keyset page; `keyId` limits them to one key's (null: every key's). */
export async function listFeeds(
  pool: pg.Pool,
  q: { collaborativeId: string; keyId: string | null; keyset: Keyset & { field: string } },
): Promise<KeysetPage<Feed>> {
  const key = FEED_SORT_KEYS[q.keyset.field as keyof typeof FEED_SORT_KEYS] ?? FEED_SORT_KEYS.createdAt;
  const dir = q.keyset.direction === 'desc' ? 'DESC' : 'ASC';
  const params: unknown[] = [q.collaborativeId, q.keyId, q.keyset.limit + 1];
  const after = q.keyset.after ? (params.push(String(q.keyset.after[0]), q.keyset.after[1]), `AND (${key}, feed_id) ${dir === 'ASC' ? '>' : '<'} ($4, $5::uuid)`) : '';
  const { rows } = await pool.query<FeedRow & { sort_key: string }>(
    `SELECT *, ${key} AS sort_key FROM calendar_feeds WHERE collaborative_id = $1 AND ($2::uuid IS NULL OR key_id = $2) ${after}
      ORDER BY ${key} ${dir}, feed_id ${dir} LIMIT $3`,
    params,
  );
  return keysetPage(rows, q.keyset, toFeed, (r) => r.feed_id);
}

export async function getFeed(pool: pg.Pool, feedId: string): Promise<Feed | null> {
  const { rows } = await pool.query<FeedRow>('SELECT * FROM calendar_feeds WHERE feed_id = $1', [feedId]);
  return rows[0] ? toFeed(rows[0]) : null;
}

/** Revokes a feed; false when it was already revoked. */
export async function revokeFeed(pool: pg.Pool, feedId: string): Promise<boolean> {
  const { rowCount } = await pool.query('UPDATE calendar_feeds SET revoked_at = now() WHERE feed_id = $1 AND revoked_at IS NULL', [feedId]);
  return (rowCount ?? 0) > 0;
}

/** The active feed with this token and the principal of its (active) key, or null. */
export async function feedByToken(pool: pg.Pool, token: string): Promise<{ feed: Feed; principal: Principal } | null> {
  const { rows } = await pool.query<FeedRow & { role: Principal['role']; actor_id: string; key_name: string; collaborative_ids: string[] | null; agency_ids: string[] }>(
    `SELECT f.*, k.role, k.actor_id, k.name AS key_name, k.collaborative_ids, k.agency_ids
       FROM calendar_feeds f JOIN api_keys k ON k.key_id = f.key_id
      WHERE f.token_hash = $1 AND f.revoked_at IS NULL AND k.revoked_at IS NULL`,
    [hashKey(token)],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    feed: toFeed(r),
    principal: { keyId: r.key_id, name: r.key_name, role: r.role, actorId: r.actor_id, collaborativeIds: r.collaborative_ids, agencyIds: r.agency_ids },
  };
}
