// `tsx scripts/replay.ts`: dry-run replay of every stream through the current evolve (writes
// nothing). Exits 1 when an event no longer parses or upcasts. Uses DATABASE_URL, else the
// embedded PostgreSQL of `npm start` (found running, or started for the command).
import { createPool, resolveDatabase } from '@convene/db';
import { createEventStore } from '@convene/eventstore';
import { replayDryRun } from '../services/api/src/audit/replay';

const database = await resolveDatabase();
const pool = createPool({ connectionString: database.url, max: 2, applicationName: 'convene-replay' });
const store = createEventStore({ pool, notify: false });
try {
  const report = await replayDryRun(store);
  console.log(`replayed ${report.events} events of ${report.streams} streams (skipped ${report.skipped} non-domain events) up to ${report.position}`);
  for (const p of report.problems) console.log(`${p.position} ${p.streamId} v${p.streamVersion} ${p.type}: ${p.problem}: ${p.detail}`);
  console.log(report.problems.length === 0 ? 'OK: every event parses and folds' : `${report.problems.length} problem(s)`);
  process.exitCode = report.problems.length === 0 ? 0 : 1;
} finally {
  await store.close();
  await pool.end();
  await database.close();
}
