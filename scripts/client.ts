// `npm run client:write`: regenerates packages/client/src/schema.ts from openapi/openapi.json.
// `npm run client:check`: fails when the committed types differ from the document.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateClientTypes, root, SCHEMA_FILE } from '../packages/client/src/generate';

const mode = process.argv[2] ?? 'write';
const file = path.join(root, SCHEMA_FILE);
const generated = await generateClientTypes();
if (mode === 'check') {
  if ((await readFile(file, 'utf8').catch(() => '')) !== generated) {
    console.error(`${SCHEMA_FILE} is stale: run \`npm run client:write\` and commit it.`);
    process.exit(1);
  }
  console.log(`${SCHEMA_FILE} is current`);
} else if (mode === 'write') {
  await writeFile(file, generated);
  console.log(`wrote ${SCHEMA_FILE}`);
} else {
  console.error('usage: tsx scripts/client.ts write|check');
  process.exit(2);
}
