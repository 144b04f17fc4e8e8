// The event store's bare append rate for bench:http's ratio, measured on the same server in the
// same run.
import { createDb, createPool, migrateToLatest } from '@convene/db';
import { createEventStore } from '@convene/eventstore';
import { freshDatabase } from './lib';
import { counts } from './http-seed';

/**
 * The store's bare single-event append rate from `concurrency` writers (as many connections), in
 * its own scratch database on the same server (the projector and worker never see these events).
 */
export async function bareAppendRate(adminUrl: string, concurrency: number, seconds = 5): Promise<number> {
  const db = await freshDatabase(adminUrl, 'convene_bench_http_bare');
  const setup = createPool({ connectionString: db.url, max: 1 });
  await migrateToLatest(createDb(setup));
  await setup.end();
  const url = db.url;
  const pool = createPool({ connectionString: url, max: concurrency });
  const store = createEventStore({ pool, notify: false });
  const meta = { actorId: 'bench', actorRole: 'admin', correlationId: 'bench-bare' };
  let n = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      const stream = `participation-bare${w}`;
      for (let v = 0; performance.now() < until; v++) {
        await store.appendToStream(stream, [{ type: 'MonthlyMeasuresRecorded', data: { collaborativeId: stream, agencyId: stream, month: '2026-01', counts: counts(v) } }], { expectedVersion: v, metadata: meta });
        n++;
      }
    }),
  );
  const rate = n / ((performance.now() - started) / 1000);
  await store.close();
  await pool.end();
  await db.drop();
  return rate;
}


/**
 * The best of `runs` bare append rates (BENCH_BARE_RUNS, default 3): on this host one 5-s
 * measurement moved between 5,300 and 10,600 events/s within the hour (the disk's flushes), and
 * the ratio is only as good as its denominator; the best is the most demanding one to compare with.
 */
export async function bestBareAppendRate(adminUrl: string, concurrency: number, runs = Number(process.env.BENCH_BARE_RUNS ?? 3)) {
  const rates: number[] = [];
  for (let i = 0; i < Math.max(1, runs); i++) rates.push(await bareAppendRate(adminUrl, concurrency));
  return { best: Math.max(...rates), rates };
}
