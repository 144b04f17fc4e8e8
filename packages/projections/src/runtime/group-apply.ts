// Several projections' parts of one feed batch in one transaction (issue 13). Each runner
// applying a batch on its own runs a transaction of six statements around its rows (BEGIN, SET
// LOCAL, its parked streams, its checkpoint locked, moved, COMMIT), and every commit wakes nine
// projections: with a few of them busy per batch, that overhead was most of the projector's
// statements. Here one transaction checks every checkpoint in one statement, reads every parked
// stream in one, applies each runner's rows and moves every checkpoint in one guarded UPDATE.
import { sql, type Kysely } from 'kysely';
import type { FeedBatch } from './feed';
import type { JoinedBatch, ProjectionRunner } from './runner';

/** A checkpoint that is not as the group expects: the runners take the path that says why. */
class NotTogether extends Error {}

/**
 * Applies `batch` to every runner in one transaction, under the conditions each runner's own
 * batch commits under (its instance neither retired nor failed, the lease `holder`'s, the
 * checkpoint at the batch's start). Returns false, having changed nothing, when any condition does
 * not hold or anything fails (a poison event, a value a column refuses, a lost connection): the
 * caller then applies the batch runner by runner, which parks poison and reports the rest.
 */
export async function applyTogether(db: Kysely<any>, runners: ProjectionRunner[], batch: FeedBatch, holder: string): Promise<boolean> {
  const schemas = runners.map((r) => r.schema);
  let joined: JoinedBatch[] = [];
  try {
    await db.transaction().execute(async (trx) => {
      joined = [];
      // Rows and checkpoints commit or vanish together: a commit lost in an OS crash only means
      // applying the batch again (as for a runner's own batch).
      await sql`SET LOCAL synchronous_commit = off`.execute(trx);
      // Checked first without a lock, and moved at the end by one UPDATE that must move every one
      // under the same conditions: the rows stay unlocked while the batch is applied, so the lease
      // heartbeat (an UPDATE of the same rows) is not held up by a long batch. A runner that moved a
      // checkpoint meanwhile, or a lease taken over, makes that UPDATE move fewer: all roll back.
      const { rows: found } = await sql<{ schema_name: string; position: string; role: string; status: string; claimed_by: string | null }>`
        SELECT schema_name, position, role, status, claimed_by FROM projection_instances
         WHERE schema_name = ANY(${schemas}::text[])`.execute(trx);
      const fit = (r: (typeof found)[number]) =>
        r.role !== 'retired' && r.status !== 'failed' && r.claimed_by === holder && Number(r.position) === batch.from;
      if (found.length !== schemas.length || !found.every(fit)) throw new NotTogether();
      const { rows: parkedRows } = await sql<{ schema_name: string; stream_id: string; position: string }>`
        SELECT schema_name, stream_id, min(position) AS position FROM projection_failures
         WHERE schema_name = ANY(${schemas}::text[]) AND resolved_at IS NULL AND stream_id IS NOT NULL
         GROUP BY schema_name, stream_id`.execute(trx);
      for (const runner of runners) {
        const parked = new Map(parkedRows.filter((p) => p.schema_name === runner.schema).map((p) => [p.stream_id, Number(p.position)]));
        joined.push(await runner.applyWithin(trx, batch, parked));
      }
      // In name order, the order the heartbeat's UPDATE (an index scan of the same names) locks them in.
      const byName = [...joined].sort((x, y) => (x.schema < y.schema ? -1 : 1));
      const { rows: moved } = await sql<{ schema_name: string }>`UPDATE projection_instances AS p
          SET position = ${batch.to}, events_applied = p.events_applied + v.n, updated_at = now()
         FROM unnest(${byName.map((j) => j.schema)}::text[], ${byName.map((j) => j.events.length)}::bigint[]) AS v(schema_name, n)
        WHERE p.schema_name = v.schema_name AND p.position = ${batch.from} AND p.claimed_by = ${holder}
          AND p.role <> 'retired' AND p.status <> 'failed'
        RETURNING p.schema_name`.execute(trx);
      if (moved.length !== joined.length) throw new NotTogether();
    });
  } catch {
    return false;
  }
  for (const [i, runner] of runners.entries()) runner.joinedCommitted(joined[i]!);
  return true;
}
