// Issue 13: commit notifications are coalesced, at most one per 50 ms per process (and one more for
// the commits that came meanwhile).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { CommitNotifier, EVENTS_CHANNEL } from './notifier';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb.drop();
});

describe('commit notifications', () => {
  it('coalesce a burst of commits to one NOTIFY per 50 ms, the last commit included', async () => {
    const connectionString = tdb.url;
    const listener = new pg.Client({ connectionString });
    await listener.connect();
    await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
    const heard: number[] = [];
    listener.on('notification', () => heard.push(Date.now()));
    const notifier = new CommitNotifier(connectionString);
    try {
      notifier.ping(); // opens its connection
      await new Promise((r) => setTimeout(r, 300));
      heard.length = 0;
      const started = Date.now();
      let last = 0;
      while (Date.now() - started < 400) {
        notifier.ping();
        last = Date.now();
        await new Promise((r) => setTimeout(r, 2));
      }
      await new Promise((r) => setTimeout(r, 200));
      expect(heard.length).toBeGreaterThanOrEqual(3);
      expect(heard.length).toBeLessThanOrEqual(Math.ceil((last - started) / 50) + 2); // ~100 pings
      // Receipt is timed on this process's event loop, which a loaded CI machine delays now and
      // then (43 ms between two receipts failed one clean-clone run): a late receipt shortens the
      // gap after it by as much as it lengthens the one before. So each gap is held to 20 ms and
      // their mean to 45 ms; a notifier that did not coalesce would notify every 2 ms.
      const gaps = heard.slice(1).map((t, i) => t - heard[i]!);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(20);
      expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeGreaterThanOrEqual(45);
      expect(heard.at(-1)!).toBeGreaterThanOrEqual(last - 5); // the last commit announced too
    } finally {
      await notifier.close();
      await listener.end();
    }
  });
});
