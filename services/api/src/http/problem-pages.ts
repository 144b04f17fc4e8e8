// The pages a problem's `type` points to (issue 17): GET /problems lists every problem type, GET
// /problems/<code with dashes> describes one (status, meaning, what to do, where it is raised),
// as HTML for a browser. The catalogue is generated with docs/problems.md by `npm run docs:write`
// (problem-catalogue.ts, from the code that raises each problem), so the pages cannot drift.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PROBLEM_CATALOGUE, type ProblemEntry } from './problem-catalogue';

export type { ProblemEntry };
const entries: ProblemEntry[] = PROBLEM_CATALOGUE;

export const PROBLEM_PAGES = '/problems';
/** The `type` of a problem: a reference to its page, relative to the API that answered. */
export const problemTypeUri = (code: string): string => `${PROBLEM_PAGES}/${code.replaceAll('_', '-')}`;

const bySlug = new Map(entries.map((e) => [e.code.replaceAll('_', '-'), e]));

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** `code` spans of the catalogue's markdown, as HTML. */
const inline = (text: string) => escape(text).replace(/`([^`]+)`/g, '<code>$1</code>');

const ADVICE: Record<number, string> = {
  400: 'The request is malformed: fix the fields named in <code>errors</code> and send it again.',
  401: 'Send <code>Authorization: Bearer &lt;API key&gt;</code> with a key that is not revoked.',
  403: 'The key may not do this: use a key of the right role and scope (docs/permissions.md).',
  404: 'Check the ids in the path (and that the key sees the resource).',
  408: 'Send the request again, whole.',
  409: 'A business rule or a concurrent change refused it: read the resource again, then decide.',
  412: '<code>If-Match</code> names an old version: read the resource again (its <code>ETag</code>), then retry.',
  413: 'Send a smaller body.',
  415: 'Send <code>Content-Type: application/json</code>.',
  422: 'Well-formed but not allowed now (the <code>detail</code> says why); change the request.',
  429: 'Wait for <code>Retry-After</code> seconds.',
  431: 'Send fewer or shorter headers.',
  500: 'A fault of the server: retry later; the request id names it in the logs.',
  503: 'Not available yet: retry after <code>Retry-After</code> seconds.',
};

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · Convene API</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}td,th{text-align:left;padding:.2em .6em;vertical-align:top}</style>
</head><body>
${body}
<p>Every error of the API is <code>application/problem+json</code> (RFC 9457): <code>type</code> points here, <code>code</code> is the snake_case code, <code>status</code>, <code>title</code>, <code>detail</code>, <code>instance</code> (the path), <code>requestId</code> (quote it when you report a problem), <code>errors</code> (<code>{ path, message }</code> per wrong field). <a href="${PROBLEM_PAGES}">All problem types</a> · <a href="/docs">API documentation</a></p>
</body></html>
`;
}

function describe(entry: ProblemEntry): string {
  return page(entry.code, `<h1><code>${escape(entry.code)}</code></h1>
<p>Status ${entry.statuses.join(', ')}. ${inline(entry.meaning)}</p>
<p>${entry.statuses.map((s) => ADVICE[s] ?? '').filter(Boolean).join(' ')}</p>
<p>Raised in ${entry.raisedIn.map((f) => `<code>${escape(f)}</code>`).join(', ')}.</p>`);
}

/** Errors Fastify raises itself keep its code in lower case (fst_err_ctp_body_too_large ...). */
const fastifyPage = (slug: string) =>
  page(slug, `<h1><code>${escape(slug.replaceAll('-', '_'))}</code></h1>
<p>An error the HTTP framework (Fastify) raises itself before the API reads the request: a body over the size limit (413), a content type that is not JSON (415), malformed JSON (400). The <code>detail</code> says which.</p>`);

function index(): string {
  const rows = entries.map((e) => `<tr><td><a href="${problemTypeUri(e.code)}"><code>${escape(e.code)}</code></a></td><td>${e.statuses.join(', ')}</td><td>${inline(e.meaning)}</td></tr>`);
  return page('Problem types', `<h1>Problem types</h1>\n<table><tr><th>code</th><th>status</th><th>meaning</th></tr>\n${rows.join('\n')}\n</table>`);
}

export async function problemPageRoutes(app: FastifyInstance): Promise<void> {
  const html = 'text/html; charset=utf-8';
  app.get(PROBLEM_PAGES, { schema: { hide: true }, config: { public: true } }, async (_request, reply) => reply.type(html).send(index()));
  app.get(`${PROBLEM_PAGES}/:type`, {
    schema: { hide: true, params: z.object({ type: z.string().max(100) }) },
    config: { public: true },
  }, async (request, reply) => {
    const { type } = request.params as { type: string };
    const entry = bySlug.get(type);
    if (entry) return reply.type(html).send(describe(entry));
    if (/^fst-err-[a-z0-9-]+$/.test(type)) return reply.type(html).send(fastifyPage(type));
    return reply.code(404).type(html).send(page('Unknown problem type', `<h1>Unknown problem type</h1><p>No problem type <code>${escape(type)}</code>.</p>`));
  });
}
