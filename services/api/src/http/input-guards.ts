// Input no route should have to think about (issues 12.1 and 12.5), checked once for every route:
// strings PostgreSQL cannot store (NUL, unpaired surrogates) anywhere in the body, query, path or
// headers answer 400 naming the field, before a schema or a query sees them; a body in a
// Content-Encoding the server does not decode answers 415.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unstorableText } from '@convene/domain';
import { HttpProblem } from './problem';

/** The first unstorable string (or object key) in `value`, with its dotted path. */
export function findUnstorable(value: unknown, root: string): { path: string; message: string } | undefined {
  // Iterative: a deeply nested body must not exhaust the stack.
  const stack: { value: unknown; path: string }[] = [{ value, path: root }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const message = unstorableText(v);
      if (message) return { path, message };
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: `${path}.${i}` }));
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) {
        const message = unstorableText(key);
        if (message) return { path: `${path}.${safeKey(key)}`, message: `field name ${message}` };
        stack.push({ value: item, path: `${path}.${key}` });
      }
    }
  }
  return undefined;
}

/** A key named in an error: its unstorable characters escaped, so the problem itself is storable. */
const safeKey = (key: string) => JSON.stringify(key).slice(1, -1).replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

const BODILESS = new Set(['GET', 'HEAD']);

export function registerInputGuards(app: FastifyInstance): void {
  app.addHook('preParsing', async (request: FastifyRequest, _reply, payload) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && !BODILESS.has(request.method)) {
      const codings = String(encoding).split(',').map((c) => c.trim().toLowerCase()).filter(Boolean);
      if (codings.some((c) => c !== 'identity')) {
        throw new HttpProblem(415, 'unsupported_content_encoding', 'Request bodies are accepted only without Content-Encoding (identity)', {
          errors: [{ path: 'headers.content-encoding', message: 'Only identity is accepted' }],
        });
      }
    }
    return payload;
  });
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const found =
      findUnstorable(request.params, 'params') ??
      findUnstorable(request.query, 'query') ??
      findUnstorable(request.headers, 'headers') ??
      findUnstorable(request.body, 'body');
    if (found) {
      throw new HttpProblem(400, 'validation_error', `${found.path}: ${found.message}`, { errors: [found] });
    }
  });
}
