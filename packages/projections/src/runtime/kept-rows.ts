import { sql } from 'kysely';

// The rows a projection runner keeps from batch to batch (issue 13; runner.ts, carry), and what
// makes them safe to keep: the personal-data key generation, which every erasure moves in the
// transaction that scrubs the live rows (scrub.ts), the one writer of a runner's tables besides it.

/** The key generation moved while a batch applied (an erasure scrubbed rows): the batch runs again. */
export class ErasedMeanwhile extends Error {}

/** The personal-data key generation as of the statement (every erasure moves it: scrub.ts). */
export const keyGenerationNow = sql<string>`(SELECT generation FROM personal_data_key_generation)`;

/** PROJECTOR_ROW_CACHE: rows each runner keeps between batches (default 5,000; 0: none). Each row is a JS object of the
 * row's columns (a progress agency ~1 kB): 5,000 rows is a few MB per projection instance. */
export function keptRowsSetting(): number {
  const raw = process.env.PROJECTOR_ROW_CACHE;
  if (raw === undefined || raw === '') return 5_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`PROJECTOR_ROW_CACHE must be a whole number of rows (0: none), not ${JSON.stringify(raw)}`);
  return n;
}
