// Issue 13.2: with aggregate states cached in the API process, a command's reads do not grow with
// its collaborative's history (rows read per pg_stat_user_tables, statements and rows per a query
// counter). Waits 11 s first, by design: backends report their counters late.
import { describe, it, expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { StreamStateCache, streamIds } from '@convene/domain';
import { commandCacheFixture, counts } from './command-cache-fixture';

const fx = commandCacheFixture();
const { apiProcess, send, collaborative } = fx;

/**
 * Rows PostgreSQL read (scanned and fetched by index) from the user tables, and from `events`,
 * per pg_stat_user_tables. Backends report their counters when they go idle at most once a
 * second and at exit: callers end the pools whose work they count before reading.
 */
async function rowsRead(): Promise<{ all: number; events: number }> {
  const { rows } = await fx.t.database.pool.query<{ all: number; events: number }>(
    `SELECT pg_stat_clear_snapshot(),
            sum(seq_tup_read + coalesce(idx_tup_fetch, 0))::float8 AS all,
            sum(seq_tup_read + coalesce(idx_tup_fetch, 0)) FILTER (WHERE relname = 'events')::float8 AS events
       FROM pg_stat_user_tables`,
  );
  return rows[0]!;
}
/** Waits until no connection of `applicationName` is left (their counters are reported at exit). */
async function gone(applicationName: string) {
  for (let i = 0; i < 100; i++) {
    const { rows } = await fx.t.database.pool.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
    if (rows.length === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('issue 13: command cost does not grow with history', () => {
  it('issue 13.2: a command costs as many rows read on a collaborative of 10,000 events as on one of 10 (pg_stat_user_tables and a query counter)', async () => {
    // Every backend of the test set-up reports its counters within 10 s of going idle.
    await new Promise((r) => setTimeout(r, 11_000));
    const perCommand = async (history: number, cache = new StreamStateCache(), N = 20) => {
      // One process's memory (the state cache) across two pools: the set-up's, then the
      // measured window's, which is ended so that its backends report what they read.
      const setup = await apiProcess(`convene-setup-${history}`, cache);
      const c = await collaborative(setup.app, 5, 1);
      const [agencyId] = c.agencies as [string];
      expect((await send(setup.app, `${c.A(agencyId)}/admission`, { cohortId: c.cohortId })).status).toBe(200);
      expect((await send(setup.app, `${c.A(agencyId)}/baseline`, { period: { from: '2025-02-01', to: '2025-03-31' }, counts })).status).toBe(200);
      expect((await send(setup.app, `${c.A(agencyId)}/measures`, { month: '2025-04', counts })).status).toBe(200);
      // Grow the collaborative's stream to `history` events (expenditures), as years of use would,
      // from outside the process (its cache does not see them).
      const stream = streamIds.collaborative(c.id);
      const version = async () => Number((await setup.pool.query<{ v: number }>('SELECT version AS v FROM streams WHERE stream_id = $1', [stream])).rows[0]?.v);
      for (let v = await version(); v < history; v += 1000) {
        const n = Math.min(1000, history - v);
        const events = Array.from({ length: n }, () => ({
          type: 'ExpenditureRecorded',
          data: { collaborativeId: c.id, expenditureId: randomUUID(), amountCents: 100, category: 'travel', spentOn: '2025-04-02' },
        }));
        await setup.store.appendMany([{ streamId: stream, events, expectedVersion: v }], { metadata: { actorId: 'test', actorRole: 'admin', correlationId: 'grow' } });
      }
      expect(await version()).toBe(history);
      // The first command after the growth catches the cache up (reads the new events once).
      expect((await send(setup.app, `${c.A(agencyId)}/coaching-notes`, { coachId: c.coachId, coachedOn: '2025-04-03', assistance: 'Run chart' })).status).toBe(200);
      await setup.close();
      await gone(`convene-setup-${history}`);

      const before = await rowsRead();
      const window = await apiProcess(`convene-window-${history}`, cache);
      const started = performance.now();
      for (let i = 0; i < N; i++) {
        const r = i % 2
          ? await send(window.app, `${c.A(agencyId)}/coaching-notes`, { coachId: c.coachId, coachedOn: '2025-04-03', assistance: `Note ${i}` })
          : await send(window.app, `${c.A(agencyId)}/measures/corrections`, { month: '2025-04', counts, reason: `Fix ${i}` });
        expect(r.status).toBe(200);
      }
      const ms = (performance.now() - started) / N;
      await window.close();
      await gone(`convene-window-${history}`);
      const after = await rowsRead();
      return {
        rowsRead: (after.all - before.all) / N,
        eventRowsRead: (after.events - before.events) / N,
        statements: window.counter.statements / N,
        rowsReturned: window.counter.rows / N,
        ms,
      };
    };
    const small = await perCommand(10);
    const large = await perCommand(10_000);
    console.log(`issue 13.2 flat cost, per command on a collaborative of 10 vs 10,000 events: ${JSON.stringify({ small, large })}`);
    // Without the cache a command reads its participation and the whole collaborative: 10,000+ rows here.
    expect(large.eventRowsRead).toBe(small.eventRowsRead);
    expect(large.rowsRead).toBe(small.rowsRead);
    expect(large.statements).toBe(small.statements);
    expect(large.rowsReturned).toBe(small.rowsReturned);
    // What remains is the append's own checks (stream row, idempotency, the last event), not history.
    expect(large.eventRowsRead).toBeLessThanOrEqual(1);
    expect(large.rowsRead).toBeLessThan(10);
    // The counting sees history when a process keeps no states (a cache of no entries): every
    // command reads its participation and the whole collaborative.
    // (Two commands: each folds the 10,000 events again.)
    const uncached = await perCommand(10_000, new StreamStateCache(0), 2);
    console.log(`issue 13.2 without the state cache: ${JSON.stringify(uncached)}`);
    expect(uncached.eventRowsRead).toBeGreaterThanOrEqual(10_000);
    expect(uncached.rowsReturned).toBeGreaterThanOrEqual(10_000);
  });
});
