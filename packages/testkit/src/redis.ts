import { randomBytes } from 'node:crypto';

export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run tests through Jest (its global setup provisions Redis)');
  return url;
}

/** Test files share one Redis; each keeps to its own key prefix (BullMQ `prefix`). */
export function uniqueRedisPrefix(label = 't'): string {
  return `convene-${label}-${randomBytes(4).toString('hex')}`;
}
