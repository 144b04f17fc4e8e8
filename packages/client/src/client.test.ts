// issue 17 (a typed client): the committed types are the ones openapi/openapi.json generates
// (like openapi:check), and the client with its examples type-checks against them.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { generateClientTypes, root, SCHEMA_DIR } from './generate';

describe('@convene/client', () => {
  it('issue 17: packages/client/src/schema.ts and schema/ are current with openapi/openapi.json (else run `npm run client:write`)', async () => {
    const generated = await generateClientTypes();
    const stale = Object.entries(generated).filter(([file, content]) => readFileSync(path.join(root, file), 'utf8') !== content).map(([file]) => file);
    const committed = readdirSync(path.join(root, SCHEMA_DIR), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
    const leftOver = committed.filter((file) => !(file in generated));
    if (stale.length + leftOver.length > 0) console.error(`the client's types are stale (${[...stale, ...leftOver].join(', ')}): run \`npm run client:write\` and commit them`);
    expect(stale).toEqual([]);
    expect(leftOver).toEqual([]);
    // It is the API's document: every operation is a path of the client.
    const paths = Object.entries(generated).filter(([file]) => file.startsWith(`${SCHEMA_DIR}/paths/`)).map(([, content]) => content).join('\n');
    const document = JSON.parse(readFileSync(path.join(root, 'openapi/openapi.json'), 'utf8')) as { paths: Record<string, unknown> };
    for (const p of Object.keys(document.paths)) expect(paths).toContain(`"${p}": {`);
  }, 60_000);

  it('issue 17: the client and its examples type-check (a wrong body is a compile error)', () => {
    const examples = readdirSync(path.join(root, 'packages/client/examples')).filter((f) => f.endsWith('.ts')).map((f) => path.join(root, 'packages/client/examples', f));
    expect(examples.length).toBeGreaterThan(0);
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.base.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const check = (files: string[]) =>
      ts.getPreEmitDiagnostics(ts.createProgram(files, { ...config.options, noEmit: true })).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(check([path.join(root, 'packages/client/src/index.ts'), ...examples])).toEqual([]);

    // The check can fail: a body the document refuses does not compile.
    const dir = mkdtempSync(path.join(tmpdir(), 'convene-client-'));
    const wrong = path.join(dir, 'wrong-usage.ts');
    ts.sys.writeFile(wrong, `import { createConveneClient } from '${path.join(root, 'packages/client/src/index')}';
const c = createConveneClient({ baseUrl: 'http://x' });
export const p = c.POST('/v1/collaboratives/{collaborativeId}/cohorts', { params: { path: { collaborativeId: 'x' } }, body: { name: 'x', startsOn: '2025-01-01', capacity: 'ten' } });
`);
    try {
      expect(check([wrong]).join('\n')).toMatch(/capacity|not assignable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
