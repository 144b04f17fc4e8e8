// Issue 13: a pool keeps its idle connections for a minute (pg closes them after 10 s), so a burst
// after a lull is served by warm server processes instead of new ones opened inside its requests.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { createPool, POOL_IDLE_TIMEOUT_MS } from './connection';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ migrate: false });
});
afterAll(async () => tdb.drop());

const backendPid = async (pool: ReturnType<typeof createPool>) => (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('connection pool', () => {
  it('issue 13: an idle connection outlives pg\'s 10-s idle timeout (same server process after 11 s); a pool told a short timeout closes it', async () => {
    expect(POOL_IDLE_TIMEOUT_MS).toBeGreaterThanOrEqual(60_000);
    const kept = createPool({ connectionString: tdb.url, max: 1 });
    const short = createPool({ connectionString: tdb.url, max: 1, idleTimeoutMillis: 200 });
    try {
      const [keptPid, shortPid] = [await backendPid(kept), await backendPid(short)];
      await sleep(11_000);
      expect(kept.idleCount).toBe(1);
      expect(await backendPid(kept)).toBe(keptPid);
      // The control: the same check notices a connection that was closed and opened again.
      expect(short.idleCount).toBe(0);
      expect(await backendPid(short)).not.toBe(shortPid);
    } finally {
      await kept.end();
      await short.end();
    }
  }, 30_000);
});
