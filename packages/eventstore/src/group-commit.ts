import type pg from 'pg';

/** One caller's append, as convene_append takes it. */
export interface AppendRequest {
  appends: unknown[];
  guards: unknown[];
  metadata: unknown;
  idemKey: string | null;
  idemFingerprint: string | null;
  idemExtra: unknown;
  recordedAt: string | null;
}

export interface RawAppendResult {
  streams: { streamId: string; nextVersion: number; lastPosition: number | null }[];
  lastPosition: number | null;
  extra?: unknown;
  replayed: boolean;
}

export interface GroupCommitOptions {
  /** Requests per transaction (each is a subtransaction: PostgreSQL caches 64 per backend). */
  maxBatch?: number;
  /** Batches running at once; while they run, new requests queue up for the next batch. */
  maxInFlight?: number;
}

interface Pending {
  request: AppendRequest;
  resolve: (result: RawAppendResult) => void;
  reject: (error: unknown) => void;
}

/** A database error as pg reports it, rebuilt from what convene_append_batch caught. */
function sqlError(e: { code: string; detail: string | null; message: string }): Error {
  return Object.assign(new Error(e.message), { code: e.code, ...(e.detail ? { detail: e.detail } : {}) });
}

const retryAlone = (error: unknown) => ['40P01', '40001'].includes((error as { code?: string })?.code ?? '');

/**
 * Group commit for appends that run in no caller transaction: concurrent appends share one
 * transaction, one round trip and one WAL flush (convene_append_batch). Each still succeeds or
 * fails alone, with its own expected versions and idempotency key. An idle store sends a request
 * at once; requests only wait while `maxInFlight` batches are already running.
 */
export class GroupCommitter {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly pool: pg.Pool,
    private readonly single: (request: AppendRequest) => Promise<RawAppendResult>,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = Math.min(options.maxBatch ?? 32, 60);
    this.maxInFlight = options.maxInFlight ?? 2;
  }

  submit(request: AppendRequest): Promise<RawAppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight += 1;
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        this.drain();
      });
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    // Alone, a request needs no subtransaction: the plain append is cheaper.
    if (batch.length === 1) {
      const p = batch[0]!;
      try {
        p.resolve(await this.single(p.request));
      } catch (error) {
        p.reject(error);
      }
      return;
    }
    let results: ({ ok: RawAppendResult } | { error: { code: string; detail: string | null; message: string } })[];
    try {
      const { rows } = await this.pool.query<{ r: typeof results }>({
        name: 'convene_append_batch',
        text: 'SELECT convene_append_batch($1) AS r',
        values: [JSON.stringify(batch.map((p) => p.request))],
      });
      results = rows[0]!.r;
    } catch (error) {
      // Two batches that lock the same streams in another order deadlock; the transaction is
      // gone, so each request is simply run again on its own.
      if (batch.length > 1 && retryAlone(error)) {
        await Promise.all(batch.map((p) => this.run([p])));
        return;
      }
      for (const p of batch) p.reject(error);
      return;
    }
    results.forEach((r, i) => {
      const p = batch[i]!;
      if ('ok' in r) p.resolve(r.ok);
      else p.reject(sqlError(r.error));
    });
  }
}
