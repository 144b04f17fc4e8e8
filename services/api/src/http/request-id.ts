// Request ids (issue 12.6). Every request gets the server's own id (a uuid): it names the request
// in logs, problems and event metadata (`requestId`), so audit ids are unique and cannot be forged.
// A client may send its own `X-Request-Id` to follow its calls; it is kept apart
// (`clientRequestId` in logs and event metadata) and only when it has the documented format.
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The accepted format of a client's `X-Request-Id` (and `X-Correlation-Id`); others are ignored. */
export const CLIENT_REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

declare module 'fastify' {
  interface FastifyRequest {
    /** The client's `X-Request-Id` when it has the accepted format. */
    clientRequestId: string | null;
  }
}

/** A client-sent id header when it matches the accepted format, else undefined. */
export function acceptedClientId(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && CLIENT_REQUEST_ID_PATTERN.test(value) ? value : undefined;
}

export function registerRequestIds(app: FastifyInstance): void {
  app.decorateRequest('clientRequestId', null);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const client = acceptedClientId(request.headers['x-request-id']);
    if (client) {
      request.clientRequestId = client;
      request.log = request.log.child({ clientRequestId: client });
    }
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.clientRequestId) reply.header('x-client-request-id', request.clientRequestId);
  });
}
