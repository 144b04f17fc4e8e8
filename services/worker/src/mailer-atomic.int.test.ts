import { describe, it, expect } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { folderMailer } from './mailer';

const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

// A write that stops half-way, for real: the child runs under a file size limit (ulimit -f), so
// the kernel refuses the rest of the message (EFBIG), as a full disk or a killed worker would stop it.
describe('issue 11.10: the development mail folder never shows a partial .eml', () => {
  it('issue 11.10: a write cut off half-way leaves no .eml; a complete one appears whole, by rename', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'convene-mail-atomic-'));
    try {
      const script = `
        import { folderMailer } from ${JSON.stringify(path.join(here, 'mailer.ts'))};
        const mailer = folderMailer(${JSON.stringify(dir)});
        try {
          await mailer.send({ from: 'a@example.org', to: 'b@example.org', subject: 'Big', text: 'x'.repeat(2_000_000), messageId: '<big@convene>' });
          console.log('sent');
        } catch (error) {
          console.log('failed ' + error.code);
        }`;
      // 256 KiB limit: the 2 MB message cannot be written whole.
      const { stdout } = await run('bash', ['-c', `ulimit -f 256 && exec "${process.execPath}" --import tsx --input-type=module -e "$SCRIPT"`], {
        env: { ...process.env, SCRIPT: script },
        cwd: path.resolve(here, '../../..'),
      });
      expect(stdout.trim()).toBe('failed EFBIG'); // the write really was cut off
      expect((await readdir(dir)).filter((f) => f.endsWith('.eml'))).toEqual([]);

      // The good path: while a message is written, a listing shows no .eml until it is complete.
      const mailer = folderMailer(dir);
      const body = 'y'.repeat(3_000_000);
      let watching = true;
      const seen: { name: string; size: number }[] = [];
      const watcher = (async () => {
        while (watching) {
          for (const f of (await readdir(dir)).filter((n) => n.endsWith('.eml'))) {
            seen.push({ name: f, size: (await readFile(path.join(dir, f))).length });
          }
          await new Promise((r) => setImmediate(r));
        }
      })();
      await mailer.send({ from: 'a@example.org', to: 'b@example.org', subject: 'Whole', text: body, messageId: '<whole@convene>' });
      watching = false;
      await watcher;
      const files = (await readdir(dir)).filter((f) => f.endsWith('.eml'));
      expect(files).toHaveLength(1);
      const full = (await readFile(path.join(dir, files[0]!))).length;
      expect(full).toBeGreaterThan(3_000_000);
      expect(seen.every((s) => s.size === full)).toBe(true);
      mailer.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
