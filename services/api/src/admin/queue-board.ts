// bull-board, the BullMQ dashboard, at /v1/admin/queues for global admins (issue 17). It shows the
// delivery queue read-only: a delivery's state lives in PostgreSQL too, so jobs are retried through
// POST /v1/admin/deliveries/dead-letters/{id}/retry, never edited or removed on the board.
//
// The board is a browser page, and a browser cannot send a Bearer header when it opens a URL; so
// besides `Authorization: Bearer <key>` the board takes the key as the password of HTTP Basic
// (any user name): without credentials it answers 401 with `WWW-Authenticate: Basic`, which makes
// the browser ask for them. Only the board accepts Basic; every other route stays Bearer-only.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DEFAULT_QUEUE_PREFIX, DELIVERY_QUEUE } from '@convene/worker/queue';
import type { KeyCache } from '../auth/keys';
import { assertGlobalAdmin } from '../auth/global';
import { buildProblem, HttpProblem, sendProblem } from '../http/problem';

export const QUEUE_BOARD_PATH = '/v1/admin/queues';
const BASIC_CHALLENGE = 'Basic realm="Convene queues", charset="UTF-8"';

/** The API key of an `Authorization: Basic` header: its password, else its user name. */
export function basicAuthKey(header: string | undefined): string | null {
  const match = header ? /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(header) : null;
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const [user, password] = colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
  return password || user || null;
}

/**
 * onRequest of every board route. The app's own authentication (auth/plugin.ts) has run already and
 * set the principal of a valid Bearer key; a Basic key is looked up here. The answer is sent from
 * here rather than thrown: bull-board sets its own error handler on its routes, which would drop the
 * problem shape and the WWW-Authenticate header.
 */
async function authorize(request: FastifyRequest, reply: FastifyReply, keys: KeyCache): Promise<FastifyReply | undefined> {
  if (!request.principal) {
    const key = basicAuthKey(request.headers.authorization);
    request.principal = key ? await keys.find(key) : null;
  }
  if (!request.principal) {
    const detail = request.headers.authorization ? 'The API key is unknown or revoked' : 'An API key is required (as the password of HTTP Basic, or as a Bearer token)';
    return sendProblem(reply, buildProblem(request, 401, request.headers.authorization ? 'invalid_api_key' : 'unauthenticated', detail), { 'www-authenticate': BASIC_CHALLENGE });
  }
  try {
    assertGlobalAdmin(request);
  } catch (error) {
    if (!(error instanceof HttpProblem)) throw error;
    return sendProblem(reply, buildProblem(request, error.status, error.code, error.message));
  }
  return undefined;
}

/**
 * The board over `queues`. bull-board is imported here, when an app is given queues, not at the top
 * of app.ts: the apps of most tests and tools have none and need not load its UI and plugins.
 */
export function queueBoardRoutes(queues: readonly Queue[]): FastifyPluginAsync {
  return async (app) => {
    const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([
      import('@bull-board/api'),
      import('@bull-board/api/bullMQAdapter'),
      import('@bull-board/fastify'),
    ]);
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Convene queues' } },
    });
    // The app's authentication would throw 401 (Bearer) into bull-board's error handler; the board's
    // routes are authenticated by `authorize` instead. They are hidden from the OpenAPI document
    // (bull-board registers them with `schema: { hide: true }`).
    app.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object | undefined), public: true };
    });
    app.addHook('onRequest', async (request, reply) => authorize(request, reply, app.apiKeys));
    await app.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  };
}

/**
 * A handle on the workers' delivery queue, for the board of an API process that does not run the
 * workers (services/api/src/main.ts): same Redis, same name, same prefix (WORKER_PREFIX). The board
 * only reads through it; `close` ends its connection and leaves the queue's jobs alone.
 */
export function openDeliveryQueue(redisUrl: string, prefix: string | undefined, onError: (error: Error) => void): { queue: Queue; close(): Promise<void> } {
  // Fails fast while Redis is away (the board shows the error) instead of queueing commands.
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: false });
  connection.on('error', () => undefined);
  const queue = new Queue(DELIVERY_QUEUE, { connection, prefix: prefix ?? DEFAULT_QUEUE_PREFIX });
  queue.on('error', onError);
  return {
    queue,
    // A connection passed in is not closed by the queue.
    close: async () => {
      await queue.close();
      connection.disconnect();
    },
  };
}
