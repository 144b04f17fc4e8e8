// HTTP caching of reads: every successful GET answers with a weak ETag (the one a handler set from
// its read model's version, else a hash of the body) and `If-None-Match` with a matching tag
// answers 304 with no body. Hand-written rather than @fastify/etag (looked at 6.2.0): that plugin
// tags every method and status (404 problems, command answers) and compares If-None-Match as one
// string, so `W/"a", W/"b"` lists and `*` (RFC 9110 13.1.2) never match.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** A weak tag from a version or position of the read model. */
export const weakTag = (value: string | number): string => `W/"${value}"`;

const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/** Weak comparison (RFC 9110 8.8.3.2) of If-None-Match against the current tag. */
export function noneMatch(header: string | undefined, tag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const current = opaque(tag);
  return header.split(',').some((candidate) => opaque(candidate) === current);
}

export function registerEtags(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || reply.statusCode !== 200) return payload;
    if (!(typeof payload === 'string' || Buffer.isBuffer(payload))) return payload; // streams (CSV exports)
    let tag = reply.getHeader('etag') as string | undefined;
    if (!tag) {
      tag = weakTag(createHash('sha1').update(payload).digest('base64url'));
      reply.header('etag', tag);
    }
    if (noneMatch(request.headers['if-none-match'], tag)) {
      reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      return '';
    }
    return payload;
  });
}
