// docs/problems.md: every problem code the API answers, found in the source where it is raised
// (HttpProblem, buildProblem, the domain's DomainError helpers, the HTTP parser's table), with
// its status and the message it is raised with. A scan of the code, so a new code shows up here.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const KIND_STATUS: Record<string, number> = { validation: 400, not_found: 404, conflict: 409, forbidden: 403, unprocessable: 422 };
const HELPER_KIND: Record<string, string> = { conflict: 'conflict', notFound: 'not_found', unprocessable: 'unprocessable' };
const MSG = String.raw`(?:'((?:[^'\\]|\\.)*)'|\`((?:[^\`\\]|\\.)*)\`)`;
const PATTERNS: { re: RegExp; status: (m: RegExpExecArray) => number }[] = [
  { re: new RegExp(String.raw`new HttpProblem\(\s*(\d{3}),\s*'([a-z_]+)',\s*${MSG}?`, 'g'), status: (m) => Number(m[1]) },
  { re: new RegExp(String.raw`buildProblem\(\s*request,\s*(\d{3}),\s*'([a-z_]+)',\s*${MSG}?`, 'g'), status: (m) => Number(m[1]) },
  { re: new RegExp(String.raw`\b(conflict|notFound|unprocessable)\(\s*'([a-z_]+)',\s*${MSG}?`, 'g'), status: (m) => KIND_STATUS[HELPER_KIND[m[1]!]!]! },
  { re: new RegExp(String.raw`new DomainError\(\s*'([a-z_]+)',\s*'([a-z_]+)',\s*${MSG}?`, 'g'), status: (m) => KIND_STATUS[m[1]!]! },
  { re: new RegExp(String.raw`status: (\d{3}), code: '([a-z_]+)', detail: ${MSG}`, 'g'), status: (m) => Number(m[1]) },
];

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map(async (e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('test') ? [] : sourceFiles(full);
    return e.name.endsWith('.ts') && !/\.test\.ts$|test-|testing/.test(e.name) ? [full] : [];
  }));
  return nested.flat();
}

/** Codes raised in many places: what they mean, instead of the first message found. */
const MEANING: Record<string, string> = {
  validation_error: 'A path, query, header or body value is wrong; `errors[]` names each field',
  not_found: 'No such resource (or, for a command, a target outside every scope of the key)',
  forbidden_role: 'The key\'s role may not call this operation (docs/permissions.md)',
  out_of_scope: 'The resource is outside the key\'s collaboratives or agencies',
  internal_error: 'A server fault; the body names no cause (it is logged under the request id)',
  read_model_not_ready: 'The read model is not built yet (first start, rebuild); retry after `Retry-After`',
  idempotency_key_reused: 'The Idempotency-Key was used before with a different request (422 from the API\'s stored answers, 409 from the domain\'s own check)',
  rate_limited: 'Per-key or per-address rate limit, or the failed-authentication budget, is used up; see `Retry-After`',
};

interface Entry { statuses: Set<number>; message: string; files: Set<string> }

/** One problem type: its code, the statuses it is answered with, what it means, where it is raised. */
export interface ProblemEntry { code: string; statuses: number[]; meaning: string; raisedIn: string[] }

/** Every problem code raised in the source, by first status then code. */
export async function problemCatalogue(root: string): Promise<ProblemEntry[]> {
  const dirs = ['packages/domain/src', 'packages/eventstore/src', 'services/api/src'];
  const files = (await Promise.all(dirs.map((d) => sourceFiles(path.join(root, d))))).flat().sort();
  const found = new Map<string, Entry>();
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    for (const { re, status } of PATTERNS) {
      for (const m of text.matchAll(re)) {
        const code = m[2]!;
        const message = (m[3] ?? m[4] ?? '').replace(/\$\{[^}]*\}/g, '…');
        const entry = found.get(code) ?? { statuses: new Set(), message, files: new Set() };
        entry.statuses.add(status(m as RegExpExecArray));
        if (!entry.message) entry.message = message;
        entry.files.add(path.relative(root, file));
        found.set(code, entry);
      }
    }
  }
  for (const [code, meaning] of Object.entries(MEANING)) if (found.has(code)) found.get(code)!.message = meaning;
  return [...found]
    .map(([code, e]) => ({ code, statuses: [...e.statuses].sort(), meaning: e.message, raisedIn: [...e.files] }))
    .sort((a, b) => Math.min(...a.statuses) - Math.min(...b.statuses) || a.code.localeCompare(b.code));
}

/**
 * What the API serves at /problems/<code with dashes> (services/api/src/http/problem-pages.ts):
 * the catalogue by what the problems are about, one file per group under http/problems/, one
 * entry per line; services/api/src/http/problem-catalogue.ts joins them.
 */
export const PROBLEM_GROUPS = [
  { name: 'request', about: 'the request itself: its URL, headers, body or encoding', statuses: [400, 408, 413, 414, 415, 431] },
  { name: 'access', about: 'who may read or do what, and what exists', statuses: [401, 403, 404, 410, 429] },
  { name: 'conflicts', about: 'the state the command met: versions, idempotency, the aggregate\'s state', statuses: [409, 412, 428] },
  { name: 'rules', about: 'the domain\'s business rules', statuses: [422] },
  { name: 'service', about: 'the service and its dependencies', statuses: [500, 502, 503, 504] },
] as const;
const groupOf = (statuses: number[]) => {
  const first = Math.min(...statuses);
  const group = PROBLEM_GROUPS.find((g) => (g.statuses as readonly number[]).includes(first));
  if (!group) throw new Error(`no problem group for status ${first}: add it to PROBLEM_GROUPS (scripts/docs/problems.ts)`);
  return group;
};

export async function renderProblemCatalogueModules(root: string): Promise<Record<string, string>> {
  const rows = await problemCatalogue(root);
  return Object.fromEntries(
    PROBLEM_GROUPS.map((g) => [
      `services/api/src/http/problems/${g.name}.ts`,
      [
        '// Generated by `npm run docs:write` (scripts/docs/problems.ts) with docs/problems.md: do not edit.',
        `// Problems about ${g.about} (statuses ${g.statuses.join(', ')}).`,
        "import type { ProblemEntry } from './entry';",
        '',
        'export const PROBLEMS: ProblemEntry[] = [',
        ...rows.filter((r) => groupOf(r.statuses) === g).map((r) => `  ${JSON.stringify(r)},`),
        '];',
        '',
      ].join('\n'),
    ]),
  );
}

export async function renderProblems(root: string): Promise<string> {
  const rows = await problemCatalogue(root);
  return [
    '# Problem catalogue',
    '',
    'Generated by `npm run docs:write` from the code that raises each problem (`HttpProblem`, `buildProblem`,',
    'the domain\'s `DomainError` helpers); `npm run docs:check` fails when this file is stale.',
    '',
    'Every error is `application/problem+json` (RFC 9457): `type` is `/problems/<code with dashes>` (a reference',
    'relative to the API: the API serves a page on each problem there, and the list at `/problems`), `code`',
    'the snake_case code below, `status`, `title`, `detail` (the message, where `…` is filled',
    'in), `instance` (the path), the server\'s `requestId` (and `clientRequestId` when the client sent',
    '`X-Request-Id`); `errors` lists `{ path, message }` per wrong field (`body.counts.intakeNoShows`) on 400',
    'and on domain refusals that name a field; a 409 `concurrency_conflict` and a 412 carry `currentVersion`.',
    '429 and 503 answers carry `Retry-After`. Errors Fastify raises itself (a body over the size limit, a',
    'content type that is not JSON, malformed JSON) keep Fastify\'s error code in lower case',
    '(`fst_err_ctp_body_too_large` 413, `fst_err_ctp_invalid_media_type` 415, ...). A 5xx body never names',
    'the cause (it is logged with the request id).',
    '',
    '| code | status | meaning (or the detail as raised) | raised in |',
    '|---|---|---|---|',
    ...rows.map((e) => `| \`${e.code}\` | ${e.statuses.join(', ')} | ${e.meaning.replaceAll('|', '\\|')} | ${e.raisedIn.map((f) => `\`${f}\``).join(', ')} |`),
    '',
  ].join('\n');
}
