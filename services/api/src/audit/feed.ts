// The global feed for integrators: events in global order after a position, gap-safe (readAll),
// with long polling woken by the store's LISTEN/NOTIFY channel.
import { EventEmitter } from 'node:events';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import pg from 'pg';
import { connectionStringOf, EVENTS_CHANNEL } from '@convene/eventstore';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/plugin';
import { ProblemSchema } from '../http/problem';
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
      const c = new pg.Client({ connectionString: connectionStringOf(app.deps.pool), application_name: 'convene-feed' });
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

const FeedQuery = z.object({
  after: z.coerce.number().int().min(0).default(0).describe('Global position to read after (the previous `next`)'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  types: z
    .string()
    .max(2000)
    .optional()
    .transform((t) => (t ? t.split(',').map((s) => s.trim()).filter(Boolean) : undefined))
    .describe('Comma-separated event types'),
  wait: z.coerce.number().min(0).max(MAX_FEED_WAIT_SECONDS).default(0).describe('Seconds to wait for new events when there are none'),
});

const FeedSchema = z
  .object({
    events: z.array(AuditEventSchema),
    next: z.number().int().describe('Pass as `after` to continue; equals `after` when nothing was returned'),
  })
  .meta({ id: 'EventFeed' });

export const feedRoutes: FastifyPluginAsyncZod = async (app) => {
  const signal = commitSignal(app);
  app.get(
    '/v1/events',
    {
      schema: {
        operationId: 'listEvents',
        tags: ['audit'],
        summary: 'Events in global order after a position, gap-safe, with long polling (`wait`)',
        querystring: FeedQuery,
        response: { 200: FeedSchema, 400: ProblemSchema, 401: ProblemSchema, 403: ProblemSchema },
      },
      preHandler: requireRole('admin', 'auditor'),
    },
    async (request) => {
      const principal = principalOf(request);
      const { after, limit, types, wait } = request.query;
      const deadline = Date.now() + wait * 1000;
      let closed = false;
      request.raw.once('close', () => {
        closed = true;
      });
      let position = after;
      for (;;) {
        const { events, next } = await app.deps.eventStore.readAll({ after: position, limit, ...(types ? { types } : {}) });
        // Events of other collaboratives are skipped, the cursor still moves past them.
        const visible = events.filter((e) => dataInScope(principal, e.data));
        position = next;
        const left = deadline - Date.now();
        if (visible.length > 0 || left <= 0 || closed) return { events: visible.map(toAuditEvent), next: position };
        if (events.length > 0) continue;
        await signal.wait(Math.min(left, REPOLL_MS));
      }
    },
  );
};
