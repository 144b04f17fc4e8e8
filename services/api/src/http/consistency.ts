// Read-your-writes: a query may carry `?consistentWith=<position>` (the `Convene-Position` of a
// command's answer) and then waits, bounded, until the read models have passed that position.
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import { HttpProblem } from './problem';
import { strictInt } from './query';

/** Is every event up to `position` applied to the read models? Supplied by the projections. */
export type IsCaughtUp = (position: number) => Promise<boolean> | boolean;

export const ConsistencyQuerySchema = z.strictObject({
  consistentWith: strictInt({ description: 'Wait (bounded) until the read models include the event at this global position (a `Convene-Position`)' }).optional(),
});

export interface ConsistencyOptions {
  isCaughtUp?: IsCaughtUp;
  /** How long to wait at most (CONSISTENCY_WAIT_MS). */
  maxWaitMs: number;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves true once caught up, false when the wait ran out. */
export async function waitUntilCaughtUp(position: number, options: ConsistencyOptions): Promise<boolean> {
  const check = options.isCaughtUp;
  if (!check) return false;
  const deadline = Date.now() + options.maxWaitMs;
  let pause = options.pollMs ?? 25;
  for (;;) {
    if (await check(position)) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await sleep(Math.min(pause, left));
    pause = Math.min(pause * 2, 250);
  }
}

function positionOf(request: FastifyRequest): number | undefined {
  const query = request.query as Record<string, unknown> | undefined;
  const raw = query?.consistentWith;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new HttpProblem(400, 'validation_error', 'query.consistentWith: Expected a global position', {
      errors: [{ path: 'query.consistentWith', message: 'Expected a global position' }],
    });
  }
  return n;
}

/**
 * preHandler for query routes: with `consistentWith`, waits until `isCaughtUp(position)` (from the
 * app's deps unless given) or answers 503 with Retry-After. Without it, does nothing.
 */
export function consistencyPreHandler(options: Partial<ConsistencyOptions> = {}): preHandlerAsyncHookHandler {
  return async function (request) {
    const position = positionOf(request);
    if (position === undefined) return;
    const deps = this.deps;
    const caughtUp = await waitUntilCaughtUp(position, {
      isCaughtUp: options.isCaughtUp ?? deps.isCaughtUp,
      maxWaitMs: options.maxWaitMs ?? deps.config.CONSISTENCY_WAIT_MS,
      ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    });
    if (!caughtUp) {
      throw new HttpProblem(503, 'not_yet_consistent', `The read models have not reached position ${position} yet; retry`, {
        headers: { 'retry-after': '1' },
      });
    }
  };
}
