// `npm run seed`: writes a realistic demo collaborative through the public HTTP API of a running
// Convene (the step after `npm start`), dated relative to today: see scripts/seed/plan.ts for what
// it holds and what the domain does not let it date in the past.
// Where: CONVENE_API_URL (default http://127.0.0.1:$PORT, PORT default 3000). Which key:
// CONVENE_API_KEY, else the development admin key of the embedded default (the one `npm start`
// prints, kept under CONVENE_DATA_DIR; found through the embedded PostgreSQL like every script).
// Each run writes a new collaborative (fresh ids), so it can be run again.
import path from 'node:path';
import { createPool, resolveDatabase } from '@convene/db';
import { ensureDevelopmentAdminKey } from '@convene/api';
import { isoDay } from './seed/calendar';
import { seedClient } from './seed/client';
import { seedPlan, type Command, type Step } from './seed/plan';

const baseUrl = (process.env.CONVENE_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/$/, '');

async function adminKey(): Promise<string> {
  if (process.env.CONVENE_API_KEY) return process.env.CONVENE_API_KEY;
  if (process.env.DATABASE_URL) throw new Error('With DATABASE_URL, give an admin key in CONVENE_API_KEY (npm run api-keys -- create --role admin)');
  const database = await resolveDatabase({ log: () => undefined });
  const pool = createPool({ connectionString: database.url, max: 1, applicationName: 'convene-seed' });
  try {
    return (await ensureDevelopmentAdminKey(pool, path.resolve(process.env.CONVENE_DATA_DIR ?? '.data'))).key;
  } finally {
    await pool.end();
    await database.close();
  }
}

const health = await fetch(`${baseUrl}/health/live`).catch(() => null);
if (!health?.ok) {
  console.error(`No Convene API answers at ${baseUrl}: start it first (npm start), or set CONVENE_API_URL.`);
  process.exit(1);
}
const client = seedClient(baseUrl, await adminKey());
const today = isoDay(new Date());
const { plan, ids, collaborativeName } = seedPlan(today);
const run = `seed-${ids.collaborativeId}`;
let sent = 0;
const started = performance.now();

async function runStep(step: Step): Promise<void> {
  if ('until' in step) {
    const ms = Date.parse(step.until()) - Date.now();
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms + 250));
    return;
  }
  const command = step as Command;
  const body = typeof command.body === 'function' ? command.body() : command.body;
  const res = await client.send(command.method, command.url, body, `${run}-${sent++}`);
  if (res.status >= 300) throw new Error(`"${command.name}" answered ${res.status}: ${JSON.stringify(res.body)}`);
}

try {
  for (const phase of plan) await Promise.all(phase.map(async (chain) => { for (const step of chain) await runStep(step); }));
} catch (error) {
  console.error(`seed failed after ${sent} commands: ${(error as Error).message}`);
  process.exit(1);
}
const c = `/v1/collaboratives/${ids.collaborativeId}`;
process.stdout.write([
  `Seeded "${collaborativeName}" through ${baseUrl} (${sent} commands, ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  `  collaborative  ${ids.collaborativeId}`,
  `  cohorts        ${ids.cohorts.join(', ')}`,
  `  try            GET ${c}, ${c}/agencies, ${c}/applications, ${c}/meetings`,
  `  (the read models catch up within a second; /docs lists every read)`,
  '',
].join('\n'));
