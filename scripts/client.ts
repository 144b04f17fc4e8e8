// `npm run client:write`: regenerates the client's types (packages/client/src/schema.ts and
// schema/) from openapi/openapi.json. `npm run client:check`: fails when the committed types differ
// from the document, or a generated file is missing or left over.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateClientTypes, root, SCHEMA_DIR } from '../packages/client/src/generate';

const mode = process.argv[2] ?? 'write';
const generated = await generateClientTypes();
const present = async (): Promise<string[]> =>
  (await readdir(path.join(root, SCHEMA_DIR), { recursive: true, withFileTypes: true }).catch(() => []))
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));

if (mode === 'check') {
  const stale: string[] = [];
  for (const [file, content] of Object.entries(generated)) if ((await readFile(path.join(root, file), 'utf8').catch(() => '')) !== content) stale.push(file);
  for (const file of await present()) if (!(file in generated)) stale.push(file);
  if (stale.length > 0) {
    console.error(`the client's types are stale (${stale.join(', ')}): run \`npm run client:write\` and commit them.`);
    process.exit(1);
  }
  console.log(`the client's types are current (${Object.keys(generated).length} files)`);
} else if (mode === 'write') {
  for (const file of await present()) if (!(file in generated)) await rm(path.join(root, file));
  for (const [file, content] of Object.entries(generated)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
  console.log(`wrote the client's types (${Object.keys(generated).length} files)`);
} else {
  console.error('usage: tsx scripts/client.ts write|check');
  process.exit(2);
}
