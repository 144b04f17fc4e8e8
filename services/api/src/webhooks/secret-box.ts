// Webhook secrets at rest (issue 12.9): signing needs the secret itself (HMAC), so it cannot be
// hashed like an API key; it is stored encrypted with AES-256-GCM under WEBHOOK_SECRET_KEY
// (32 bytes, base64 or hex), as `enc:v1:<base64(iv 12 | tag 16 | ciphertext)>`. Rows written
// before (a plain `whsec_…`) still open, and startWebhookDeliveries encrypts them once.
// Key source: the WEBHOOK_SECRET_KEY setting; in embedded/development mode (`npm start` without
// DATABASE_URL) a generated key kept in <CONVENE_DATA_DIR>/webhook-secret.key; a production
// process (services/api/src/main.ts, or npm start with DATABASE_URL) refuses to start without one.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const PREFIX = 'enc:v1:';

export interface SecretBox {
  seal(secret: string): string;
  /** The secret of a stored value (encrypted, or plain from before encryption). */
  open(stored: string): string;
}

export const isSealedSecret = (stored: string): boolean => stored.startsWith(PREFIX);

/** Parses a 32-byte key given as base64 (44 chars) or hex (64 chars). */
export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new Error('WEBHOOK_SECRET_KEY must be 32 bytes, base64 or hex (e.g. `openssl rand -base64 32`)');
  return key;
}

export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error('a webhook secret key is 32 bytes');
  return {
    seal(secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
    },
    open(stored) {
      if (!isSealedSecret(stored)) return stored;
      const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/**
 * The key: WEBHOOK_SECRET_KEY when set; else, in development mode only, the one kept in
 * `<dataDir>/webhook-secret.key` (created on first start). Production without a key throws.
 */
export async function loadWebhookSecretKey(options: { setting: string | undefined; development: boolean; dataDir: string }): Promise<Buffer> {
  if (options.setting) return parseSecretKey(options.setting);
  if (!options.development) {
    throw new Error('WEBHOOK_SECRET_KEY is required (32 bytes, base64: `openssl rand -base64 32`): webhook secrets are stored encrypted with it');
  }
  const file = path.resolve(options.dataDir, 'webhook-secret.key');
  try {
    return parseSecretKey(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
