import { recordBatchSpans, tracingEnabled } from '@convene/runtime';
import { sql, type Kysely } from 'kysely';
import type { EventStore, RecordedEvent } from '@convene/eventstore';
import { dropRetiredSchema, PgBatchStore } from './pg-store';
import { asyncCommitTransaction } from './async-commit';
import { createdPosition, pdb, rebuildAfterErasure } from './instances';
import { PERSONAL_DATA_ERASED, type Projection } from './types';
import { readFeed, readTypesOf, type FeedBatch } from './feed';
import { findPoison, isDataError, park, parkedStreams, PoisonEvent } from './poison';
import { advanceCheckpoints } from './checkpoints';
import { ErasedMeanwhile, keptRowsSetting, keyGenerationNow } from './kept-rows';
import type { JoinedBatch, Logger, RunnerOptions, StepResult } from './runner-types';
import { silentLogger } from './runner-types';

export { isDataError } from './poison';
export { advanceCheckpoints } from './checkpoints';
export { keptRowsSetting } from './kept-rows';

// The feed reader lived here first; still exported from here for existing importers.
export { readFeed, readTypesOf, type FeedBatch };

export { silentLogger, type Logger, type RunnerOptions, type StepResult, type JoinedBatch } from './runner-types';

class InstanceGone extends Error {}
/** Whether an event lies before its stream's parking (a parked stream's events from its poison event on are skipped). */
export const unparkedIn = (parked: Map<string, number>) => (e: RecordedEvent) => e.globalPosition < (parked.get(e.streamId) ?? Number.POSITIVE_INFINITY);


/**
 * Applies the feed to one projection instance, batch by batch: each batch's rows and the
 * checkpoint commit together, and the checkpoint row is locked and compared first, so a batch is
 * applied once even when two runners (or a crashed one and its successor) race.
 */
export class ProjectionRunner {
  readonly schema: string;
  readonly projection: Projection;
  /** What this runner reads from the feed (see readTypesOf). */
  readonly readTypes: string[];
  private readonly handled: Set<string>;
  private readonly batchSize: number;
  private readonly logger: Logger;
  /**
   * The rows its batches have read and written, as committed at `position` (evolve changes rows in
   * place: kept only after a commit), while the key generation was `generation`. They are what is
   * stored as long as nobody else writes this instance's tables: another runner would have moved
   * the checkpoint from `position` (every batch commits only from its own), and the one other
   * writer, the privacy route's scrub of erased values, moves the key generation in its
   * transaction. A batch uses them only from `position` and at `generation`, and commits only if
   * the generation has not moved meanwhile (else it rolls back and runs without them).
   */
  private carry: { position: number; generation: number; rows: PgBatchStore } | undefined;
  private readonly maxKeptRows: number;

  constructor(private readonly options: RunnerOptions) {
    this.schema = options.schema;
    this.projection = options.projection;
    this.readTypes = readTypesOf(options.projection);
    this.handled = new Set(options.projection.eventTypes);
    this.batchSize = options.batchSize ?? 2000;
    this.maxKeptRows = options.maxKeptRows ?? keptRowsSetting();
    this.logger = options.logger ?? silentLogger;
  }

  async position(): Promise<number> {
    const row = await pdb(this.options.db)
      .selectFrom('projection_instances')
      .select(['position', 'status', 'role'])
      .where('schema_name', '=', this.schema)
      .executeTakeFirst();
    return Number(row?.position ?? 0);
  }

  /** One batch; `until` stops at that position (verify builds a shadow to the live checkpoint). */
  async step(until?: number): Promise<StepResult> {
    const { db, store } = this.options;
    const inst = await pdb(db)
      .selectFrom('projection_instances')
      .select(['position', 'status', 'role'])
      .where('schema_name', '=', this.schema)
      .executeTakeFirst();
    if (!inst || inst.role === 'retired') return { kind: 'stopped', reason: inst ? 'retired' : 'gone' };
    if (inst.status === 'failed') return { kind: 'stopped', reason: 'failed' };
    const from = Number(inst.position);
    if (until !== undefined && from >= until) return { kind: 'idle', position: from };

    return this.applyBatch(await readFeed(store, { from, limit: this.batchSize, types: this.readTypes, until }));
  }

  /**
   * Applies a batch read from this instance's checkpoint (by this runner or a shared reader whose
   * types include this runner's): rows and checkpoint in one transaction, the checkpoint compared
   * first. A batch that does not start at the checkpoint changes nothing ('stopped').
   */
  async applyBatch(batch: FeedBatch): Promise<StepResult> {
    const { from, to } = batch;
    const events = batch.events.filter((e) => this.handled.has(e.type));
    const erasures = this.projection.holdsPersonalData ? batch.events.filter((e) => e.type === PERSONAL_DATA_ERASED) : [];
    if (events.length === 0 && to <= from) return { kind: 'idle', position: from };
    // Only other projections' events: the checkpoint moves in one statement, not a transaction of
    // seven (with nine projections woken by every commit, most batches are this: issue 13).
    if (this.nothingToApply(batch) && (await this.advance(from, to))) {
      return { kind: 'applied', events: 0, position: to };
    }

    // A poison event parks its stream (recorded, logged, skipped from then on) and the batch is
    // applied again without it: one bad stream never stops the projection for the others.
    for (let attempt = 0; ; attempt++) {
      let unparked = unparkedIn(new Map());
      try {
        unparked = unparkedIn(await parkedStreams(this.options.db, this.schema));
        const kept = events.filter(unparked);
        const startedAt = Date.now();
        await this.apply(from, kept, to, erasures);
        if (tracingEnabled()) this.traceApplied(kept, startedAt);
        return { kind: 'applied', events: kept.length, position: to };
      } catch (error) {
        if (error instanceof InstanceGone) return { kind: 'stopped', reason: error.message };
        if (error instanceof ErasedMeanwhile) continue; // again, on rows read anew (its kept rows were dropped)
        let poison: { event: RecordedEvent; original: unknown } | undefined;
        if (error instanceof PoisonEvent) poison = { event: error.event, original: error.original };
        else if (isDataError(error)) poison = await findPoison(this.options.db, this.schema, this.projection, events.filter(unparked), error);
        if (!poison || attempt >= 1000) throw error;
        await park(this.options.db, this.schema, this.projection, this.logger, poison.event, poison.original);
      }
    }
  }

  /** Whether a batch holds nothing this runner applies: only its checkpoint would move (advanceCheckpoints). */
  nothingToApply(batch: FeedBatch): boolean {
    if (this.options.beforeCommit) return false; // fault injection wants the batch transaction
    return batch.events.every((e) => !this.handled.has(e.type) && !(this.projection.holdsPersonalData && e.type === PERSONAL_DATA_ERASED));
  }

  /**
   * Whether this runner's part of a batch may be applied in a transaction shared with other
   * runners (group-apply.ts): not when an erasure asks for a rebuild, nor under fault injection.
   */
  canJoin(batch: FeedBatch): boolean {
    if (this.options.beforeCommit) return false;
    return !(this.projection.holdsPersonalData && batch.events.some((e) => e.type === PERSONAL_DATA_ERASED));
  }

  /**
   * This runner's part of a batch inside a transaction of the group's, whose caller loads the rows
   * (loadTogether), has each runner apply its events (evolveWithin), writes the rows
   * (flushTogether) and moves the checkpoint (and rolls everything back if it cannot). Any error
   * aborts the whole group's transaction; each runner then applies the batch on its own
   * (applyBatch: the poison path).
   */
  prepareWithin(trx: Kysely<any>, batch: FeedBatch, parked: Map<string, number>, generation: number): JoinedBatch {
    const events = batch.events.filter((e) => this.handled.has(e.type)).filter(unparkedIn(parked));
    const rows = this.batchRows(trx, batch.from, generation);
    return { schema: this.schema, events, to: batch.to, rows, refs: events.flatMap((e) => this.projection.refs(e)), startedAt: Date.now(), generation };
  }

  /** Applies its events to its rows, loaded (see prepareWithin). */
  evolveWithin(joined: JoinedBatch): void {
    this.evolveAll(joined.rows, joined.events);
  }

  /** The group's transaction committed: keep its rows for the next batch, trace what was applied. */
  joinedCommitted(joined: JoinedBatch): void {
    this.keepRows(joined.to, joined.generation, joined.rows);
    if (tracingEnabled()) this.traceApplied(joined.events, joined.startedAt);
  }

  /** Its checkpoint was moved from `from` to `to` with nothing applied: the rows kept from the last batch are still what is stored. */
  movedWithoutBatch(from: number, to: number): void {
    if (this.carry?.position === from) this.carry = { ...this.carry, position: to };
  }

  private async advance(from: number, to: number): Promise<boolean> {
    const moved = await advanceCheckpoints(this.options.db, [this.schema], from, to, this.options.leaseHolder);
    if (!moved.has(this.schema)) return false;
    this.movedWithoutBatch(from, to);
    return true;
  }

  /** Each applied event that carries a trace context gets a span in that trace (the command's). */
  private traceApplied(events: RecordedEvent[], startedAt: number) {
    const attributes = (e: RecordedEvent) => ({ 'convene.projection': this.projection.name, 'convene.event_type': e.type, 'convene.position': e.globalPosition });
    recordBatchSpans('projection.apply', events.map((e) => ({ traceparent: e.metadata.traceparent, attributes: attributes(e) })), startedAt);
  }

  /** Steps until nothing is left below the safe position (or `until`). */
  async catchUp(options: { until?: number; onBatch?: (r: StepResult) => void; signal?: { stopped: boolean } } = {}): Promise<StepResult> {
    for (;;) {
      const r = await this.step(options.until);
      options.onBatch?.(r);
      if (r.kind !== 'applied' || options.signal?.stopped) return r;
    }
  }

  private async apply(from: number, events: RecordedEvent[], to: number, erasures: RecordedEvent[]): Promise<void> {
    const { db, projection } = this.options;
    let retired: string | undefined;
    let committed: PgBatchStore | undefined;
    let generation = 0;
    // Rows and checkpoint commit or vanish together, so a commit lost in an OS crash only means
    // applying its batch again: no need to wait for the WAL flush.
    await asyncCommitTransaction(db, async (trx) => {
      const locked = await pdb(trx)
        .selectFrom('projection_instances')
        .select(['position', 'role', 'status', 'claimed_by', keyGenerationNow.as('key_generation')])
        .where('schema_name', '=', this.schema)
        .forUpdate()
        .executeTakeFirst();
      if (!locked || locked.role === 'retired' || locked.status === 'failed')
        throw new InstanceGone(locked ? `instance ${locked.role}/${locked.status}` : 'instance gone');
      if (this.options.leaseHolder !== undefined && locked.claimed_by !== this.options.leaseHolder) throw new InstanceGone('lease lost');
      if (Number(locked.position) !== from) throw new InstanceGone('checkpoint moved: another runner applied this batch');

      generation = Number(locked.key_generation);
      committed = await this.writeRows(trx, from, events, generation);
      // Values read before an erasure may sit in these tables: rebuild from the (now erased) log.
      const erased = erasures.at(-1)?.globalPosition;
      if (erased !== undefined && (locked.role === 'live' || locked.role === 'building') && (await createdPosition(trx, this.schema)) <= erased) {
        const r = await rebuildAfterErasure(trx, projection, { schema: this.schema, role: locked.role, version: projection.version }, erased);
        retired = r.retire;
        this.logger.info({ projection: projection.name, schema: this.schema, position: erased, rebuild: r.created ?? 'already building' }, 'personal data erased: rebuilding the projection');
      }
      await this.options.beforeCommit?.(trx, events);
      const moved = await pdb(trx)
        .updateTable('projection_instances')
        .set({
          position: to,
          events_applied: sql`events_applied + ${events.length}`,
          updated_at: sql`now()`,
        } as never)
        .where('schema_name', '=', this.schema)
        // An erasure committed since the batch began may have scrubbed rows it wrote from what it
        // had read or kept: then nothing commits, and the batch runs again (keptRows).
        .where(sql<boolean>`${keyGenerationNow} = ${generation}`)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) throw new ErasedMeanwhile();
    });
    if (retired) await dropRetiredSchema(db, retired);
    else if (committed) this.keepRows(to, generation, committed);
  }

  /**
   * The rows of `events` applied on what is stored at `from`, written in `trx`. The rows this runner
   * kept at `from` (batchRows) are reused, not loaded again; evolve may change them in place, so
   * they are dropped here and kept again only once the caller commits.
   */
  private async writeRows(trx: Kysely<any>, from: number, events: RecordedEvent[], generation: number): Promise<PgBatchStore> {
    const rows = this.batchRows(trx, from, generation);
    await rows.load(events.flatMap((e) => this.projection.refs(e)));
    this.evolveAll(rows, events);
    await rows.flush();
    return rows;
  }

  /** The rows of a batch at `from`: built on the kept rows when they are at `from` and `generation`. */
  private batchRows(trx: Kysely<any>, from: number, generation: number): PgBatchStore {
    const carry = this.carry;
    this.carry = undefined;
    const previous = carry && carry.position === from && carry.generation === generation ? carry.rows : undefined;
    return new PgBatchStore(trx, this.schema, this.projection, previous);
  }

  /** A batch committed: its rows kept for the next (at most maxKeptRows, the least recently used dropped). */
  private keepRows(position: number, generation: number, rows: PgBatchStore): void {
    if (this.maxKeptRows <= 0) return;
    rows.keep(this.maxKeptRows);
    this.carry = { position, generation, rows };
  }

  private evolveAll(rows: PgBatchStore, events: RecordedEvent[]): void {
    events.forEach((event, index) => {
      try {
        this.projection.evolve(rows, event);
      } catch (error) {
        throw new PoisonEvent(index, event, error);
      }
    });
  }
}
