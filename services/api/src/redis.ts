import { Redis } from 'ioredis';

/**
 * A Redis connection that never blocks or fails a request: commands are not queued while it is
 * down (enableOfflineQueue: false) and it keeps reconnecting in the background.
 */
export function createRedis(url: string): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5000),
    // Commands of concurrent requests (three rate-limit checks each) share one write: measured in
    // docs/benchmarks.md (issue 13).
    enableAutoPipelining: true,
  });
  redis.on('error', () => undefined); // state is reported by /health; reconnects on its own
  redis.connect().catch(() => undefined);
  return redis;
}
