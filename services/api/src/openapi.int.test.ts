// The committed OpenAPI document is the one the routes generate, and a client generated from it
// with openapi-typescript type-checks against openapi-fetch.
import { describe, it, expect, beforeAll } from '@jest/globals';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { generateOpenApiDocument, OPENAPI_FILE, OPENAPI_WRITE_COMMAND, serializeOpenApi } from './openapi';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
let generated: Record<string, unknown>;

beforeAll(async () => {
  generated = await generateOpenApiDocument();
});

describe('openapi/openapi.json', () => {
  it(`is current (else run \`${OPENAPI_WRITE_COMMAND}\`)`, async () => {
    const committed = await readFile(path.join(root, OPENAPI_FILE), 'utf8').catch(() => '');
    const fresh = committed === serializeOpenApi(generated);
    if (!fresh) console.error(`${OPENAPI_FILE} is stale: run \`${OPENAPI_WRITE_COMMAND}\` and commit it`);
    expect(fresh).toBe(true);
  });

  it('is OpenAPI 3.1 with one operation per command, operationIds unique', () => {
    expect(generated.openapi).toBe('3.1.0');
    const paths = generated.paths as Record<string, Record<string, { operationId?: string }>>;
    const ids = Object.values(paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids).toEqual(expect.arrayContaining(['launchCollaborative', 'admitAgency', 'recordBaseline', 'logPdsaCycle', 'scheduleSiteVisit', 'publishMinutes']));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('generates a client that type-checks with openapi-fetch', async () => {
    const dir = path.join(root, 'services/api/node_modules/.cache/openapi-client-test');
    await mkdir(dir, { recursive: true });
    const ast = await openapiTS(JSON.parse(await readFile(path.join(root, OPENAPI_FILE), 'utf8')) as Parameters<typeof openapiTS>[0]);
    await writeFile(path.join(dir, 'convene.d.ts'), astToString(ast));
    await writeFile(
      path.join(dir, 'client.ts'),
      `import createClient from 'openapi-fetch';
import type { paths } from './convene';

const client = createClient<paths>({ baseUrl: 'http://localhost:3000', headers: { authorization: 'Bearer cvk_x' } });
const c = '0190a000-0000-7000-8000-000000000001';
const a = '0190a000-0000-7000-8000-000000000021';

export async function usage(): Promise<number> {
  const { data, error } = await client.POST('/v1/collaboratives/{collaborativeId}/agencies/{agencyId}/baseline', {
    params: { path: { collaborativeId: c, agencyId: a }, header: { 'idempotency-key': 'k-1', 'if-match': 'W/"3"' } },
    body: { period: { from: '2024-12-01', to: '2025-01-31' }, counts: { clientsTreated: 4, totalDaysToTreatment: 40 } },
  });
  if (error) return error.status;
  const launched = await client.POST('/v1/collaboratives', {
    body: {
      name: 'n', aim: 'a', convener: { organizationName: 'o', contact: { personId: c, name: 'p', email: 'p@example.org' } },
      focusMeasures: ['waiting_time'], startsOn: '2025-01-01', endsOn: '2025-12-31', meetingCadence: 'monthly',
      measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
    },
  });
  const id: string | undefined = launched.data?.collaborativeId;
  const history = await client.GET('/v1/collaboratives/{collaborativeId}/events', { params: { path: { collaborativeId: c }, query: { limit: 10 } } });
  const next: string | null | undefined = history.data?.nextCursor;
  // @ts-expect-error a required field is missing
  await client.POST('/v1/meetings/{meetingId}/minutes', { params: { path: { meetingId: c } }, body: {} });
  // @ts-expect-error a wrong type
  await client.POST('/v1/collaboratives/{collaborativeId}/cohorts', { params: { path: { collaborativeId: c } }, body: { name: 'x', startsOn: '2025-01-01', capacity: 'ten' } });
  return data.version + data.position + (id ? 1 : 0) + (next ? 1 : 0);
}
`,
    );
    const program = ts.createProgram([path.join(dir, 'client.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      skipLibCheck: true,
      types: [],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);
  });
});
