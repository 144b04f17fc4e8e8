// Projection admin CLI:  npx tsx scripts/projections.ts rebuild|verify|status|resume [name]
// rebuild: builds the projection into fresh tables from position 0 while the live one serves, then swaps.
// verify: rebuilds into a shadow up to the live checkpoint and lists the rows that differ.
import cliProgress from 'cli-progress';
import { createDb, createPool, migrateToLatest, resolveDatabase } from '@convene/db';
import { createEventStore } from '@convene/eventstore';
import { liveInstance, projectionByName, projections, projectionStatus, rebuildProjection, resumeInstance, verifyProjection, type Progress } from '@convene/projections';

const [command, name] = process.argv.slice(2);
const usage = `usage: projections.ts rebuild|verify|resume <name> | status   (names: ${projections.map((p) => p.name).join(', ')})`;
if (!command || (command !== 'status' && !name)) {
  console.error(usage);
  process.exit(2);
}

// DATABASE_URL, else the embedded PostgreSQL of `npm start` (found running, or started for the command).
const database = await resolveDatabase();
const pool = createPool({ connectionString: database.url, applicationName: 'convene-projections-cli' });
const db = createDb(pool);
await migrateToLatest(db);
// The same unsealing store as every other process: the rebuilt tables hold names, not sealed blobs.
const store = createEventStore({ pool, notify: false });

/** A progress bar over positions (positions are sparse, so the bar shows the share of the position range done). */
function progressBar() {
  const bar = new cliProgress.SingleBar(
    { format: '{bar} {percentage}% | {events} events | {rate} ev/s | ETA {eta_formatted}', etaBuffer: 50, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = 0;
  let base = 0;
  const t0 = performance.now();
  return {
    update(p: Progress) {
      if (!started) {
        started = 1;
        base = p.position;
        bar.start(Math.max(1, p.target - base), 0, { events: 0, rate: 0 });
      }
      const rate = Math.round(p.events / ((performance.now() - t0) / 1000));
      bar.update(Math.min(Math.max(0, p.position - base), Math.max(1, p.target - base)), { events: p.events, rate });
    },
    stop: () => bar.stop(),
  };
}

let code = 0;
try {
  if (command === 'status') {
    console.log(JSON.stringify(await projectionStatus(db), null, 2));
  } else if (command === 'rebuild') {
    const bar = progressBar();
    const r = await rebuildProjection({ db, store, projection: projectionByName(name!), onProgress: bar.update });
    bar.stop();
    console.log(`rebuilt ${name} into ${r.schema}: ${r.events} events, live at position ${r.position}`);
  } else if (command === 'verify') {
    const bar = progressBar();
    const r = await verifyProjection({ db, store, projection: projectionByName(name!), onProgress: bar.update });
    bar.stop();
    if (r.equal) console.log(`${name}: ${r.rows} rows equal a rebuild to position ${r.position}`);
    else {
      code = 1;
      console.log(`${name}: ${r.differences.length} rows differ from a rebuild to position ${r.position}`);
      for (const d of r.differences) console.log(JSON.stringify(d));
    }
  } else if (command === 'resume') {
    const live = await liveInstance(db, projectionByName(name!).name);
    if (!live) throw new Error(`${name} has no live instance`);
    const r = await resumeInstance(db, live.schema_name, projectionByName(name!));
    console.log(
      r.rebuild
        ? `${name}: resumed; parked streams are applied by a rebuild (${r.rebuild}) the projector fills and swaps in`
        : `${name}: resumed; the projector retries the failed event`,
    );
  } else {
    console.error(usage);
    code = 2;
  }
} catch (error) {
  console.error((error as Error).message);
  code = 1;
}
await pool.end();
await database.close();
process.exit(code);
