// `npm run docs:write`: writes the generated docs (event catalogue, permission table, problem
// catalogue). `npm run docs:check`: fails when a committed one differs from the generated one.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedDocs } from './docs/generated';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const mode = process.argv[2] ?? 'write';
if (mode !== 'write' && mode !== 'check') {
  console.error('usage: tsx scripts/docs.ts write|check');
  process.exit(2);
}
let stale = 0;
for (const [file, text] of Object.entries(await generatedDocs(root))) {
  const target = path.join(root, file);
  if (mode === 'write') {
    await writeFile(target, text);
    console.log(`wrote ${file}`);
  } else if ((await readFile(target, 'utf8').catch(() => '')) !== text) {
    console.error(`${file} is stale: run \`npm run docs:write\` and commit it.`);
    stale += 1;
  }
}
if (mode === 'check' && stale === 0) console.log('generated docs are current');
process.exit(stale ? 1 : 0);
