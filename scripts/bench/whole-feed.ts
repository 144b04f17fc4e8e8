// Whole-feed reads (issue 11.12): what the analyst export / as-of routes and a type-filtered cursor
// cost with one collaborative's event beside BENCH_EVENTS (default 200,000) of others'.
// Run: npx tsx scripts/bench/whole-feed.ts   (BENCH_DATABASE_URL to choose the server)
//
// Before: every progress-type event of every collaborative read through readAll and filtered in
// JavaScript (the routes' old path); a type-filtered cursor that never moved past other types'
// events, polled from where it started. After: readAll({ collaborativeId }) through the index, and
// the cursor at the `next` a first poll answered. "raw" is the plain SQL statement returning the
// same rows, measured in the same run, so the ratios hold across machines.
import pg from 'pg';
import { createPool, createDb, migrateToLatest } from '@convene/db';
import { createEventStore } from '@convene/eventstore';
import { benchServer, freshDatabase, machineDescription, writeBenchmarkSection } from './lib';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const ROUNDS = 5;
const TYPES = ['MonthlyMeasuresReported', 'AgencyEnrolledInCohort'];
const TARGET = '00000000-0000-4000-8000-ffffffffffff';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function time(op: () => Promise<unknown>): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await op();
    runs.push(performance.now() - t);
  }
  return median(runs);
}

const { adminUrl, embedded } = await benchServer();
const database = await freshDatabase(adminUrl, 'convene_bench_whole_feed');
const pool = createPool({ connectionString: database.url, max: 4 });
try {
  await migrateToLatest(createDb(pool));
  // Seeded in SQL (inserts are allowed on events): 400 collaboratives, one event of the target at the end.
  await pool.query(
    `INSERT INTO events (global_position, stream_id, stream_type, stream_version, event_id, event_type, data, metadata)
     SELECT i, 'agency-' || (i % 4000), 'agency', i / 4000 + 1, gen_random_uuid(), ($2::text[])[1 + i % 2],
            jsonb_build_object('collaborativeId', '00000000-0000-4000-8000-' || lpad(to_hex(i % 400), 12, '0'), 'month', '2025-01', 'counts', jsonb_build_object('admissions', i % 50)),
            '{"actorId": "bench", "actorRole": "admin"}'
       FROM generate_series(1, $1::int) AS i`,
    [EVENTS, TYPES],
  );
  await pool.query(
    `INSERT INTO events (global_position, stream_id, stream_type, stream_version, event_id, event_type, data, metadata)
     VALUES ($1, 'target-1', 'target', 1, gen_random_uuid(), $2, jsonb_build_object('collaborativeId', $3::text), '{"actorId": "bench", "actorRole": "admin"}')`,
    [EVENTS + 1, TYPES[0], TARGET],
  );
  await pool.query('VACUUM ANALYZE events');
  const store = createEventStore({ pool, notify: false, groupCommit: false });

  // The export's read: one collaborative's progress events.
  const before = await time(async () => {
    const out = [];
    for (let after = 0; ; ) {
      const { events, next } = await store.readAll({ after, limit: 1000, types: TYPES });
      out.push(...events.filter((e) => (e.data as { collaborativeId?: string }).collaborativeId === TARGET));
      if (events.length === 0) break;
      after = next;
    }
    if (out.length !== 1) throw new Error(`before: ${out.length} events`);
  });
  const after = await time(async () => {
    const { events } = await store.readAll({ after: 0, limit: 1000, types: TYPES, collaborativeId: TARGET });
    if (events.length !== 1) throw new Error(`after: ${events.length} events`);
  });
  const raw = await time(() =>
    pool.query(`SELECT * FROM events WHERE data->>'collaborativeId' = $1 AND event_type = ANY ($2) ORDER BY global_position`, [TARGET, TYPES]),
  );
  const rawScan = await time(() => pool.query(`SELECT * FROM events WHERE event_type = ANY ($1) ORDER BY global_position`, [TYPES]));

  // A cursor for a type nobody appended: every poll found nothing and stayed where it was.
  const RARE = ['NeverAppended'];
  const pollStale = await time(() => store.readAll({ after: 0, limit: 200, types: RARE }));
  const { next } = await store.readAll({ after: 0, limit: 200, types: RARE });
  if (next !== EVENTS + 1) throw new Error(`cursor did not move to the head: ${next}`);
  const pollMoved = await time(() => store.readAll({ after: next, limit: 200, types: RARE }));
  const rawPoll = await time(() => pool.query(`SELECT * FROM events WHERE global_position > $1 AND event_type = ANY ($2) ORDER BY global_position LIMIT 200`, [next, RARE]));

  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const ratio = (x: number, base: number) => `${(x / base).toFixed(1)}×`;
  const markdown = `## Whole-feed reads (scripts/bench/whole-feed.ts)

${new Date().toISOString().slice(0, 10)}, ${await machineDescription(adminUrl)}. Command:
\`npx tsx scripts/bench/whole-feed.ts\` (BENCH_EVENTS=${EVENTS}); medians of ${ROUNDS} runs. One collaborative's
single event beside ${EVENTS.toLocaleString('en-US')} events of 400 others (issue 11.12). "raw": the plain SQL statement
returning the same rows, in the same run.${process.env.BENCH_NOTE ? ` ${process.env.BENCH_NOTE}` : ''}

| read | before | after | raw SQL | before / raw | after / raw |
|---|---|---|---|---|---|
| one collaborative's progress events (export, as-of) | ${ms(before)} (whole feed, filtered in JS) | ${ms(after)} (\`readAll({ collaborativeId })\`, index) | ${ms(raw)} | ${ratio(before, raw)} | ${ratio(after, raw)} |
| a poll of a type-filtered cursor with no new events of its types | ${ms(pollStale)} (cursor left at 0) | ${ms(pollMoved)} (cursor at the \`next\` answered) | ${ms(rawPoll)} | ${ratio(pollStale, rawPoll)} | ${ratio(pollMoved, rawPoll)} |

For scale: reading the whole feed's progress events in one plain statement (what "before" re-read per request) takes
${ms(rawScan)}. Before, the export and as-of routes also unsealed every one of those events (not included here:
this store has no personal-data hook).`;
  console.log(markdown);
  if (process.env.BENCH_WRITE !== '0') await writeBenchmarkSection('whole-feed', markdown);
} finally {
  await pool.end();
  await database.drop();
  await embedded?.stop();
}
