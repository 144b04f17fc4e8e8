// Issue 14: every JSON GET operation of openapi/openapi.json carries a realistic example answer
// (recorded from the seed year by `npm run openapi:examples`), and each example is valid against
// the operation's own 200 schema: a schema change that the recorded answers no longer fit fails
// here (re-record them).
import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const doc = JSON.parse(readFileSync(path.join(root, 'openapi/openapi.json'), 'utf8'));

type Op = { operationId: string; description?: string; responses: Record<string, { content?: Record<string, { schema: unknown; example?: unknown }> }> };
const gets: Op[] = Object.values(doc.paths as Record<string, Record<string, Op>>).flatMap((item) => (item.get ? [item.get] : []));

describe('read examples (issue 14)', () => {
  it('issue 14: every GET has a description, and every JSON GET a realistic example its 200 schema accepts', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (formats as unknown as (a: Ajv2020) => void)(ajv);
    ajv.addSchema({ $id: 'doc', components: doc.components });
    const problems: string[] = [];
    let checked = 0;
    for (const op of gets) {
      if (!op.description) problems.push(`${op.operationId}: no description`);
      const media = op.responses['200']?.content?.['application/json'];
      if (!media) continue;
      if (media.example === undefined) {
        problems.push(`${op.operationId}: no example`);
        continue;
      }
      const schema = JSON.parse(JSON.stringify(media.schema).replaceAll('"#/components/', '"doc#/components/'));
      const validate = ajv.compile(schema);
      if (!validate(media.example)) problems.push(`${op.operationId}: ${ajv.errorsText(validate.errors)}`);
      checked++;
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(40);
  });

  it('issue 14: the check fails on an example that does not fit its schema', () => {
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema({ $id: 'doc', components: doc.components });
    const validate = ajv.compile({ $ref: 'doc#/components/schemas/Collaborative' });
    const op = gets.find((o) => o.operationId === 'getCollaborative')!;
    const example = op.responses['200']!.content!['application/json']!.example as Record<string, unknown>;
    expect(validate(example)).toBe(true);
    expect(validate({ ...example, status: 'paused' })).toBe(false);
  });
});
