// The signature of a webhook delivery: `Convene-Signature: t=<unix seconds>,v1=<hex>` where the hex
// is HMAC-SHA256 keyed by the subscription's secret over "<t>.<raw body>". Receivers recompute it
// on the raw bytes, compare in constant time and refuse old timestamps (replays).
// Every delivery is also signed as Standard Webhooks (https://www.standardwebhooks.com): headers
// `webhook-id` (the same on every retry of a batch), `webhook-timestamp`, `webhook-signature:
// v1,<base64 HMAC-SHA256 over "<id>.<timestamp>.<body>">`, keyed by the base64 part of the
// secret after `whsec_`, so receivers can verify with that scheme's libraries.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'convene-signature';
export const DELIVERY_HEADER = 'convene-delivery';
export const STANDARD_ID_HEADER = 'webhook-id';
export const STANDARD_TIMESTAMP_HEADER = 'webhook-timestamp';
export const STANDARD_SIGNATURE_HEADER = 'webhook-signature';

/** A new subscription secret (`whsec_` + 32 random bytes, base64: what Standard Webhooks libraries decode). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The Standard Webhooks headers of a delivery. The key is the secret's base64 part decoded (Node
 * reads base64url too: secrets made before were base64url, and a receiver turns their `-`/`_`
 * into `+`/`/` for its library).
 */
export function standardWebhookHeaders(secret: string, messageId: string, timestamp: number, body: string): Record<string, string> {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  const signature = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`, 'utf8').digest('base64');
  return {
    [STANDARD_ID_HEADER]: messageId,
    [STANDARD_TIMESTAMP_HEADER]: String(timestamp),
    [STANDARD_SIGNATURE_HEADER]: `v1,${signature}`,
  };
}

export function signPayload(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signPayload(secret, timestamp, body)}`;
}

/**
 * Checks a signature header against the raw body. `toleranceSeconds` bounds the age of the
 * timestamp against `now` (unix seconds); pass Infinity to skip that check.
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  options: { now?: number; toleranceSeconds?: number } = {},
): boolean {
  if (!header) return false;
  const parts = new Map<string, string[]>();
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    const k = item.slice(0, eq).trim();
    parts.set(k, [...(parts.get(k) ?? []), item.slice(eq + 1).trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(t)) return false;
  const tolerance = options.toleranceSeconds ?? 300;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Number.isFinite(tolerance) && Math.abs(now - t) > tolerance) return false;
  const expected = Buffer.from(signPayload(secret, t, body), 'hex');
  return (parts.get('v1') ?? []).some((v) => {
    const given = Buffer.from(v, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
