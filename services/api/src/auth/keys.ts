// API keys: 32 random bytes shown once (`cvk_<base64url>`); only their sha256 is stored.
import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';

export const roles = ['admin', 'coach', 'agency', 'analyst', 'auditor'] as const;
export const RoleSchema = z.enum(roles);
export type Role = z.infer<typeof RoleSchema>;

/** Who is calling: what an API key grants. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  /** Recorded as the actor of the events written with this key. */
  actorId: string;
  /** null: every collaborative. */
  collaborativeIds: string[] | null;
  /** coach: its assigned agencies (empty: its whole collaboratives); agency: its own agency. */
  agencyIds: string[];
}

export interface ApiKeyRecord extends Principal {
  createdAt: Date;
  revokedAt: Date | null;
}

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

export interface CreateApiKeyInput {
  name: string;
  role: Role;
  actorId?: string;
  collaborativeIds?: string[] | null;
  agencyIds?: string[];
}

interface KeyRow {
  key_id: string;
  name: string;
  role: Role;
  actor_id: string;
  collaborative_ids: string[] | null;
  agency_ids: string[];
  created_at: Date;
  revoked_at: Date | null;
}

const toRecord = (r: KeyRow): ApiKeyRecord => ({
  keyId: r.key_id,
  name: r.name,
  role: r.role,
  actorId: r.actor_id,
  collaborativeIds: r.collaborative_ids,
  agencyIds: r.agency_ids,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** Creates a key; the returned `key` is the only copy of the secret. */
export async function createApiKey(pool: pg.Pool, input: CreateApiKeyInput): Promise<{ key: string; record: ApiKeyRecord }> {
  const agencyIds = input.agencyIds ?? [];
  if (input.role === 'agency' && agencyIds.length !== 1) throw new Error('an agency key needs exactly one agency id');
  const key = `cvk_${randomBytes(32).toString('base64url')}`;
  const keyId = uuidv7();
  const { rows } = await pool.query<KeyRow>(
    `INSERT INTO api_keys (key_id, name, key_hash, role, actor_id, collaborative_ids, agency_ids)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [keyId, input.name, hashKey(key), input.role, input.actorId ?? keyId, input.collaborativeIds ?? null, agencyIds],
  );
  return { key, record: toRecord(rows[0]!) };
}

/** Revokes a key by id; false when there is no such active key. */
export async function revokeApiKey(pool: pg.Pool, keyId: string): Promise<boolean> {
  const { rowCount } = await pool.query('UPDATE api_keys SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL', [keyId]);
  // This process's caches forget it now; other processes' within their TTL.
  for (const cache of liveCaches) cache.evict(keyId);
  return (rowCount ?? 0) > 0;
}

const liveCaches = new Set<KeyCache>();

/**
 * Active keys by the hash of their secret, each trusted until `ttlMs` after the statement that last
 * found it active started: a request then needs no query. Instead of one query per key whenever
 * its entry expires (issue 13: with a few hundred keys in use, a third of the commands of a busy
 * API waited for one), every `ttlMs / 2` the keys used since the previous pass are checked again
 * in one statement (those used within the last minute: the others are dropped, their next request
 * reads them); a key it does not find active is dropped, so a revocation elsewhere is
 * honoured within `ttlMs` as before, and at once in this process (revokeApiKey evicts). Unknown
 * and revoked keys are never cached: each such request asks the table.
 */
export class KeyCache {
  private readonly entries = new Map<string, { principal: Principal; until: number; usedAt: number }>();
  private readonly timer: NodeJS.Timeout | undefined;
  private refreshing = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly ttlMs = 5000,
    private readonly maxEntries = 10_000,
  ) {
    if (ttlMs > 0) {
      liveCaches.add(this);
      this.timer = setInterval(() => void this.refresh(), Math.max(1, Math.floor(ttlMs / 2)));
      this.timer.unref();
    }
  }

  async find(key: string): Promise<Principal | null> {
    if (this.ttlMs <= 0) return findActiveKey(this.pool, key);
    const hash = hashKey(key);
    const hit = this.entries.get(hash);
    const now = Date.now();
    if (hit && hit.until > now) {
      hit.usedAt = now;
      return hit.principal;
    }
    const principal = await findActiveKeyByHash(this.pool, hash);
    if (principal) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(hash, { principal, until: now + this.ttlMs, usedAt: now });
    } else this.entries.delete(hash);
    return principal;
  }

  /** The key's principal if this cache holds it unexpired; never asks the database. */
  cached(key: string): Principal | null {
    if (this.ttlMs <= 0) return null;
    const hit = this.entries.get(hashKey(key));
    return hit && hit.until > Date.now() ? hit.principal : null;
  }

  /**
   * One statement for every key used within `idleMs`: still active, trusted for another `ttlMs`
   * from when the statement started; revoked or gone, dropped. Keys idle longer are dropped
   * without asking (their next request reads them). A failed pass changes nothing: the entries
   * expire on their own time.
   */
  async refresh(idleMs = 60_000): Promise<void> {
    if (this.refreshing) return;
    const idleSince = Date.now() - idleMs;
    for (const [hash, e] of this.entries) if (e.usedAt < idleSince) this.entries.delete(hash);
    const used = [...this.entries.keys()];
    if (used.length === 0) return;
    this.refreshing = true;
    const started = Date.now();
    try {
      const { rows } = await this.pool.query<KeyRow & { key_hash: string }>('SELECT * FROM api_keys WHERE key_hash = ANY($1::text[]) AND revoked_at IS NULL', [used]);
      const active = new Map(rows.map((r) => [r.key_hash, r]));
      for (const hash of used) {
        const entry = this.entries.get(hash);
        if (!entry) continue; // evicted meanwhile (revoked here)
        const row = active.get(hash);
        if (!row) this.entries.delete(hash);
        else this.entries.set(hash, { principal: principalOf(row), until: started + this.ttlMs, usedAt: entry.usedAt });
      }
    } catch {
      // The database is unreachable: entries expire as they would have.
    } finally {
      this.refreshing = false;
    }
  }

  evict(keyId: string): void {
    for (const [hash, e] of this.entries) if (e.principal.keyId === keyId) this.entries.delete(hash);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    liveCaches.delete(this);
    this.entries.clear();
  }
}

export async function listApiKeys(pool: pg.Pool): Promise<ApiKeyRecord[]> {
  const { rows } = await pool.query<KeyRow>('SELECT * FROM api_keys ORDER BY created_at, key_id');
  return rows.map(toRecord);
}

/** The active key with this secret, or null. */
export async function findActiveKey(pool: pg.Pool, key: string): Promise<Principal | null> {
  return findActiveKeyByHash(pool, hashKey(key));
}

function principalOf(row: KeyRow): Principal {
  const { createdAt: _c, revokedAt: _r, ...principal } = toRecord(row);
  return principal;
}

async function findActiveKeyByHash(pool: pg.Pool, hash: string): Promise<Principal | null> {
  const { rows } = await pool.query<KeyRow>('SELECT * FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL', [hash]);
  const row = rows[0];
  return row ? principalOf(row) : null;
}
