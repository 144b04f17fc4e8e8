// `npm run openapi:write`: writes openapi/openapi.json from the API's routes.
// `npm run openapi:check`: fails when the committed document differs from the generated one.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOpenApiDocument, OPENAPI_FILE, OPENAPI_WRITE_COMMAND, serializeOpenApi } from '@convene/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(root, OPENAPI_FILE);
const mode = process.argv[2] ?? 'write';

const generated = serializeOpenApi(await generateOpenApiDocument());
if (mode === 'check') {
  const committed = await readFile(file, 'utf8').catch(() => '');
  if (committed !== generated) {
    console.error(`${OPENAPI_FILE} is stale: run \`${OPENAPI_WRITE_COMMAND}\` and commit it.`);
    process.exit(1);
  }
  console.log(`${OPENAPI_FILE} is current`);
} else if (mode === 'write') {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, generated);
  console.log(`wrote ${OPENAPI_FILE}`);
} else {
  console.error('usage: tsx scripts/openapi.ts write|check');
  process.exit(2);
}
