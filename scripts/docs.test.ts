// The generated docs are current (like openapi/openapi.json), and they hold what they claim to.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedDocs } from './docs/generated';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let docs: Record<string, string>;

beforeAll(async () => {
  docs = await generatedDocs(root);
});

describe('generated docs', () => {
  it('issue 17 (docs): docs/events.md, docs/permissions.md and docs/problems.md are current (else run `npm run docs:write`)', async () => {
    const stale: string[] = [];
    for (const [file, text] of Object.entries(docs)) {
      if ((await readFile(path.join(root, file), 'utf8').catch(() => '')) !== text) stale.push(file);
    }
    expect(stale).toEqual([]);
  });

  it('issue 17 (docs): the permission table follows the route and command tables', () => {
    const table = docs['docs/permissions.md'];
    const row = (operationId: string) => table!.split('\n').find((l) => l.includes(`| ${operationId} |`));
    // columns: admin, coach, agency, analyst, auditor (commands/table.ts: RecordCoachingNote allows coach)
    expect(row('recordCoachingNote')).toMatch(/\| command \| yes \| yes \| — \| — \| — \|/);
    // webhooks/routes.ts: requireRole('admin')
    expect(row('createWebhook')).toMatch(/\| admin action \| yes \| — \| — \| — \| — \|/);
  });

  it('issue 17 (docs): the event catalogue lists every event schema with its fields', () => {
    const events = docs['docs/events.md'];
    expect(events).toContain('### MinutesPublished');
    expect(events).toMatch(/\| `minutes` \| string/);
  });
});
