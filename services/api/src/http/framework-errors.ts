// Errors Fastify and Node raise before a route runs (issue 12.4), answered in the API's one
// problem shape with a request id: 431/400/408 from the HTTP parser (no request object exists
// yet), 400 for a URL that does not decode, 414 for a path parameter past maxParamLength.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildProblem, PROBLEM_CONTENT_TYPE, sendProblem } from './problem';
import { problemTypeUri } from './problem-pages';

/** Longest path parameter the router matches; a longer one answers 414. */
export const MAX_PARAM_LENGTH = 200;

/** Fastify's `frameworkErrors`: a URL that does not decode, a parameter too long. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-request-id', request.id);
  if (error.code === 'FST_ERR_BAD_URL') {
    void sendProblem(reply, buildProblem(request, 400, 'bad_url', 'The URL does not decode (bad percent-encoding)'));
  } else if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void sendProblem(reply, buildProblem(request, 414, 'parameter_too_long', `A path parameter is longer than ${MAX_PARAM_LENGTH} characters`));
  } else {
    request.log.error({ err: error }, 'framework error');
    void sendProblem(reply, buildProblem(request, 500, 'internal_error', 'An unexpected error occurred'));
  }
}

const PARSER_ERRORS: Record<string, { status: number; code: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'headers_too_large', detail: 'The request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request_timeout', detail: 'The request was not received in time' },
};

/**
 * Fastify's `clientErrorHandler`: the HTTP parser refused the request, so there is no request
 * object; the answer is written on the socket, as Node would, but as a problem with its own id.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = PARSER_ERRORS[error.code ?? ''] ?? { status: 400, code: 'malformed_request', detail: 'The request is not valid HTTP' };
  const requestId = randomUUID();
  const body = JSON.stringify({
    type: problemTypeUri(known.code),
    title: STATUS_CODES[known.status],
    status: known.status,
    detail: known.detail,
    requestId,
    code: known.code,
  });
  this.log.info({ requestId, code: error.code, status: known.status }, 'client error');
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} ${STATUS_CODES[known.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
