// Every API route, as it is registered: a strict query string (an unknown parameter is a 400
// naming it) and, on every GET, `consistentWith` honoured.
import type { FastifyInstance, RouteOptions, preHandlerHookHandler } from 'fastify';
import { z } from 'zod';
import { isCaughtUp } from '@convene/projections';
import { QUEUE_BOARD_PATH } from '../admin/queue-board';
import { consistencyPreHandler, ConsistencyQuerySchema } from './consistency';

/**
 * Is this route one of the API's own (not Swagger UI's static files, nor the queue board's pages
 * and JSON, whose query strings are bull-board's and which read Redis, not the read models)?
 */
const isApiRoute = (url: string) => (url.startsWith('/v1') && !url.startsWith(QUEUE_BOARD_PATH)) || url === '/health';

/**
 * onRoute hook: every API route's querystring schema becomes a strict object (a route with none
 * gets an empty strict one), so routes added later are strict too without anyone remembering it.
 * Every GET honours `consistentWith`: a route that does not take it itself (event-store reads,
 * admin reads) gets the parameter and the wait appended after its own preHandlers.
 */
export function strictQueryStrings(app: FastifyInstance): void {
  const { deps } = app;
  const wait = consistencyPreHandler({ isCaughtUp: deps.isCaughtUp ?? ((p) => isCaughtUp(deps.db, p)) }) as preHandlerHookHandler;
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!isApiRoute(route.url)) return;
    const schema = (route.schema ??= {});
    const qs = schema.querystring as unknown;
    const shape = qs === undefined ? {} : qs instanceof z.ZodObject ? qs.shape : undefined;
    if (!shape) return;
    const addWait = route.method === 'GET' && route.url !== '/health' && !('consistentWith' in shape);
    schema.querystring = z.strictObject(addWait ? { ...shape, consistentWith: consistentWithParam } : shape);
    if (addWait) route.preHandler = [...[route.preHandler ?? []].flat(), wait];
  });
}

const consistentWithParam = ConsistencyQuerySchema.shape.consistentWith;
