// `npm run build`: compiles the services and the operator CLIs to JavaScript in dist/ with esbuild
// (chosen over tsc-per-workspace: the sources import each other extension-less under
// moduleResolution "Bundler", which plain Node ESM cannot load; a bundle needs no rewrite and no
// project references). Our workspace packages are bundled in; every npm package stays an import
// resolved from node_modules at run time, so the image installs production dependencies only
// (`npm ci --omit=dev`). dist/meta.json lists the packages the build imports (checked by a test).
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');

/** Bundles @convene/* (TypeScript sources), leaves every other bare import to node_modules. */
const packagesExternal: Plugin = {
  name: 'packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@convene/') ? undefined : { path: args.path, external: true }));
  },
};

export const entryPoints = {
  api: 'services/api/src/main.ts',
  projector: 'services/projector/src/main.ts',
  worker: 'services/worker/src/main.ts',
  migrate: 'scripts/migrate.ts',
  'api-keys': 'scripts/api-keys.ts',
  projections: 'scripts/projections.ts',
  replay: 'scripts/replay.ts',
};

await rm(outdir, { recursive: true, force: true });
const started = performance.now();
const result = await build({
  absWorkingDir: root,
  entryPoints,
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20', // package.json engines
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [packagesExternal],
});
const externals = new Set<string>();
for (const output of Object.values(result.metafile.outputs)) {
  for (const imported of output.imports) {
    if (!imported.external || imported.path.startsWith('node:')) continue;
    const parts = imported.path.split('/');
    externals.add(imported.path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
}
await writeFile(path.join(outdir, 'meta.json'), `${JSON.stringify({ entryPoints, packages: [...externals].sort() }, null, 2)}\n`);
console.log(`built ${Object.keys(entryPoints).length} entry points into dist/ in ${Math.round(performance.now() - started)} ms`);
