// What an erasure is about to make unreadable: the plain values sealed under some subjects, read
// from the events while their keys still exist (issue 14). The privacy route replaces them in the
// live read models in the transaction that deletes the keys. Scans the events whose data names
// one of the subjects (a sequential scan: erasures are rare).
import type pg from 'pg';
import { isSealedValue, PersonalDataVault, unsealValue, type SealedValue } from './personal-data';

export interface SealedPlainValue {
  subjectId: string;
  value: string;
  placeholder: string;
}

function collect(data: unknown, subjects: Set<string>, into: SealedValue[]): void {
  if (isSealedValue(data)) {
    if (subjects.has(data.s)) into.push(data);
  } else if (Array.isArray(data)) data.forEach((d) => collect(d, subjects, into));
  else if (typeof data === 'object' && data !== null) Object.values(data).forEach((d) => collect(d, subjects, into));
}

/** The distinct plain values (strings) these subjects' keys open, with their placeholders. */
export async function plainValuesOf(
  client: Pick<pg.Pool, 'query'>,
  vault: PersonalDataVault,
  subjectIds: readonly string[],
): Promise<SealedPlainValue[]> {
  if (subjectIds.length === 0) return [];
  const keys = await vault.readKeys(subjectIds);
  if (keys.size === 0) return [];
  const patterns = [...keys.keys()].map((s) => `%"s": ${JSON.stringify(s).replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const { rows } = await client.query<{ data: unknown }>('SELECT data FROM events WHERE data::text LIKE ANY($1::text[])', [patterns]);
  const subjects = new Set(keys.keys());
  const out = new Map<string, SealedPlainValue>();
  for (const row of rows) {
    const found: SealedValue[] = [];
    collect(row.data, subjects, found);
    for (const sealed of found) {
      const value = unsealValue(keys.get(sealed.s), sealed);
      if (typeof value !== 'string' || value === sealed.e) continue;
      out.set(`${sealed.s}\u0000${value}`, { subjectId: sealed.s, value, placeholder: sealed.e });
    }
  }
  return [...out.values()];
}
