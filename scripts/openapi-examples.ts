// `npm run openapi:examples`: records a realistic example answer for every JSON GET operation
// into services/api/src/read-examples.ts (generated; bundled with the API), which the OpenAPI
// document attaches to the operations' 200 responses (then run `npm run openapi:write`). The answers are real: the seed year (services/api/src/test-fixtures/seed-year.ts)
// with the frontend screens' additions is written over HTTP into a scratch test database, the
// read models catch up, then each GET route is read as an admin. Lists keep their first two items.
// Operations it cannot read here (the workers' admin routes: the workers do not run in it) keep
// the hand-written example already in the file. Beyond the seed year it writes what the newer reads
// show: the coach's progress assessment and a saved draft (the measures reads, issue 15) and a
// document in the binder (a real PDF uploaded as multipart, issue 18), a budget and a system-level
// change project with a cycle (issue 16). Needs TEST_DATABASE_URL (a
// PostgreSQL it may create a database in).
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProjectorRuntime, projections } from '@convene/projections';
import { createTestApp } from '../services/api/src/test-fixtures/test-app';
import { correctionSteps, runSeedYear, SEED_IDS as ID, type SeedStep } from '../services/api/src/test-fixtures/seed-year';
import { allSteps, at } from '../services/api/src/test-fixtures/screen-extras';
import { meetingPeopleSteps } from '../services/api/src/test-fixtures/meeting-people-steps';
import { multipart, PDF } from '../services/api/src/documents/test-helpers';
import { READ_EXAMPLES } from '../services/api/src/read-examples';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const READ_EXAMPLES_FILE = 'services/api/src/read-examples.ts';
const file = path.join(root, READ_EXAMPLES_FILE);
const C = ID.collaborative;
const A1 = `/v1/collaboratives/${C}/agencies/${ID.agency1}`;

/** What the seed year lacks for the measures reads: an assessed month and a saved draft of agency 1. */
const measureSteps: SeedStep[] = [
  { name: 'the coach assesses May', command: 'AssessProgress', at: at('2025-06-05'), as: 'coach', method: 'POST', url: `${A1}/assessments`, status: 200,
    body: { period: '2025-05', coachId: ID.coach, score: 3, comment: 'Walk-in intake is policy; waiting time down by 40% against the baseline.' } },
  { name: 'agency 1 saves a draft of June', command: 'SaveMeasuresDraft', at: at('2025-07-02'), as: 'agency', method: 'PUT', url: `${A1}/submissions/drafts`, status: 200,
    body: { period: '2025-06', values: { waiting_time: { total: 455, cases: 28 }, intake_no_show: { numerator: 9, denominator: 51 } } } },
];
/** The seed year's steps with these, by their clock (seed steps first on a tie). */
const steps = [...allSteps(), ...measureSteps, ...correctionSteps(), ...meetingPeopleSteps()].map((step, i) => ({ step, i })).sort((a, b) => a.step.at.localeCompare(b.step.at) || a.i - b.i).map(({ step }) => step);

const t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
try {
  const keys = {
    admin: t.adminKey,
    coach: await t.createKey({ name: 'coach', role: 'coach', actorId: ID.coach, collaborativeIds: [C], agencyIds: [ID.agency1] }),
    agency: await t.createKey({ name: 'agency 1', role: 'agency', actorId: ID.agencyChangeLeader, collaborativeIds: [C], agencyIds: [ID.agency1] }),
  };
  const results = await runSeedYear(t.app, { keys, setClock: (when) => (t.clock.now = when), steps });
  const failed = results.find((r) => r.status !== r.step.status);
  if (failed) throw new Error(`seed step "${failed.step.name}" answered ${failed.status}: ${JSON.stringify(failed.body)}`);
  const post = async (url: string, payload: object) => (await t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${t.adminKey}` }, payload })).json();
  const feed = await post(`/v1/collaboratives/${C}/calendar-feeds`, { scope: 'agency', agencyId: ID.agency1, name: 'Riverside Recovery: Convene' });
  const hook = await post('/v1/webhooks', { url: 'http://127.0.0.1:9/convene-events', types: ['MeetingScheduled', 'MinutesPublished'], collaborativeId: C, description: 'Our intranet calendar' });
  // A document of the binder: agency 1's walk-through report, uploaded by its coach three days after it.
  t.clock.now = new Date(at('2025-02-10'));
  const form = multipart({ targetKind: 'agency', targetId: ID.agency1, description: 'Walk-through of intake: findings and flowchart', documentDate: '2025-02-07' }, { name: 'Walk-through report.pdf', type: 'application/pdf', data: PDF });
  const uploaded = await t.app.inject({ method: 'POST', url: `/v1/collaboratives/${C}/documents`, headers: { authorization: `Bearer ${keys.coach}`, 'content-type': form.contentType }, payload: form.payload });
  if (uploaded.statusCode !== 201) throw new Error(`the document upload answered ${uploaded.statusCode}: ${uploaded.body}`);
  const projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  await projector.idle();
  // An announcement to every agency taking part (issue 18): its audience resolves from the read models, so after they caught up.
  t.clock.now = new Date(at('2025-06-10'));
  const announced = await post(`/v1/collaboratives/${C}/announcements`, {
    subject: 'Learning session moved to 12 June', body: 'The June learning session moves to 12 June, same time and room. Please bring your run charts.',
    audience: 'all_agencies',
  });
  if (!announced.announcementId) throw new Error(`the announcement answered ${JSON.stringify(announced)}`);
  await projector.idle();
  await projector.stop();

  const values: Record<string, string> = {
    collaborativeId: C, agencyId: ID.agency1, cohortId: ID.cohort1, meetingId: ID.kickOff, visitId: ID.siteVisit, projectId: ID.project,
    expenditureId: ID.expenditure, coachId: ID.coach, feedId: feed.feedId, subscriptionId: hook.subscriptionId, aggregate: 'participation', id: `${C}_${ID.agency1}`,
    documentId: uploaded.json().documentId, measureId: 'waiting_time', chart: 'waiting_time.svg', announcementId: announced.announcementId,
    personId: ID.agencyChangeLeader,
  };
  const query: Record<string, string> = {
    getCollaborativeCalendar: 'from=2025-03-01&to=2025-03-31', getAgencyCalendar: 'from=2025-04-01&to=2025-04-30', getCoachCalendar: 'from=2025-04-01&to=2025-04-30',
    listEvents: 'limit=2', listDueSubmissions: 'today=2025-07-15', getAuditStreamState: 'at=2025-03-01T00:00:00Z', getCohortProgressAsOf: 'at=2025-04-30T00:00:00Z', getAggregateReportAsOf: 'at=2025-06-30T00:00:00Z',
  };
  // Lists (also nested ones: measures, cycles, events) keep their first two entries: enough to show the shape.
  const trim = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.slice(0, 2).map(trim);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, trim(v)]));
    return value;
  };
  // Local addresses of this run read as the ones an integrator would use.
  const tidy = (text: string) => text.replaceAll('http://127.0.0.1:9/convene-events', 'https://intranet.example.org/convene-events');

  const examples: Record<string, unknown> = { ...READ_EXAMPLES };
  const missing: string[] = [];
  for (const route of t.app.routeTable) {
    const { operationId } = route;
    if (route.method !== 'GET' || !operationId || !/^\/(v1|health)/.test(route.url) || route.url.includes(':token')) continue;
    const url = route.url.replace(/:(\w+)/g, (_, name: string) => values[name] ?? `:${name}`);
    const r = await t.app.inject({ method: 'GET', url: `${url}${query[operationId] ? `?${query[operationId]}` : ''}`, headers: { authorization: `Bearer ${t.adminKey}` } });
    const json = r.headers['content-type']?.toString().startsWith('application/json');
    // A file or a picture (the document's content, the SVG chart) has no JSON example to record.
    if (r.statusCode === 200 && !json) continue;
    if (r.statusCode !== 200) {
      if (!(operationId in examples)) missing.push(`${operationId} (${r.statusCode})`);
      continue;
    }
    examples[operationId] = JSON.parse(tidy(JSON.stringify(trim(r.json()))));
  }
  const sorted = Object.fromEntries(Object.entries(examples).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(file, [
    '// Generated by `npm run openapi:examples` (scripts/openapi-examples.ts): a real answer of each JSON GET',
    '// operation over the seed year, attached to its 200 response in the OpenAPI document. Entries the',
    '// script cannot read (the workers\' admin routes) are kept as written.',
    'export const READ_EXAMPLES: Record<string, unknown> = {',
    ...Object.entries(sorted).map(([id, example]) => `  ${JSON.stringify(id)}: ${JSON.stringify(example)},`),
    '};',
    '',
  ].join('\n'));
  console.log(`wrote ${READ_EXAMPLES_FILE} (${Object.keys(sorted).length} operations)${missing.length ? `; no example for ${missing.join(', ')}` : ''}`);
} finally {
  await t.close();
}
