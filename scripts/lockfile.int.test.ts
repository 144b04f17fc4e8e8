// Issue 17: `npm install` on a clean clone leaves package-lock.json unchanged. It did not: a
// workspace's package.json (services/projector) named a dependency the lock lacked, so every
// install rewrote the lock. Checked cheaply: the manifests and the lock alone, in a temp folder,
// resolved by npm without installing anything; the lock must come out byte for byte the same.
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '..');
const run = promisify(execFile);

describe('package-lock.json', () => {
  it('issue 17: npm install on a clean clone leaves package-lock.json unchanged (every workspace manifest agrees with the lock)', async () => {
    const { stdout } = await run('git', ['ls-files', '--', 'package.json', 'package-lock.json', '*/package.json', '*/*/package.json'], { cwd: root });
    const files = stdout.split('\n').filter((f) => /(^|\/)package(-lock)?\.json$/.test(f));
    expect(files).toContain('services/projector/package.json');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'convene-lock-'));
    try {
      for (const file of files) {
        await mkdir(path.join(dir, path.dirname(file)), { recursive: true });
        await writeFile(path.join(dir, file), await readFile(path.join(root, file)));
      }
      await run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, timeout: 170_000 });
      const before = await readFile(path.join(root, 'package-lock.json'), 'utf8');
      const after = await readFile(path.join(dir, 'package-lock.json'), 'utf8');
      if (after !== before) {
        const { stdout: diff } = await run('git', ['diff', '--no-index', '--', path.join(root, 'package-lock.json'), path.join(dir, 'package-lock.json')], { cwd: root }).catch((e: { stdout: string }) => e);
        throw new Error(`npm install rewrites package-lock.json; run npm install and commit the lock:\n${diff.slice(0, 3000)}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
