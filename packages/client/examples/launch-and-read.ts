// The typed client against a running API (`npm start`, then `npm run example -w @convene/client`):
// launches a collaborative, opens a cohort and reads the cohorts back once the read
// models have them (consistentWith the position the command answered). CONVENE_URL (default
// http://127.0.0.1:3000) and CONVENE_API_KEY (default: the development key `npm start` keeps in
// .data/development-admin-key) say where and as whom.
import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConveneClient } from '../src/index';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const baseUrl = process.env.CONVENE_URL ?? 'http://127.0.0.1:3000';
const apiKey = process.env.CONVENE_API_KEY ?? (await readFile(path.join(root, '.data/development-admin-key'), 'utf8').catch(() => '')).trim();
if (!apiKey) {
  console.error('No API key: set CONVENE_API_KEY (or start the API with `npm start`, which keeps a development key)');
  process.exit(2);
}
const convene = createConveneClient({ baseUrl, apiKey });
const today = new Date();
const year = today.getUTCFullYear();

const launched = await convene.POST('/v1/collaboratives', {
  params: { header: { 'idempotency-key': randomUUID() } },
  body: {
    name: `Client example ${today.toISOString().slice(0, 16)}`,
    aim: 'Show the typed client',
    convener: { organizationName: 'Example Division', contact: { personId: randomUUID(), name: 'Casey Convener', email: 'casey@example.org' } },
    focusMeasures: ['waiting_time'],
    startsOn: `${year + 1}-01-01`,
    endsOn: `${year + 1}-12-31`,
    meetingCadence: 'monthly',
    measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
  },
});
if (launched.error) throw new Error(`launch refused: ${launched.error.status} ${launched.error.code} ${launched.error.detail ?? ''}`);
const { collaborativeId } = launched.data;
console.log(`launched collaborative ${collaborativeId} (version ${launched.data.version}, position ${launched.data.position})`);

const cohort = await convene.POST('/v1/collaboratives/{collaborativeId}/cohorts', {
  params: { path: { collaborativeId } },
  body: { name: 'Cohort 1', startsOn: `${year + 1}-02-01`, capacity: 8 },
});
if (cohort.error) throw new Error(`cohort refused: ${cohort.error.status} ${cohort.error.code}`);
console.log(`opened cohort ${cohort.data.cohortId}`);

// Read your write: wait (bounded, server side) until the read models include the command's position.
const read = await convene.GET('/v1/collaboratives/{collaborativeId}/cohorts', {
  params: { path: { collaborativeId }, query: { consistentWith: cohort.data.position } },
});
if (read.error) throw new Error(`read refused: ${read.error.status} ${read.error.code}`);
for (const c of read.data.items) console.log(`cohort ${c.cohortId}: ${c.name}, starts ${c.startsOn}`);

// A refusal comes back as a problem, typed, not thrown.
const refused = await convene.POST('/v1/collaboratives/{collaborativeId}/cohorts', {
  params: { path: { collaborativeId } },
  body: { name: 'Cohort 1', startsOn: `${year + 1}-02-01`, capacity: 0 },
});
console.log(`a cohort of capacity 0: ${refused.response.status} ${refused.error?.code ?? ''} (${refused.error?.errors?.map((e) => e.path).join(', ') ?? ''})`);
