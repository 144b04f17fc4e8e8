// Generated ONCE and committed with its output packages/projections/src/fixtures/seed-history.json:
// the events today's code stores for the seed's collaborative (`npm run seed`, run as its own
// process through HTTP against a test API with the real clock and the projector running), and
// every figure today's reads compute from them (history-figures.ts). The test
// seed-history.int.test.ts replays the events into a fresh database and requires the same figures,
// so a later schema change (an upcaster, a new projection version) is checked against today's
// stored history. Re-running writes a new history (new ids, new dates): do so only on purpose.
// Run: TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_REDIS_URL=redis://127.0.0.1:6379 npx tsx scripts/generate-seed-history.ts
import { spawn } from 'node:child_process';
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projections, startProjectorRuntime, testing } from '@convene/projections';
import { historyFigures } from '../packages/projections/src/fixtures/history-figures';
import { createTestApp } from '../services/api/src/test-fixtures/test-app';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const t = await createTestApp({ clock: () => new Date() });
const projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 50 });
try {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const stdout = await new Promise<string>((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CONVENE_API_URL: base, CONVENE_API_KEY: t.adminKey };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/seed.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`seed exited ${code}`))));
  });
  const collaborativeId = /collaborative\s+([0-9a-f-]{36})/.exec(stdout)![1]!;
  const cohortIds = /cohorts\s+(.+)/.exec(stdout)![1]!.split(',').map((s) => s.trim());
  await projector.idle();
  const today = new Date().toISOString().slice(0, 10);
  const year = Number(today.slice(0, 4));
  // The seed's collaborative is in the 7th month of its year: the calendar of the year around today.
  const scope = { collaborativeId, cohortIds, today, calendar: { from: `${today.slice(0, 7)}-01T00:00:00.000Z`, to: `${year + 1}${today.slice(4, 7)}-01T00:00:00.000Z` } };
  scope.calendar.from = new Date(Date.parse(scope.calendar.from) - 200 * 86_400_000).toISOString();
  const figures = await historyFigures(t.database.db, scope);
  const events = (await testing.readLog(t.eventStore)).map((e) => ({
    streamId: e.streamId, type: e.type, schemaVersion: e.metadata.storedSchemaVersion, data: e.data,
    // As appended (the store adds the event id, recording time and schema versions itself).
    metadata: Object.fromEntries(Object.entries(e.metadata).filter(([k]) => !['eventId', 'recordedAt', 'schemaVersion', 'storedSchemaVersion'].includes(k))),
    recordedAt: e.recordedAt.toISOString(),
  }));
  const commit = execSync('git rev-parse --short HEAD', { cwd: root }).toString().trim();
  const out = { generatedBy: `scripts/generate-seed-history.ts at commit ${commit}`, scope, events, figures };
  // One event per line: diffs of a later re-generation stay readable.
  const json = `{\n"generatedBy": ${JSON.stringify(out.generatedBy)},\n"scope": ${JSON.stringify(scope)},\n"events": [\n${events.map((e) => JSON.stringify(e)).join(',\n')}\n],\n"figures": ${JSON.stringify(figures, null, 1)}\n}\n`;
  writeFileSync(path.join(root, 'packages/projections/src/fixtures/seed-history.json'), json);
  console.log(`${events.length} events; collaborative ${collaborativeId}; cohorts ${cohortIds.join(', ')}`);
} finally {
  await projector.stop();
  await t.close();
}
