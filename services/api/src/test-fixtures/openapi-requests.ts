// Tests only: requests for every operation of openapi/openapi.json, generated from its schemas
// (valid values mostly, hostile ones at any depth: NUL, unpaired surrogates, huge and odd numbers,
// injection strings), and the checks every answer must pass. Used by the fuzz over a bare app
// (openapi-fuzz.int.test.ts: every operation, validation) and over an app holding the seed year
// (openapi-fuzz-reads.int.test.ts: reads that reach their queries; openapi-fuzz-commands.int.test.ts:
// writes that reach their deciders).
import { expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Pool } from 'pg';

/** What a test fills in before generating: ids that exist (by parameter or field name) and the keys to send. */
export const fuzzing = {
  known: {} as Record<string, string[]>,
  adminKey: '',
  keys: [] as { auth: string | undefined; weight: number }[],
  /** How much likelier a valid path or query value is than a hostile one (the reads fuzz raises it so that more requests reach their queries). */
  validParamWeight: 2,
  /** The same for each value in a body (the seeded commands fuzz raises it so that more commands reach their deciders). */
  validValueWeight: 5,
};

export type Schema = Record<string, any>;
export type Operation = { parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> }; responses: Record<string, unknown> };
const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../../../..');
export const doc = JSON.parse(readFileSync(path.join(root, 'openapi/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
export const operations = Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ path: p, method: method.toUpperCase(), op })));


const unstorable = ['\u0000', 'a\u0000b', '\ud800', 'x\udc00'];
export const hostileString = fc.constantFrom(
  '', ' ', ...unstorable, 'x'.repeat(5000), '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ ñ 中文 ‮rtl', "' OR 1=1 --", '../../etc/passwd', '%00', '${jndi:ldap://x}', '<script>x</script>',
  'NaN', 'Infinity', '-0', '1e999', '0x10', ' 1', '2147483648', '9007199254740993', 'null', 'true', '[]', '{}',
);
const hostileNumber = fc.constantFrom(2 ** 31, 2 ** 53, -(2 ** 53), -0, -1, 0, 1e308, -1e308, 1.5, Number.MAX_SAFE_INTEGER);
const hostile = fc.oneof(hostileString, hostileNumber, fc.constantFrom(null, true, {}, [], [null], { $pii: 'x' }));

export const resolve = (schema: Schema): Schema => (schema?.$ref ? resolve(doc.components.schemas[String(schema.$ref).split('/').pop()!]!) : schema ?? {});

/** Values for a schema: mostly valid, sometimes hostile at any depth. */
function valueOf(input: Schema, name = '', depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(input);
  const valid = validOf(schema, name, depth);
  return fc.oneof({ weight: fuzzing.validValueWeight, arbitrary: valid }, { weight: 1, arbitrary: hostile });
}

function validOf(schema: Schema, name: string, depth: number): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return fc.oneof(...alternatives.map((s: Schema) => valueOf(s, name, depth + 1)));
  if (Array.isArray(schema.allOf)) return valueOf(schema.allOf[0], name, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (fuzzing.known[name]) return fc.oneof(fc.constantFrom(...fuzzing.known[name]!), fc.uuid());
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.format === 'date') return fc.constantFrom('2025-03-01', '2025-06-30', '2025-02-30', '0000-01-01', '9999-12-31', '2101-01-01');
      if (schema.format === 'date-time') return fc.constantFrom('2025-03-01T10:00:00.000Z', '2025-03-01T10:00:00+02:00', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z');
      if (schema.format === 'email') return fc.constantFrom('a@example.org', 'x@y.z');
      if (schema.format === 'uri' || name === 'url') return fc.constantFrom('https://192.0.2.1/hook', 'http://127.0.0.1:1/x', 'ftp://x');
      if (name === 'month' || name === 'from' || name === 'to') return fc.constantFrom('2025-03', '2025-13', '0000-01');
      return fc.string({ minLength: schema.minLength ?? 1, maxLength: Math.min(schema.maxLength ?? 30, 30) });
    }
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -5, -1e6), max: Math.min(schema.maximum ?? 1000, 1e6) });
    case 'number':
      return fc.double({ min: Math.max(schema.minimum ?? -5, -1e6), max: Math.min(schema.maximum ?? 1000, 1e6), noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      if (depth > 4) return fc.constant([]);
      return fc.array(valueOf(schema.items ?? {}, name, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
    case 'object': {
      if (depth > 4) return fc.constant({});
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set<string>(schema.required ?? []);
      const record = fc.record(
        Object.fromEntries(Object.entries(props).map(([k, s]) => [k, valueOf(s, k, depth + 1)])),
        { requiredKeys: Object.keys(props).filter((k) => required.has(k)) },
      );
      // Sometimes an unknown field, a missing required one, or a hostile key.
      return fc.oneof(
        { weight: 6, arbitrary: record },
        { weight: 1, arbitrary: record.map((r) => ({ ...(r as object), unknownField: 1 })) },
        { weight: 1, arbitrary: record.map((r) => ({ ...(r as object), 'k\u0000': 'v' })) },
      );
    }
    default:
      return hostile;
  }
}

/** A path or query value as it goes in a URL. */
const paramText = (schema: Schema | undefined, name: string): fc.Arbitrary<string> =>
  name === 'wait' // the feed's long poll: a valid value waits that many seconds
    ? fc.oneof(fc.constant('0'), hostileString)
    : fc.oneof({ weight: fuzzing.validParamWeight, arbitrary: validOf(resolve(schema ?? {}), name, 0).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))) }, { weight: 1, arbitrary: hostileString });

/** Percent-encodes like encodeURIComponent, but sends an unpaired surrogate as its (invalid) UTF-8 bytes, as a hostile client would. */
const encodeLoose = (value: string): string =>
  value.split(/([\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/).map((part) => {
    if (part.length !== 1 || part < '\ud800' || part > '\udfff') return encodeURIComponent(part);
    const unit = part.charCodeAt(0);
    return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
  }).join('');



export type Request = { method: string; url: string; headers: Record<string, string>; body: unknown };

/** Every string leaf of a value replaced. */
const replaceStrings = (value: unknown, by: string): unknown =>
  typeof value === 'string' ? by
    : Array.isArray(value) ? value.map((v) => replaceStrings(v, by))
    : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceStrings(v, by)]))
    : value;

/**
 * Requests tried before the random ones (fast-check `examples`): each query and path parameter
 * alone, and every string of a valid body, holding NUL and an unpaired surrogate, as an admin.
 * Random runs alone would reach a given parameter with a given hostile value too rarely.
 */
export function examplesOf(p: string, method: string, op: Operation): [Request][] {
  const params = op.parameters ?? [];
  const headers = { authorization: `Bearer ${fuzzing.adminKey}` };
  const fill = (override: Record<string, string>) => p.replace(/\{(\w+)\}/g, (_, name: string) => encodeLoose(override[name] ?? fuzzing.known[name]?.[0] ?? '0190f000-0000-7000-8000-000000000999'));
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  const body = bodySchema ? fc.sample(validOf(resolve(bodySchema), 'body', 0), { numRuns: 1, seed: 42 })[0] : undefined;
  const out: Request[] = [];
  for (const bad of ['\u0000', '\ud800']) {
    for (const q of params.filter((x) => x.in === 'query')) out.push({ method, url: `${fill({})}?${q.name}=${encodeLoose(bad)}`, headers, body });
    for (const q of params.filter((x) => x.in === 'path')) out.push({ method, url: fill({ [q.name]: bad }), headers, body });
    if (body !== undefined) out.push({ method, url: fill({}), headers, body: replaceStrings(body, `x${bad}`) });
  }
  return out.map((r) => [r]);
}

export function requestOf(p: string, method: string, op: Operation) {
  const params = op.parameters ?? [];
  const pathArbs = Object.fromEntries(params.filter((x) => x.in === 'path').map((x) => [x.name, paramText(x.schema, x.name)]));
  const queryArbs = Object.fromEntries(params.filter((x) => x.in === 'query').map((x) => [x.name, paramText(x.schema, x.name)]));
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  const headerArb = fc.record(
    {
      'idempotency-key': fc.oneof(fc.uuid(), hostileString),
      'if-match': fc.oneof(fc.constantFrom('W/"1"', 'W/"0"', '"5"', '*'), hostileString),
      'x-request-id': fc.oneof(fc.constant('client-1'), hostileString),
      'x-correlation-id': hostileString,
      'content-encoding': fc.constantFrom('gzip', 'identity', 'br, gzip'),
      'content-type': fc.constantFrom('text/plain', 'application/xml', 'application/json; charset=utf-16'),
    },
    { requiredKeys: [] },
  );
  return fc.record({
    path: fc.record(pathArbs),
    query: fc.record(queryArbs, { requiredKeys: [] }),
    auth: fc.oneof(...fuzzing.keys.map((k) => ({ weight: k.weight, arbitrary: fc.constant(k.auth) }))),
    headers: fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: headerArb }),
    body: bodySchema ? fc.oneof({ weight: 8, arbitrary: valueOf(bodySchema, 'body') }, { weight: 1, arbitrary: fc.constant(undefined) }) : fc.constant(undefined),
  }).map((r) => {
    const url = p.replace(/\{(\w+)\}/g, (_, name: string) => encodeLoose(String(r.path[name])));
    const qs = Object.entries(r.query as Record<string, string>).map(([k, v]) => `${k}=${encodeLoose(v)}`).join('&');
    const headers: Record<string, string> = { ...(r.auth ? { authorization: r.auth } : {}), ...(r.headers as Record<string, string>) };
    // Headers cannot carry NUL or non-latin1 on the wire (Node refuses them before the server).
    for (const [k, v] of Object.entries(headers)) if (/[^\t\x20-\x7e\x80-\xff]/.test(v)) delete headers[k];
    return { method, url: qs ? `${url}?${qs}` : url, headers, body: r.body } as Request;
  });
}

/** Sends a generated request (its body as JSON). */
export const send = (app: FastifyInstance, req: Request) =>
  app.inject({
    method: req.method as 'GET',
    url: req.url,
    headers: req.headers,
    ...(req.body !== undefined ? { payload: JSON.stringify(req.body), headers: { 'content-type': 'application/json', ...req.headers } } : {}),
  });

/** Every answer: no 5xx but a 503 with Retry-After, a declared status, problem+json with the request id, and stored events changed only by a 2xx. */
export function checkAnswer(req: Request, op: Operation, res: LightMyRequestResponse, eventsChanged: number): void {
  const what = `${req.method} ${req.url} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
  // 503 is a declared answer (not yet consistent, read model or workers not ready) and says when to retry.
  const serverError = res.statusCode >= 500 && !(res.statusCode === 503 && Number(res.headers['retry-after']) > 0);
  expect({ what, serverError }).toEqual({ what, serverError: false });
  expect({ what, declared: Object.keys(op.responses) }).toEqual({ what, declared: expect.arrayContaining([String(res.statusCode)]) });
  if (res.statusCode >= 400) {
    expect({ what, type: String(res.headers['content-type']).split(';')[0] }).toEqual({ what, type: 'application/problem+json' });
    expect({ what, requestId: res.json().requestId }).toEqual({ what, requestId: res.headers['x-request-id'] });
  }
  if (res.statusCode >= 300) expect({ what, changed: eventsChanged }).toEqual({ what, changed: 0 });
}

/** Events stored so far (an answer other than 2xx must not change it). */
export const eventCount = async (pool: Pick<Pool, 'query'>) => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0]!.n);

/** The examples, then `runs` generated requests, to one operation; each answer checked, with the events stored around it when `pool` is given. */
export async function fuzzOperation(app: FastifyInstance, o: (typeof operations)[number], runs: number, pool?: Pick<Pool, 'query'>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(requestOf(o.path, o.method, o.op), async (req) => {
      const before = pool ? await eventCount(pool) : 0;
      const res = await send(app, req);
      checkAnswer(req, o.op, res, pool ? (await eventCount(pool)) - before : 0);
    }),
    { numRuns: runs, endOnFailure: true, examples: examplesOf(o.path, o.method, o.op) },
  );
}
