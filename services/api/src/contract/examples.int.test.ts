// issue 17 "Must show": a test posts every operation's documented example and never gets a
// validation 400. The examples are read from the committed openapi/openapi.json (what Swagger UI
// pre-fills), sent to the API on its own test database with the projector running, in the order
// of their story (contract/examples.ts), the clock moved to each step's date. Commands whose path
// names another agency, project, visit or meeting (the declined, withdrawn, abandoned,
// cancelled ones) get that resource made first from the documented creating example, with its id
// changed. Ids the API generates (webhook subscription, calendar feed and its token, the uploaded
// document) stand for the ones the create answered. The two document uploads are multipart, not
// JSON: they send the documented upload fields (DOCUMENT_UPLOAD_EXAMPLE) and a real small PDF.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { lookup } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { testRedisUrl, uniqueRedisPrefix } from '@convene/testkit';
import { startWorkers, type Workers } from '@convene/worker';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { multipart, PDF } from '../documents/test-helpers';
import { DOCUMENT_UPLOAD_EXAMPLE, EXAMPLE_IDS as I, PATH_EXAMPLES } from './examples';
import { declaredResponse } from './shared-responses';

type Json = Record<string, any>;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const doc = JSON.parse(readFileSync(path.join(root, 'openapi/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, Json>> };
const operations = new Map(
  Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => [op.operationId as string, { path: p, method: method.toUpperCase(), op }] as const)),
);

interface Step { operationId: string; at?: string; body?: Json; path?: Record<string, string>; /** made for a later step: must succeed */ setup?: true }

/** A later cohort: a peer mentee must come after its mentor. */
const COHORT2 = '0190a000-0000-7000-8000-000000000012';
const day = (d: string) => (d.length === 10 ? `${d}T09:00:00.000Z` : d);
/** The commands in story order; setup steps make the other resources a command's example names. */
const STORY: Step[] = [
  { operationId: 'launchCollaborative', at: '2025-01-06' },
  { operationId: 'appointSystemRole' },
  { operationId: 'defineMeasure' },
  { operationId: 'retireMeasure' },
  { operationId: 'openCohort' },
  { operationId: 'recordExpenditure', at: '2025-01-30' },
  { operationId: 'correctCollaborativeDates' },
  { operationId: 'changeMeetingCadence' },
  { operationId: 'setBudget' },
  { operationId: 'correctExpenditure' },
  { operationId: 'submitApplication', at: '2025-01-15' },
  { operationId: 'registerOrganisation', at: '2025-01-16' },
  { operationId: 'updateOrganisation' },
  { operationId: 'addSite' },
  { operationId: 'registerPerson' },
  { operationId: 'changePersonContact' },
  { operationId: 'movePerson' },
  { operationId: 'scoreApplication', at: '2025-01-20' },
  { operationId: 'correctApplicationScore' },
  { operationId: 'admitAgency', at: '2025-01-24' },
  { operationId: 'assignAgencyRole', at: '2025-01-27' },
  { operationId: 'removeAgencyRole' },
  { operationId: 'assignCoach' },
  // Issue 18: the plan of the year, proposed, adopted entry by entry and whole, moved, dropped, rebased.
  { operationId: 'proposePlan', at: '2025-01-28' },
  { operationId: 'adoptPlanEntry' },
  { operationId: 'movePlanEntry' },
  { operationId: 'dropPlanEntry' },
  { operationId: 'rebasePlan' },
  { operationId: 'adoptPlan' },
  { operationId: 'submitWalkThrough', at: '2025-02-10' },
  { operationId: 'correctWalkThrough' },
  { operationId: 'recordHeldSiteVisit' },
  { operationId: 'recordHeldMeeting' },
  { operationId: 'attachDocument' },
  { operationId: 'recordBaseline', at: '2025-02-12' },
  { operationId: 'correctBaseline', at: '2025-02-13' },
  { operationId: 'correctBaselinePeriod' },
  { operationId: 'scheduleMeeting', at: '2025-02-14' },
  { operationId: 'scheduleMeeting', body: { meetingId: I.meeting2 }, setup: true },
  // Issue 16: people at meetings.
  { operationId: 'inviteToMeeting' },
  { operationId: 'setMeetingProgramme' },
  { operationId: 'setMeetingCreditHours' },
  { operationId: 'registerForMeeting' },
  { operationId: 'cancelMeetingRegistration' },
  { operationId: 'rescheduleMeeting', at: '2025-02-20' },
  { operationId: 'assignPresenters' },
  { operationId: 'cancelMeeting' },
  { operationId: 'recordAttendance', at: '2025-03-04T21:00:00.000Z' },
  { operationId: 'recordPersonAttendance' },
  { operationId: 'publishMinutes', at: '2025-03-05' },
  { operationId: 'correctMinutes', at: '2025-03-06' },
  { operationId: 'prepareMeetingPacket', at: '2025-03-07' },
  { operationId: 'startChangeProject' },
  { operationId: 'startChangeProject', body: { projectId: I.project2, title: 'Evening intake' }, setup: true },
  { operationId: 'startSystemChangeProject' },
  { operationId: 'logPdsaCycle', at: '2025-03-20' },
  { operationId: 'recordMonthlyMeasures', at: '2025-04-03' },
  { operationId: 'correctMonthlyMeasures', at: '2025-04-05' },
  { operationId: 'scheduleSiteVisit', at: '2025-04-07' },
  { operationId: 'scheduleSiteVisit', body: { visitId: I.visit2, scheduledAt: '2025-05-20T14:00:00Z' }, setup: true },
  { operationId: 'rescheduleSiteVisit', at: '2025-04-08' },
  { operationId: 'cancelSiteVisit' },
  { operationId: 'completeSiteVisit', at: '2025-04-17' },
  { operationId: 'completeChangeProject', at: '2025-05-05' },
  { operationId: 'abandonChangeProject', at: '2025-05-10' },
  { operationId: 'saveMeasuresDraft', at: '2025-05-12' },
  { operationId: 'submitMeasures', at: '2025-05-14' },
  { operationId: 'correctMeasures', at: '2025-05-20' },
  { operationId: 'assessProgress', at: '2025-05-28' },
  { operationId: 'recordCoachingNote', at: '2025-06-04' },
  { operationId: 'sendAnnouncement', at: '2025-06-05' },
  { operationId: 'startChartPhase', at: '2025-06-10' },
  { operationId: 'replaceDocument', at: '2025-06-12' },
  { operationId: 'submitApplication', at: '2025-06-20', body: { agencyId: I.agency2, agencyName: 'Hillside Health' }, setup: true },
  { operationId: 'openCohort', body: { cohortId: COHORT2, name: 'Cohort 2', startsOn: '2025-08-01' }, setup: true },
  { operationId: 'admitAgency', path: { agencyId: I.agency2 }, body: { cohortId: COHORT2 }, setup: true },
  { operationId: 'submitApplication', body: { agencyId: I.agency3, agencyName: 'Lakeside Clinic' }, setup: true },
  { operationId: 'assignPeerMentor', at: '2025-07-02' },
  { operationId: 'logMentoringContact', at: '2025-07-10' },
  { operationId: 'creditRecruitment' },
  { operationId: 'declineApplication' },
  { operationId: 'withdrawAgency', at: '2025-10-01' },
  { operationId: 'completeParticipation', at: '2025-12-15' },
  { operationId: 'voidExpenditure' },
  { operationId: 'removeSystemRole' },
];
/** Sent after every other operation: they end what the others read. */
const LAST = ['revokeCalendarFeed', 'deleteWebhook', 'removeDocument', 'erasePersonalData', 'closeCollaborative'];
/** The multipart operations (documents): their fields, then one real file. */
const UPLOADS: Record<string, { fields: Record<string, string>; file: { name: string; type: string; data: Buffer } }> = {
  attachDocument: { fields: DOCUMENT_UPLOAD_EXAMPLE, file: { name: 'Walk-through report.pdf', type: 'application/pdf', data: PDF } },
  replaceDocument: { fields: {}, file: { name: 'Walk-through report (revised).pdf', type: 'application/pdf', data: Buffer.concat([PDF, Buffer.from('% revised\n')]) } },
};

let t: TestApp;
let projector: RunningProjector;
let workers: Workers;
const generated = new Map<string, string>();
const answers: { operationId: string; status: number; code?: string }[] = [];
/** Declared headers of the answered status that the answer lacked. */
const undeclared: string[] = [];
/** Answers whose Content-Type is not a media type the document declares for their status. */
const undeclaredTypes: string[] = [];

async function send(step: Step): Promise<{ status: number; body: Json }> {
  const operation = operations.get(step.operationId);
  if (!operation) throw new Error(`no operation ${step.operationId} in openapi/openapi.json`);
  if (step.at) t.clock.now = new Date(day(step.at));
  const parameters = (operation.op.parameters ?? []) as Json[];
  let url = operation.path;
  const query = new URLSearchParams();
  for (const p of parameters) {
    if (p.in === 'path') {
      const value = step.path?.[p.name] ?? p.example;
      if (value === undefined) throw new Error(`${step.operationId}: path parameter ${p.name} has no example`);
      url = url.replace(`{${p.name}}`, encodeURIComponent(generated.get(String(value)) ?? String(value)));
    } else if (p.in === 'query' && p.example !== undefined) query.set(p.name, String(p.example));
  }
  const content = (operation.op.requestBody?.content ?? {}) as Json;
  const example = content['application/json']?.example as Json | undefined;
  const upload = content['multipart/form-data'] ? UPLOADS[step.operationId] : undefined;
  if (content['multipart/form-data'] && !upload) throw new Error(`${step.operationId}: a multipart operation this test does not know`);
  if (operation.op.requestBody?.required && example === undefined && !upload) throw new Error(`${step.operationId}: the request body has no example`);
  const form = upload ? multipart({ ...upload.fields, ...step.body }, upload.file) : undefined;
  const response = await t.app.inject({
    url: query.size ? `${url}?${query}` : url,
    headers: { authorization: `Bearer ${t.adminKey}`, ...(form ? { 'content-type': form.contentType } : {}) },
    method: operation.method as 'GET',
    ...(form ? { payload: form.payload } : example !== undefined ? { payload: { ...example, ...step.body } } : {}),
  });
  const body = (String(response.headers['content-type'] ?? '').includes('json') && response.body ? response.json() : {}) as Json;
  answers.push({ operationId: step.operationId, status: response.statusCode, ...(body.code ? { code: body.code } : {}) });
  const answer = declaredResponse(doc, operation.op, String(response.statusCode));
  const declared = Object.keys(answer?.headers ?? {});
  for (const name of declared) if (response.headers[name.toLowerCase()] === undefined) undeclared.push(`${step.operationId} ${response.statusCode} ${name}`);
  // What came back is what the document says comes back (a file is not application/json).
  const type = String(response.headers['content-type'] ?? '').split(';')[0]!.trim();
  const media = Object.keys(answer?.content ?? {});
  if (response.body && !media.includes(type)) undeclaredTypes.push(`${step.operationId} ${response.statusCode} ${type} (declared: ${media.join(', ') || 'no body'})`);
  return { status: response.statusCode, body };
}

beforeAll(async () => {
  // The documented webhook target (example.com) resolves where DNS answers; here the test
  // allows the documentation range its own subscription (below) uses.
  t = await createTestApp({}, { WEBHOOK_ALLOWED_HOSTS: '192.0.2.0/24' });
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  // The delivery workers in the API's process, as `npm start` runs them (their admin routes answer).
  workers = startWorkers({
    pool: t.database.pool,
    store: t.eventStore,
    redisUrl: testRedisUrl(),
    prefix: uniqueRedisPrefix('examples'),
    clock: () => t.clock.now,
    transport: nodemailer.createTransport({ jsonTransport: true }),
    tickIntervalMs: null,
  });
  t.app.deps.workers = workers;
}, 60_000);

afterAll(async () => {
  await t?.app.close();
  await workers?.stop();
  await projector?.stop();
  await t?.close();
});

describe('the documented examples of openapi/openapi.json', () => {
  it('issue 17: every operation has its examples (path parameters, required query parameters, request body)', () => {
    const missing: string[] = [];
    for (const [id, { op }] of operations) {
      for (const p of (op.parameters ?? []) as Json[]) if ((p.in === 'path' || p.required) && p.in !== 'header' && p.example === undefined) missing.push(`${id} ${p.in} ${p.name}`);
      const media = op.requestBody?.content?.['application/json'];
      if (media && op.requestBody.required && media.example === undefined) missing.push(`${id} body`);
    }
    expect(missing).toEqual([]);
  });

  it('issue 17: posted in story order, the commands\' examples are accepted (2xx), none gets a 400 or a 5xx', async () => {
    for (const step of STORY) {
      const { status, body } = await send(step);
      expect(`${step.operationId} ${status} ${body.code ?? ''} ${body.detail ?? ''}`).toMatch(new RegExp(`^${step.operationId} 20[01] {2}$`));
      // The document's examples name the one uploaded here.
      if (step.operationId === 'attachDocument') generated.set(I.document, body.documentId);
    }
    const commands = [...operations.keys()].filter((id) => {
      const { op } = operations.get(id)!;
      return op.description?.startsWith('Sends the domain command') || op.requestBody?.content?.['multipart/form-data'];
    });
    expect(commands.filter((id) => !STORY.some((s) => s.operationId === id) && !LAST.includes(id))).toEqual([]);
  }, 120_000);

  it('issue 17: every other operation, sent with its documented example, never answers 400 or 5xx, and sends the headers and the Content-Type it declares', async () => {
    t.clock.now = new Date('2025-12-20T09:00:00.000Z');
    await projector.idle();
    // The documented webhook: accepted where example.com resolves, else refused for its target only.
    const documented = await send({ operationId: 'createWebhook' });
    const resolves = await lookup('example.com').then(() => true, () => false);
    if (resolves) expect(documented.status).toBe(201);
    else expect({ status: documented.status, code: documented.body.code }).toEqual({ status: 400, code: 'webhook_target_refused' });
    answers.pop();
    // The subscription the other webhook examples stand for (an address this test allows).
    const webhook = documented.status === 201 ? documented : await send({ operationId: 'createWebhook', body: { url: 'https://192.0.2.10/webhooks/convene' } });
    expect(webhook.status).toBe(201);
    generated.set(I.webhook, webhook.body.subscriptionId);
    const feed = await send({ operationId: 'createCalendarFeed' });
    expect(feed.status).toBe(201);
    generated.set(I.feed, feed.body.feedId);
    generated.set(PATH_EXAMPLES.token!, String(feed.body.url).split('/').pop()!);

    const done = new Set([...STORY.map((s) => s.operationId), 'createWebhook', 'createCalendarFeed', ...LAST]);
    const rest = [...operations.keys()].filter((id) => !done.has(id)).sort();
    for (const operationId of [...rest, ...LAST]) {
      if (operationId === 'closeCollaborative') t.clock.now = new Date('2026-01-02T09:00:00.000Z');
      await send({ operationId });
    }
    const refused = answers.filter((a) => a.status === 400 || a.status >= 500);
    expect(refused).toEqual([]);
    // Each operation was sent at least once.
    expect([...operations.keys()].filter((id) => !answers.some((a) => a.operationId === id))).toEqual([]);
    // What answered other than 2xx/304, for the report (a domain or lookup refusal, not a shape error).
    const other = answers.filter((a) => a.status >= 300 && a.status !== 304);
    console.log(`issue 17 examples: ${answers.length} requests, not 2xx: ${JSON.stringify(other)}`);
    // Every response header the document declares for the status answered was sent.
    expect(undeclared).toEqual([]);
    // Every answer's Content-Type is one the document declares for the status answered.
    expect(undeclaredTypes).toEqual([]);
    // Only the dead letter's id names nothing (no delivery has failed here): 404, not a refusal of its shape.
    expect(other).toEqual([{ operationId: 'retryDeadLetter', status: 404, code: 'not_found' }]);
  }, 180_000);
});
