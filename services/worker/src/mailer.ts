import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';

export interface SentInfo {
  messageId: string;
  accepted: string[];
  rejected: string[];
}

export interface Mailer {
  send(message: Mail.Options): Promise<SentInfo>;
  close(): void;
  readonly description: string;
}

const addresses = (list: unknown): string[] =>
  Array.isArray(list) ? list.map((a) => (typeof a === 'string' ? a : String((a as { address?: string }).address ?? a))) : [];

/** Wraps a nodemailer transport (SMTP in production, anything in tests). */
export function mailerFromTransport(transport: Transporter, description = 'transport'): Mailer {
  return {
    description,
    async send(message) {
      const info = await transport.sendMail(message);
      return { messageId: String(info.messageId ?? ''), accepted: addresses(info.accepted), rejected: addresses(info.rejected) };
    },
    close: () => transport.close(),
  };
}

/**
 * Embedded dev mode: nodemailer's streamTransport builds the real RFC 822 message, which is written
 * to `<dir>/<time>-<key>.eml` so a newcomer can open what would have been sent.
 */
export function folderMailer(dir: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    description: `folder ${dir}`,
    async send(message) {
      const info = await transport.sendMail(message);
      await mkdir(dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '')}-${String(info.messageId).replace(/[^A-Za-z0-9._-]/g, '')}.eml`;
      // Written under a temporary name (not .eml) and renamed (atomic within a folder): a worker
      // killed mid-write leaves a stray .tmp file, never a partial .eml (issue 11.10).
      const temp = path.join(dir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        await writeFile(temp, info.message as Buffer);
        await rename(temp, path.join(dir, name));
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      const to = addresses(info.envelope.to);
      return { messageId: String(info.messageId), accepted: to, rejected: [] };
    },
    close: () => transport.close(),
  };
}

/** SMTP_URL (e.g. smtp://user:pass@host:587) when set, else .eml files in MAIL_DIR or .data/mail. */
export function mailerFromEnv(env: NodeJS.ProcessEnv = process.env): Mailer {
  if (env.SMTP_URL) return mailerFromTransport(nodemailer.createTransport(env.SMTP_URL), 'smtp');
  return folderMailer(path.resolve(env.MAIL_DIR ?? '.data/mail'));
}

/** A permanent SMTP failure (5xx: bad address, rejected mailbox): retrying cannot help. */
export function isPermanentMailError(error: unknown): boolean {
  const e = error as { responseCode?: number; code?: string } | null;
  if (!e) return false;
  if (typeof e.responseCode === 'number') return e.responseCode >= 500 && e.responseCode < 600;
  return false;
}
