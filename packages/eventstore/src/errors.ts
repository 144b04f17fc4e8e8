import type { ExpectedVersion } from './types';

export const CONCURRENCY_CONFLICT = 'CONCURRENCY_CONFLICT';
export const IDEMPOTENCY_CONFLICT = 'IDEMPOTENCY_CONFLICT';

/** The stream was not at the expected version; nothing was written. */
export class ConcurrencyError extends Error {
  readonly code = CONCURRENCY_CONFLICT;
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
    this.name = 'ConcurrencyError';
  }
}

/** The idempotency key was used before with a different payload; nothing was written. */
export class IdempotencyConflictError extends Error {
  readonly code = IDEMPOTENCY_CONFLICT;
  constructor(readonly key: string) {
    super(`idempotency key ${key} was used with a different payload`);
    this.name = 'IdempotencyConflictError';
  }
}

export const EMPTY_APPEND = 'EMPTY_APPEND';

/**
 * An append of no events (or a stream part with none): refused, since it would create a stream at
 * version 0 that no later append can name (`no_stream` finds it exists, version 0 is "no stream").
 * Check a stream you do not write with a guard instead. A client error (422) where it reaches HTTP.
 */
export class EmptyAppendError extends Error {
  readonly code = EMPTY_APPEND;
  readonly statusCode = 422;
  constructor(readonly streamId: string | null) {
    super(streamId === null ? 'an append needs at least one stream with events' : `the append to stream ${streamId} has no events`);
    this.name = 'EmptyAppendError';
  }
}

/** SQLSTATE: the stored history does not fit this cluster's transaction ids; re-seed, then retry. */
export const POSITIONS_NEED_RESEED = 'CV006';

/** Maps the SQLSTATEs raised by convene_append to typed errors. */
export function translateAppendError(error: unknown): unknown {
  const e = error as { code?: string; detail?: string };
  if (e?.code === 'CV001' && e.detail) {
    const d = JSON.parse(e.detail) as { streamId: string; expected: number; actual: number };
    const expected: ExpectedVersion = d.expected === -2 ? 'any' : d.expected <= 0 ? 'no_stream' : d.expected;
    return new ConcurrencyError(d.streamId, expected, d.actual);
  }
  if (e?.code === 'CV008') {
    return new EmptyAppendError(e.detail ? (JSON.parse(e.detail) as { streamId: string }).streamId : null);
  }
  if (e?.code === 'CV002' && e.detail) {
    return new IdempotencyConflictError((JSON.parse(e.detail) as { key: string }).key);
  }
  return error;
}

export function isConcurrencyError(error: unknown): error is ConcurrencyError {
  return error instanceof Error && (error as { code?: unknown }).code === CONCURRENCY_CONFLICT;
}
