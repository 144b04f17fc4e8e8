import { sql, type Kysely } from 'kysely';
import { keyGenerationNow } from './kept-rows';

/**
 * Moves the checkpoints of instances from `from` to `to` in one statement, under the conditions a
 * batch commits under (neither retired nor failed, the lease `holder`'s when given, the checkpoint
 * still at `from`: the UPDATE re-checks them on each row it locks), adding to each its count of
 * `applied` events (none given: instances with nothing to apply). In name order, the order the
 * lease heartbeat's UPDATE locks the same rows in; with `keyGeneration`, only while the personal-data
 * key generation is still that (no erasure since: runner.ts, keptRows). Returns the schemas moved; for the others the
 * full path says why not.
 */
export async function advanceCheckpoints(
  db: Kysely<any>, schemas: string[], from: number, to: number, holder: string | undefined, applied?: Map<string, number>, keyGeneration?: number,
): Promise<Set<string>> {
  if (schemas.length === 0) return new Set();
  const names = [...schemas].sort();
  const { rows } = await sql<{ schema_name: string }>`UPDATE projection_instances AS p
      SET position = ${to}, events_applied = p.events_applied + v.n, updated_at = now()
     FROM unnest(${names}::text[], ${names.map((n) => applied?.get(n) ?? 0)}::bigint[]) AS v(schema_name, n)
    WHERE p.schema_name = v.schema_name AND p.position = ${from} AND p.role <> 'retired' AND p.status <> 'failed'
    ${holder === undefined ? sql`` : sql`AND p.claimed_by = ${holder}`}
    ${keyGeneration === undefined ? sql`` : sql`AND ${keyGenerationNow} = ${keyGeneration}`}
    RETURNING p.schema_name`.execute(db);
  return new Set(rows.map((r) => r.schema_name));
}
