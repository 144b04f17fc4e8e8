// Error answers declared once: the same problem response (400 naming the field, 401, 403, 404,
// 409, 412, 413, 414, 415, 422, 429, 503 ...) stood inline in each of ~170 operations, 1,438 copies
// in 22 shapes. Each shape used twice or more becomes one entry of `components/responses` that the
// operations `$ref`; the document, the docs and the generated client declare it once.
type Json = Record<string, any>;

const nameOf = (status: string, description: string) =>
  `Status${status}${String(description)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .slice(0, 4)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')}`;

export function shareErrorResponses(doc: Json): void {
  const operations = Object.values((doc.paths ?? {}) as Record<string, Record<string, Json>>).flatMap((item) => Object.values(item));
  const uses = new Map<string, number>();
  for (const op of operations)
    for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Json>))
      if (Number(status) >= 400 && !response.$ref) uses.set(`${status} ${JSON.stringify(response)}`, (uses.get(`${status} ${JSON.stringify(response)}`) ?? 0) + 1);
  const shared: Record<string, Json> = {};
  const refOf = new Map<string, string>();
  for (const [key, count] of [...uses].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (count < 2) continue;
    const status = key.slice(0, key.indexOf(' '));
    const response = JSON.parse(key.slice(status.length + 1)) as Json;
    let name = nameOf(status, response.description ?? '');
    for (let n = 2; shared[name]; n++) name = `${nameOf(status, response.description ?? '')}${n}`;
    shared[name] = response;
    refOf.set(key, `#/components/responses/${name}`);
  }
  for (const op of operations)
    for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, Json>)) {
      const ref = refOf.get(`${status} ${JSON.stringify(response)}`);
      if (ref) op.responses[status] = { $ref: ref };
    }
  doc.components = { ...doc.components, responses: { ...doc.components?.responses, ...shared } };
}

/** An operation's declared answer for a status, with a shared one resolved. */
export function declaredResponse(doc: Json, op: Json, status: string): Json | undefined {
  const response = op.responses?.[status] as Json | undefined;
  const ref = response?.$ref as string | undefined;
  return ref ? doc.components?.responses?.[ref.replace('#/components/responses/', '')] : response;
}
