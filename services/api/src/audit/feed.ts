// The global feed for integrators: events in global order after a position, gap-safe (readAll),
// with long polling woken by the store's LISTEN/NOTIFY channel.
import { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import pg from 'pg';
import { EVENTS_CHANNEL } from '@convene/eventstore';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/plugin';
import { HttpProblem, ProblemSchema } from '../http/problem';
import { decodeCursor, encodeCursor } from '../http/pagination';
import { strictInt } from '../http/query';
import type { RecordedEvent } from '@convene/eventstore';
import { AuditEventSchema, toAuditEvent } from './events';
import { dataInScope } from './scope';

export const MAX_FEED_WAIT_SECONDS = 30;
/** A NOTIFY can be missed (or come before the feed is settled): re-read at least this often. */
const REPOLL_MS = 250;

/** One LISTEN connection per app, shared by every waiting request; closed with the app. */
function commitSignal(app: FastifyInstance): { wait(ms: number): Promise<void> } {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: Promise<pg.Client | undefined> | undefined;
  const connect = () => {
    client ??= (async () => {
      const c = new pg.Client({ connectionString: app.deps.eventStore.listenConnectionString, application_name: 'convene-feed' });
      c.on('notification', () => emitter.emit('commit'));
      c.on('error', () => {
        client = undefined;
      });
      try {
        await c.connect();
        await c.query(`LISTEN ${EVENTS_CHANNEL}`);
        return c;
      } catch {
        client = undefined;
        await c.end().catch(() => undefined);
        return undefined;
      }
    })();
    return client;
  };
  app.addHook('onClose', async () => {
    const c = await client;
    await c?.end().catch(() => undefined);
  });
  return {
    async wait(ms) {
      await connect();
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          emitter.off('commit', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        emitter.on('commit', done);
      });
    },
  };
}

const FeedQuery = z.strictObject({
  cursor: z.string().min(1).max(200).optional().describe('Where to continue: the previous answer\'s `nextCursor` (absent: from the start)'),
  after: strictInt({ description: 'Deprecated (answers the old `{ events, next }` shape; removed in the next version): use `cursor`. Global position to read after.' })
    .optional()
    .meta({ deprecated: true }),
  limit: strictInt({ min: 1, max: 1000, description: 'Events per page (at most 1000)' }).default(100),
  types: z
    .string()
    .max(2000)
    .optional()
    .transform((t) => (t ? t.split(',').map((s) => s.trim()).filter(Boolean) : undefined))
    .describe('Comma-separated event types'),
  wait: z
    .string()
    .regex(/^[0-9]{1,2}(\.[0-9]{1,3})?$/, 'Expected seconds, e.g. 10 or 0.5')
    .transform(Number)
    .pipe(z.number().max(MAX_FEED_WAIT_SECONDS))
    .optional()
    .describe(`Seconds (at most ${MAX_FEED_WAIT_SECONDS}) to wait for new events when there are none`),
});

const EventPageSchema = z
  .object({
    items: z.array(AuditEventSchema),
    nextCursor: z.string().describe('Where to continue; a feed has no last page: an empty `items` means you are at its head (poll again with `wait`)'),
  })
  .meta({ id: 'EventPage' });

const LegacyFeedSchema = z
  .object({
    events: z.array(AuditEventSchema),
    next: z.number().int().describe('Pass as `after` to continue; equals `after` when nothing was returned'),
  })
  .meta({ id: 'EventFeed', deprecated: true, description: 'Deprecated shape, answered when `after` is sent' });

/** The feed's cursor is its global position (opaque to clients). */
function positionOfCursor(cursor: string | undefined): number {
  const key = decodeCursor(cursor, 1)?.[0];
  if (cursor === undefined) return 0;
  if (typeof key !== 'number' || !Number.isSafeInteger(key) || key < 0) {
    throw new HttpProblem(400, 'validation_error', 'query.cursor: Invalid cursor', { errors: [{ path: 'query.cursor', message: 'Invalid cursor' }] });
  }
  return key;
}

export const feedRoutes: FastifyPluginAsyncZod = async (app) => {
  const signal = commitSignal(app);
  app.get(
    '/v1/events',
    {
      schema: {
        operationId: 'listEvents',
        tags: ['audit'],
        summary: 'Events in global order after a position, gap-safe, with long polling (`wait`)',
        description:
          'The global feed for integrators: `{ items, nextCursor }` in global-position order, never skipping an event that commits late; ' +
          'pass `nextCursor` back as `cursor` to continue, and `wait` to long-poll at the head. Events of collaboratives outside the key\'s scope are skipped. ' +
          'Sending the deprecated `after` answers the old `{ events, next }` shape (one more version).',
        querystring: FeedQuery,
        response: { 200: z.union([EventPageSchema, LegacyFeedSchema]), 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
      preHandler: requireRole('admin', 'auditor'),
    },
    async (request) => {
      const principal = principalOf(request);
      const { after, cursor, limit, types, wait = 0 } = request.query;
      if (after !== undefined && cursor !== undefined) {
        throw new HttpProblem(400, 'validation_error', 'query.after: Send either cursor or the deprecated after', { errors: [{ path: 'query.after', message: 'Send either cursor or the deprecated after' }] });
      }
      const start = after ?? positionOfCursor(cursor);
      const answer = (events: RecordedEvent[], next: number) =>
        after !== undefined ? { events: events.map(toAuditEvent), next } : { items: events.map(toAuditEvent), nextCursor: encodeCursor([next]) };
      const deadline = Date.now() + wait * 1000;
      let closed = false;
      request.raw.once('close', () => {
        closed = true;
      });
      let position = start;
      for (;;) {
        const { events, next } = await app.deps.eventStore.readAll({ after: position, limit, ...(types ? { types } : {}) });
        // Events of other collaboratives are skipped, the cursor still moves past them.
        const visible = events.filter((e) => dataInScope(principal, e.data));
        position = next;
        const left = deadline - Date.now();
        if (visible.length > 0 || left <= 0 || closed) return answer(visible, position);
        if (events.length > 0) continue;
        await signal.wait(Math.min(left, REPOLL_MS));
      }
    },
  );
};
