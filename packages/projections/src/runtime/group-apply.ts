// Several projections' parts of one feed batch in one transaction (issue 13). Each runner
// applying a batch on its own runs a transaction of six statements around its rows (BEGIN, SET
// LOCAL, its parked streams, its checkpoint locked, moved, COMMIT), and every commit wakes nine
// projections: with a few of them busy per batch, that overhead was most of the projector's
// statements. Here one transaction reads every parked stream in one statement, applies each
// runner's rows, reading all of them in one statement (loadTogether) and writing them in one
// (flushTogether), and moves every checkpoint in one guarded UPDATE (advanceCheckpoints).
import type { Kysely } from 'kysely';
import { asyncCommitTransaction } from './async-commit';
import { flushTogether, loadTogether } from './pg-store';
import type { FeedBatch } from './feed';
import { advanceCheckpoints, type JoinedBatch, type ProjectionRunner } from './runner';
import { parkedStreamsAndKeyGeneration } from './poison';

/** A checkpoint that is not as the group expects: the runners take the path that says why. */
class NotTogether extends Error {}

/**
 * Applies `batch` to every runner in one transaction, and moves the checkpoints of the instances
 * `passing` (nothing of theirs in it) in the same statement, under the conditions each runner's own
 * batch commits under (its instance neither retired nor failed, the lease `holder`'s, the
 * checkpoint at the batch's start). Returns false, having changed nothing, when any condition does
 * not hold or anything fails (a poison event, a value a column refuses, a lost connection): the
 * caller then applies the batch runner by runner, which parks poison and reports the rest.
 */
export async function applyTogether(db: Kysely<any>, runners: ProjectionRunner[], batch: FeedBatch, holder: string, passing: string[] = []): Promise<boolean> {
  const schemas = runners.map((r) => r.schema);
  let joined: JoinedBatch[] = [];
  try {
    // Rows and checkpoints commit or vanish together: a commit lost in an OS crash only means
    // applying the batch again (as for a runner's own batch).
    await asyncCommitTransaction(db, async (trx) => {
      // The checkpoints stay unlocked while the batch is applied, so the lease heartbeat (an
      // UPDATE of the same rows) is not held up by a long batch; they are moved at the end by one
      // guarded UPDATE that must move every one. A checkpoint elsewhere (another runner), a lease
      // not ours, an instance retired or failed: it moves fewer, and all roll back.
      const { parked, generation } = await parkedStreamsAndKeyGeneration(trx, schemas);
      joined = runners.map((runner) => runner.prepareWithin(trx, batch, parked.get(runner.schema)!, generation));
      // Every runner's rows read in one statement and written in one (issue 13).
      await loadTogether(trx, joined.map((j) => ({ store: j.rows, refs: j.refs })));
      for (const [i, runner] of runners.entries()) runner.evolveWithin(joined[i]!);
      await flushTogether(trx, joined.map((j) => j.rows));
      const all = [...schemas, ...passing];
      // Only while no erasure has come since the transaction began (its scrub may have changed rows
      // these were built on): else all roll back, and the runners apply the batch on rows read anew.
      const moved = await advanceCheckpoints(trx, all, batch.from, batch.to, holder, new Map(joined.map((j) => [j.schema, j.events.length])), generation);
      if (moved.size !== all.length) throw new NotTogether();
    });
  } catch {
    return false;
  }
  for (const [i, runner] of runners.entries()) runner.joinedCommitted(joined[i]!);
  return true;
}
