import { describe, it, expect } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { folderMailer, mailerFromEnv } from './mailer';

describe('embedded dev mode mailer', () => {
  it('writes each message as an .eml file a newcomer can open', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'convene-mail-'));
    try {
      const mailer = folderMailer(dir);
      const info = await mailer.send({ from: 'a@example.org', to: 'b@example.org', subject: 'Hello', text: 'plain', html: '<p>html</p>', messageId: '<k1@convene>' });
      expect(info.accepted).toEqual(['b@example.org']);
      const files = await readdir(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/\.eml$/);
      const eml = await readFile(path.join(dir, files[0]!), 'utf8');
      expect(eml).toContain('Subject: Hello');
      expect(eml).toContain('Message-ID: <k1@convene>');
      expect(mailerFromEnv({ MAIL_DIR: dir }).description).toBe(`folder ${dir}`);
      expect(mailerFromEnv({ SMTP_URL: 'smtp://127.0.0.1:2525' }).description).toBe('smtp');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
