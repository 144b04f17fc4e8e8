import type pg from 'pg';
import { KeyGenerationMovedError, keyGenerationHolds } from './personal-data';
import type { NoNewStreams } from './types';

/** One stream's part of an append, as convene_append takes it. */
export interface StreamPayload {
  streamId: string;
  streamType: string;
  /** -2 any, -1 no stream, n the version expected. */
  expected: number;
  events: { id: string; type: string; schemaVersion: number; data: unknown }[];
}

/** One caller's append, as convene_append takes it. */
export interface AppendRequest {
  appends: StreamPayload[];
  guards: unknown[];
  metadata: unknown;
  idemKey: string | null;
  idemFingerprint: string | null;
  idemExtra: unknown;
  recordedAt: string | null;
  /** The key generation its personal values were sealed at (null: none sealed); see personal-data.ts. */
  keyGeneration?: number | null;
  /** A write committed with the append (AppendOptions.alsoWrite), run by convene_also_write. */
  alsoWrite?: { sql: string; values: unknown[] };
  /** Streams a query must not have gained (AppendOptions.noNewStreams); such a request goes alone. */
  noNewStreams?: NoNewStreams[];
}

export interface RawAppendResult {
  streams: { streamId: string; nextVersion: number; lastPosition: number | null }[];
  lastPosition: number | null;
  extra?: unknown;
  replayed: boolean;
}

export interface GroupCommitOptions {
  /**
   * Requests per transaction, at most 60: requests that are not plain appends each run in a
   * subtransaction, and PostgreSQL keeps 64 of those per backend in shared memory.
   */
  maxBatch?: number;
  /** Batches running at once; while they run, new requests queue up for the next batch. */
  maxInFlight?: number;
  /**
   * Appends of more events than this skip the queue and run at once in a transaction of their
   * own: their commit is already shared by many events, and grouping them would put their work
   * on one backend (one core) instead of spreading it over the pool's connections.
   */
  soloEvents?: number;
}

type BatchAnswer =
  | [nextVersion: number, lastPosition: number | null]
  | { ok: RawAppendResult }
  | { error: { code: string; detail: string | null; message: string } };

export interface Pending {
  request: AppendRequest;
  resolve: (result: RawAppendResult) => void;
  reject: (error: unknown) => void;
}

/** A database error as pg reports it, rebuilt from what convene_append_batch_guarded caught. */
function sqlError(e: { code: string; detail: string | null; message: string }): Error {
  return Object.assign(new Error(e.message), { code: e.code, ...(e.detail ? { detail: e.detail } : {}) });
}

/**
 * A batch refused by the server for one of its requests (bad data, a constraint, a deadlock
 * between batches, the per-transaction event limit) was rolled back whole: its requests are run
 * again one by one, so only the culprit fails. Lost connections and timeouts are not retried.
 */
const retryAlone = (error: unknown) => ['22', '23', '40', 'CV'].includes(String((error as { code?: unknown })?.code ?? '').slice(0, 2));

/**
 * A deadlock victim, a serialization failure or a lock timeout (class 40, 55P03) says nothing
 * about the request: run again, its transaction (or subtransaction) rolled back, it may succeed.
 */
export const isTransient = (code: unknown) => typeof code === 'string' && (code.startsWith('40') || code === '55P03');

const TRANSIENT_ATTEMPTS = 4;

/**
 * The batch as convene_append_batch_guarded takes it (migrations/0840). A plain request (one
 * stream, an expected version, no idempotency key) is flattened and written without a
 * subtransaction, together with the batch's other plain requests in one statement that also locks
 * and checks their guards: so at most one per stream, each with its events' offset (o) among
 * theirs. A request guarding a stream that a plain request of the batch appends to goes whole:
 * that statement would check the guard against the version before its own append. The rest go whole.
 */
export function batchPayload(batch: Pending[]): { requests: unknown[]; plainEvents: number } {
  const streams = new Set<string>();
  const plain = batch.map(({ request: r }) => {
    const [a] = r.appends;
    if (r.appends.length !== 1 || !a || a.expected <= 0 || r.idemKey !== null || r.alsoWrite || streams.has(a.streamId)) return false;
    streams.add(a.streamId);
    return true;
  });
  const guardStreams = (r: AppendRequest) => (r.guards as { streamId?: unknown }[]).map((g) => String(g?.streamId));
  batch.forEach(({ request: r }, i) => {
    if (plain[i] && guardStreams(r).some((s) => streams.has(s))) plain[i] = false;
  });
  let plainEvents = 0;
  const requests = batch.map(({ request: r }, i) => {
    const a = r.appends[0]!;
    if (!plain[i]) return { full: { ...r, alsoWrite: undefined } };
    const o = plainEvents;
    plainEvents += a.events.length;
    return { s: a.streamId, t: a.streamType, x: a.expected, o, e: a.events, ...(r.guards.length > 0 ? { g: r.guards } : {}), m: r.metadata, at: r.recordedAt };
  });
  return { requests, plainEvents };
}

const firstStream = (p: Pending) => p.request.appends[0]?.streamId ?? '';

/**
 * The writes that ride with the batch's appends (AppendOptions.alsoWrite), as $4 of the batch
 * statement: each runs after the batch's appends, in its transaction, with its request's answer
 * (migrations/0850), and writes nothing when that request was refused or replayed. One that fails
 * fails the statement: the batch is then run request by request, like a batch a request broke.
 */
function alsoWrites(batch: Pending[]): string | undefined {
  const writes = batch.flatMap(({ request: r }, i) => (r.alsoWrite ? [{ i, sql: r.alsoWrite.sql, v: r.alsoWrite.values }] : []));
  return writes.length > 0 ? JSON.stringify(writes) : undefined;
}
const ALSO_WRITES = `(SELECT sum(convene_also_write(w.sql, w.v, r->w.i->'ok')) FROM jsonb_to_recordset($4) AS w(i integer, sql text, v jsonb)) AS written`;

/**
 * Group commit for appends that run in no caller transaction: concurrent appends share one
 * transaction, one round trip and one WAL flush (convene_append_batch_guarded). Each still succeeds or
 * fails alone, with its own expected versions and idempotency key. A request goes out on the
 * next turn of the event loop, with every request submitted before then (at most `maxBatch`),
 * unless `maxInFlight` batches are already running: then it waits for one of them to finish.
 */
export class GroupCommitter {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly soloEvents: number;

  constructor(
    private readonly pool: pg.Pool,
    private readonly single: (request: AppendRequest) => Promise<RawAppendResult>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = Math.min(options.maxBatch ?? 32, 60);
    this.maxInFlight = options.maxInFlight ?? 2;
    this.soloEvents = options.soloEvents ?? 16;
  }

  submit(request: AppendRequest): Promise<RawAppendResult> {
    if (request.appends.reduce((n, a) => n + a.events.length, 0) > this.soloEvents || request.noNewStreams) return this.alone(request);
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Drains on the next turn of the event loop, not now: callers woken together by a batch's
   * answers resubmit in the same turn, and should share one batch rather than the first going
   * alone and the rest waiting behind it.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      // Stream order inside every batch: two batches then lock their streams' rows in the same
      // order and cannot deadlock. The sort is stable, so one stream's requests keep their order.
      const batch = this.queue.splice(0, this.maxBatch).sort((a, b) => (firstStream(a) < firstStream(b) ? -1 : firstStream(a) > firstStream(b) ? 1 : 0));
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
    }
  }

  /** One request in a transaction of its own, run again (a few times) while it fails transiently. */
  private async alone(request: AppendRequest): Promise<RawAppendResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.single(request);
      } catch (error) {
        if (!isTransient((error as { code?: unknown } | null)?.code) || attempt >= TRANSIENT_ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, 5 * attempt * Math.random()));
      }
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    // Alone, a request needs no subtransaction: the plain append is cheaper.
    if (batch.length === 1) {
      const p = batch[0]!;
      try {
        p.resolve(await this.alone(p.request));
      } catch (error) {
        p.reject(error);
      }
      return;
    }
    // Sealed at a key generation older than another request's: an erasure came between, so its
    // keys may be gone. It seals again; the batch is written only at the newest generation.
    const generation = Math.max(-1, ...batch.map((p) => p.request.keyGeneration ?? -1));
    const stale = batch.filter((p) => (p.request.keyGeneration ?? generation) < generation);
    if (stale.length > 0) {
      for (const p of stale) p.reject(new KeyGenerationMovedError());
      batch = batch.filter((p) => !stale.includes(p));
      if (batch.length === 0) return;
      if (batch.length === 1) return this.run(batch);
    }
    let results: BatchAnswer[];
    try {
      const { requests, plainEvents } = batchPayload(batch);
      const batched = `SELECT CASE WHEN ${keyGenerationHolds(3)} THEN convene_append_batch_guarded($1, $2) END AS r`;
      const writes = alsoWrites(batch);
      // Unnamed, as every statement of the store: safe behind a transaction pooler.
      const { rows } = await this.pool.query<{ r: BatchAnswer[] | null }>({
        text: writes ? `WITH b AS MATERIALIZED (${batched}) SELECT r, ${ALSO_WRITES} FROM b` : batched,
        values: [JSON.stringify(requests), plainEvents, generation < 0 ? null : generation, ...(writes ? [writes] : [])],
      });
      if (rows[0]!.r === null) {
        for (const p of batch) p.reject(new KeyGenerationMovedError());
        return;
      }
      results = rows[0]!.r;
    } catch (error) {
      if (retryAlone(error)) {
        await Promise.all(batch.map((p) => this.run([p])));
        return;
      }
      for (const p of batch) p.reject(error);
      return;
    }
    const again: Pending[] = [];
    results.forEach((r, i) => {
      const p = batch[i]!;
      if (Array.isArray(r)) {
        const [nextVersion, lastPosition] = r;
        const streamId = firstStream(p);
        p.resolve({ streams: [{ streamId, nextVersion, lastPosition }], lastPosition, extra: null, replayed: false });
      } else if ('ok' in r) p.resolve(r.ok);
      // A deadlock victim (or lock timeout) caught inside the batch: its subtransaction rolled
      // back alone, the batch committed; run it again on its own.
      else if (isTransient(r.error.code)) again.push(p);
      else p.reject(sqlError(r.error));
    });
    await Promise.all(again.map((p) => this.run([p])));
  }
}
