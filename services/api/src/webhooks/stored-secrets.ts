// The delivery loop's side of stored webhook secrets: opening a sealed one to sign with, and
// sealing once the rows stored in clear before issue 12 (when this process has the key).
import type pg from 'pg';
import { createSecretBox, isSealedSecret } from './secret-box';
import type { WebhookLogger } from './delivery-types';

export interface StoredSecrets {
  /** The secret to sign with; null when it is sealed and this process cannot open it. */
  open(stored: string): string | null;
  /** Seals the rows still in clear, once per process (again after a failure). */
  encryptLegacy(): Promise<void>;
}

export function storedSecrets(pool: pg.Pool, secretKey: Buffer | undefined, logger: WebhookLogger): StoredSecrets {
  const box = secretKey ? createSecretBox(secretKey) : undefined;
  const open = (stored: string): string | null => {
    if (!isSealedSecret(stored)) return stored;
    try {
      return box ? box.open(stored) : null;
    } catch {
      return null;
    }
  };
  let encrypted: Promise<void> | undefined;
  const encryptLegacy = () =>
    (encrypted ??= (async () => {
      if (!box) return;
      const { rows } = await pool.query<{ subscription_id: string; secret: string }>(
        "SELECT subscription_id, secret FROM webhook_subscriptions WHERE secret NOT LIKE 'enc:v1:%'",
      );
      for (const r of rows) {
        await pool.query('UPDATE webhook_subscriptions SET secret = $2 WHERE subscription_id = $1 AND secret = $3', [r.subscription_id, box.seal(r.secret), r.secret]);
      }
    })().catch((error: unknown) => {
      encrypted = undefined;
      logger.error({ err: error }, 'encrypting stored webhook secrets failed');
    }));
  return { open, encryptLegacy };
}
