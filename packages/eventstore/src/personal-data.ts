// Crypto-shredding: personal values inside event data are sealed with AES-256-GCM under a key per
// data subject, kept in `personal_data_keys`. Erasing a subject deletes its key; its values then
// read as the placeholder stored beside them, so the events never change and still parse.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type pg from 'pg';

/** One personal value of an event: where it is, whose it is, and what it reads as once erased. */
export interface PersonalValue {
  path: readonly (string | number)[];
  subjectId: string;
  placeholder: string;
}

/** Lists the personal values of an event (none for most types). Pure. */
export type PersonalDataDescriptor = (eventType: string, data: unknown) => PersonalValue[];

/** A sealed value as stored in the event data. */
export interface SealedValue {
  /** base64(iv 12 bytes | GCM tag 16 bytes | ciphertext of the JSON value). */
  $pii: string;
  /** The subject whose key sealed it. */
  s: string;
  /** Read as this once the subject is erased. */
  e: string;
}

/** The hook the EventStore calls: seal before an append, unseal after a read. */
export interface PersonalDataHook {
  /**
   * The events' data with personal values sealed, and the key generation the keys used were read
   * at (null when nothing was sealed): the append is written only while it is still current.
   */
  seal(events: readonly { type: string; data: unknown }[]): Promise<{ data: unknown[]; generation: number | null }>;
  unseal(data: readonly unknown[]): Promise<unknown[]>;
  /** Drops cached sealing keys (an append found the key generation moved). */
  forgetKeys?(): void;
}

/**
 * The condition an append sealed at `generation` is written under, as SQL over parameter `$n`
 * (a bigint, NULL when nothing was sealed): see migrations/0810.
 */
export const keyGenerationHolds = (n: number) =>
  `($${n}::bigint IS NULL OR $${n}::bigint = (SELECT generation FROM personal_data_key_generation))`;

/** Thrown when an append's sealing keys were read before an erasure: seal again and retry. */
export class KeyGenerationMovedError extends Error {
  constructor() {
    super('personal-data keys changed (an erasure) since they were read: seal again');
  }
}

export const isSealedValue = (value: unknown): value is SealedValue =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as SealedValue).$pii === 'string' &&
  typeof (value as SealedValue).s === 'string' &&
  typeof (value as SealedValue).e === 'string';

export function sealValue(key: Buffer, subjectId: string, value: unknown, placeholder: string): SealedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(subjectId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return { $pii: Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64'), s: subjectId, e: placeholder };
}

/** The value, or the placeholder when the key is gone (or is not the one that sealed it). */
export function unsealValue(key: Buffer | undefined, sealed: SealedValue): unknown {
  if (!key) return sealed.e;
  try {
    const raw = Buffer.from(sealed.$pii, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(sealed.s, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    return JSON.parse(plain) as unknown;
  } catch {
    // A key created again after an erasure cannot open what the erased key sealed.
    return sealed.e;
  }
}

function setAt(target: unknown, path: readonly (string | number)[], replace: (value: unknown) => unknown): void {
  let node = target as Record<string | number, unknown> | undefined;
  for (const step of path.slice(0, -1)) {
    node = node?.[step] as Record<string | number, unknown> | undefined;
    if (typeof node !== 'object' || node === null) return;
  }
  const last = path.at(-1);
  if (last === undefined || node === undefined || !(last in node)) return;
  const value = node[last];
  if (value === undefined || value === null || isSealedValue(value)) return;
  node[last] = replace(value);
}

/** Replaces every sealed value found anywhere in `data` (copy-on-write). */
function mapSealed(data: unknown, open: (sealed: SealedValue) => unknown): unknown {
  if (isSealedValue(data)) return open(data);
  if (Array.isArray(data)) return data.map((d) => mapSealed(d, open));
  if (typeof data === 'object' && data !== null) {
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, mapSealed(v, open)]));
  }
  return data;
}

function collectSubjects(data: unknown, into: Set<string>): void {
  if (isSealedValue(data)) into.add(data.s);
  else if (Array.isArray(data)) data.forEach((d) => collectSubjects(d, into));
  else if (typeof data === 'object' && data !== null) Object.values(data).forEach((d) => collectSubjects(d, into));
}

/**
 * The key table. Reads (unsealing) never use a cached key: an erasure in any process takes effect
 * at once. Sealing may (sealingKeys): what was read at key generation g is used only by appends
 * written while the generation is still g.
 */
export class PersonalDataVault {
  constructor(private readonly pool: pg.Pool) {}

  /** The keys of these subjects, creating the missing ones, and the key generation they hold at. */
  async keysForSealing(subjectIds: readonly string[]): Promise<{ keys: Map<string, Buffer>; generation: number }> {
    const read = async (subjects: readonly string[]) => {
      const { rows } = await this.pool.query<{ generation: string; subject_id: string | null; key: Buffer | null }>(
        `SELECT g.generation, k.subject_id, k.key FROM personal_data_key_generation g
           LEFT JOIN personal_data_keys k ON k.subject_id = ANY($1::text[])`,
        [[...subjects]],
      );
      const keys = new Map<string, Buffer>();
      for (const r of rows) if (r.subject_id && r.key) keys.set(r.subject_id, r.key);
      return { keys, generation: Number(rows[0]?.generation ?? 0) };
    };
    const first = await read(subjectIds);
    const missing = subjectIds.filter((s) => !first.keys.has(s));
    if (missing.length === 0) return first;
    await this.pool.query(
      `INSERT INTO personal_data_keys (subject_id, key)
       SELECT * FROM unnest($1::text[], $2::bytea[]) ON CONFLICT (subject_id) DO NOTHING`,
      [missing, missing.map(() => randomBytes(32))],
    );
    // Another writer may have won the race for some subject: read what is stored.
    const again = await read(subjectIds);
    return again;
  }

  async readKeys(subjectIds: readonly string[]): Promise<Map<string, Buffer>> {
    if (subjectIds.length === 0) return new Map();
    const { rows } = await this.pool.query<{ subject_id: string; key: Buffer }>(
      'SELECT subject_id, key FROM personal_data_keys WHERE subject_id = ANY($1::text[])',
      [[...subjectIds]],
    );
    return new Map(rows.map((r) => [r.subject_id, r.key]));
  }

  /** The keys of these subjects, creating the missing ones (committed at once, on the pool). */
  async ensureKeys(subjectIds: readonly string[]): Promise<Map<string, Buffer>> {
    const keys = await this.readKeys(subjectIds);
    const missing = subjectIds.filter((s) => !keys.has(s));
    if (missing.length === 0) return keys;
    await this.pool.query(
      `INSERT INTO personal_data_keys (subject_id, key)
       SELECT * FROM unnest($1::text[], $2::bytea[]) ON CONFLICT (subject_id) DO NOTHING`,
      [missing, missing.map(() => randomBytes(32))],
    );
    // Another writer may have won the race for some subject: read what is stored.
    for (const [subject, key] of await this.readKeys(missing)) keys.set(subject, key);
    return keys;
  }

  /**
   * Deletes the keys (in `client`'s transaction when given) and moves the key generation, so that
   * no key cached for sealing before is used after; returns the subjects that had one.
   */
  async erase(subjectIds: readonly string[], client: Pick<pg.Pool, 'query'> = this.pool): Promise<string[]> {
    const { rows } = await client.query<{ subject_id: string }>(
      `WITH erased AS (DELETE FROM personal_data_keys WHERE subject_id = ANY($1::text[]) RETURNING subject_id),
            moved AS (UPDATE personal_data_key_generation SET generation = generation + 1)
       SELECT subject_id FROM erased`,
      [[...subjectIds]],
    );
    return rows.map((r) => r.subject_id).sort();
  }
}

/** The EventStore's `personalData` option, from a descriptor of the event types. */
export function createPersonalDataHook(options: { pool: pg.Pool; describe: PersonalDataDescriptor; maxCachedKeys?: number }): PersonalDataHook {
  const vault = new PersonalDataVault(options.pool);
  // Sealing keys read at one key generation (issue 13: a key read per command that writes free
  // text was the command path's most frequent statement). Dropped when an append finds the
  // generation moved; never used to unseal.
  let cache: { generation: number; keys: Map<string, Buffer> } | undefined;
  const maxCachedKeys = options.maxCachedKeys ?? 100_000;
  const sealingKeys = async (subjects: string[]) => {
    if (cache && subjects.every((s) => cache!.keys.has(s))) return cache;
    const read = await vault.keysForSealing(subjects);
    if (!cache || cache.generation !== read.generation || cache.keys.size + read.keys.size > maxCachedKeys) cache = { generation: read.generation, keys: new Map() };
    for (const [s, k] of read.keys) cache.keys.set(s, k);
    return read;
  };
  return {
    forgetKeys() {
      cache = undefined;
    },
    async seal(events) {
      const found = events.map((e) => options.describe(e.type, e.data));
      const subjects = [...new Set(found.flat().map((v) => v.subjectId))];
      if (subjects.length === 0) return { data: events.map((e) => e.data), generation: null };
      const { keys, generation } = await sealingKeys(subjects);
      const data = events.map((e, i) => {
        const values = found[i] ?? [];
        if (values.length === 0) return e.data;
        const copy = structuredClone(e.data);
        for (const v of values) {
          const key = keys.get(v.subjectId);
          if (!key) throw new Error(`no personal-data key for ${v.subjectId}`);
          setAt(copy, v.path, (value) => sealValue(key, v.subjectId, value, v.placeholder));
        }
        return copy;
      });
      return { data, generation };
    },
    async unseal(data) {
      const subjects = new Set<string>();
      data.forEach((d) => collectSubjects(d, subjects));
      if (subjects.size === 0) return [...data];
      const keys = await vault.readKeys([...subjects]);
      return data.map((d) => mapSealed(d, (sealed) => unsealValue(keys.get(sealed.s), sealed)));
    },
  };
}
