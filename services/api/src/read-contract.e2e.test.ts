// Issue 14 must-shows over HTTP on the seed year: every Location resolves for every role that may
// read it; every GET route × every role is allowed or refused as the role table says, with no
// personal field in any analyst answer; lists come back in date (or name) order whatever ids the
// client chose.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from './test-fixtures/test-app';
import { meetingPeopleSteps } from './test-fixtures/meeting-people-steps';
import { correctionSteps, heldSteps, networkSteps, runSeedYear, SEED_IDS, seedYearSteps, type SeedResult } from './test-fixtures/seed-year';
import { commandRoutes, openApiPath } from './commands/table';
import { commandSchemas } from './commands/schemas';
import { multipart, PDF } from './documents/test-helpers';

type Who = 'admin' | 'scopedAdmin' | 'coach' | 'agency' | 'analyst' | 'auditor';
const WHO: Who[] = ['admin', 'scopedAdmin', 'coach', 'agency', 'analyst', 'auditor'];

let t: TestApp;
let projector: RunningProjector;
let results: SeedResult[];
let keys: Record<Who, string>;
const C = SEED_IDS.collaborative;
const OTHER = '0190afff-0000-7000-8000-000000000099';
/** Agency 1's document (uploaded in beforeAll). */
const DOCUMENT = '0190afff-0000-7000-8000-0000000000d1';
/** An announcement to the stakeholders (issue 18, sent in beforeAll once the read models caught up: its audience resolves from them). */
const ANNOUNCEMENT = '0190afff-0000-7000-8000-0000000000e1';

beforeAll(async () => {
  t = await createTestApp();
  const scope = { collaborativeIds: [C] };
  keys = {
    admin: t.adminKey,
    scopedAdmin: await t.createKey({ name: 'scoped admin', role: 'admin', ...scope }),
    coach: await t.createKey({ name: 'coach', role: 'coach', actorId: SEED_IDS.coach, ...scope, agencyIds: [SEED_IDS.agency1] }),
    agency: await t.createKey({ name: 'agency 1', role: 'agency', actorId: SEED_IDS.agencyChangeLeader, ...scope, agencyIds: [SEED_IDS.agency1] }),
    analyst: await t.createKey({ name: 'analyst', role: 'analyst', ...scope }),
    auditor: await t.createKey({ name: 'auditor', role: 'auditor', ...scope }),
  };
  // The year with every creation, the past-recorded call and visit too (issue 16), before agency 1 completes.
  const year = seedYearSteps();
  const last = year.findIndex((s) => s.command === 'CompleteParticipation');
  const steps = [...year.slice(0, last), ...heldSteps(), ...networkSteps(), ...correctionSteps(), ...year.slice(last)];
  // Issue 16: people at the kick-off, in time order (registered before it, attendance after its per-agency record).
  const people = meetingPeopleSteps();
  steps.splice(steps.findIndex((s) => s.name === 'record the kick-off attendance'), 0, ...people.slice(0, -1));
  steps.splice(steps.findIndex((s) => s.name === 'publish the kick-off minutes'), 0, ...people.slice(-1));
  results = await runSeedYear(t.app, { keys: { admin: keys.admin, coach: keys.coach, agency: keys.agency }, setClock: (at) => (t.clock.now = at), steps });
  const failed = results.find((r) => r.status !== r.step.status);
  if (failed) throw new Error(`seed step "${failed.step.name}" answered ${failed.status}: ${JSON.stringify(failed.body)}`);
  // Uploads are multipart, outside the JSON seed: one agency-level and one collaborative-wide document, followed like the seed's creations.
  t.clock.now = new Date('2025-12-01T10:00:00.000Z');
  for (const [who, targetKind, targetId, documentId] of [
    ['agency', 'agency', SEED_IDS.agency1, DOCUMENT], ['admin', 'collaborative', C, '0190afff-0000-7000-8000-0000000000d2'],
  ] as const) {
    const body = multipart({ documentId, targetKind, targetId, description: 'Walk-through report' }, { name: 'report.pdf', type: 'application/pdf', data: PDF });
    const res = await t.app.inject({ method: 'POST', url: `/v1/collaboratives/${C}/documents`, headers: { authorization: `Bearer ${keys[who]}`, 'content-type': body.contentType }, payload: body.payload });
    const step = { name: `upload a ${targetKind} document`, command: 'AttachDocument', at: t.clock.now.toISOString(), as: who, method: 'POST', url: `/v1/collaboratives/${C}/documents`, body: {}, status: 201 } as const;
    results.push({ step, status: res.statusCode, body: res.json(), headers: res.headers });
  }
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  await projector.idle();
  const url = `/v1/collaboratives/${C}/announcements`;
  const body = { announcementId: ANNOUNCEMENT, subject: 'Year-end report', body: 'The year-end report is out.', audience: 'stakeholders' };
  const announced = await t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${keys.admin}` }, payload: body });
  results.push({ step: { name: 'announce to the stakeholders', command: 'SendAnnouncement', at: t.clock.now.toISOString(), as: 'admin', method: 'POST', url, body, status: 201 }, status: announced.statusCode, body: announced.json(), headers: announced.headers });
  await projector.idle();
}, 120_000);
afterAll(async () => {
  await projector.stop();
  await t.close();
});

const get = (url: string, who: Who) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${keys[who]}` } });
const withPosition = (url: string, p: number) => `${url}${url.includes('?') ? '&' : '?'}consistentWith=${p}`;

/** Who may read what a Location names, by the role table (admin, coach: its agencies, agency: its own, analyst: no personal data, auditor: all). */
function readersOf(location: string): Who[] {
  // Issue 16: agency 1's organisation (no personal data); its people and mentoring contacts (personal).
  if (location.startsWith('/v1/organisations/') && location.endsWith('/mentoring-contacts')) return ['admin', 'scopedAdmin', 'coach', 'agency', 'auditor'];
  if (location.startsWith('/v1/organisations/')) return WHO;
  if (location.startsWith('/v1/people/')) return ['admin', 'scopedAdmin', 'coach', 'agency', 'auditor'];
  const agencyLevel = /\/agencies\/|\/change-projects\/|\/site-visits\//.test(location);
  const ownAgency = location.includes(SEED_IDS.agency1) || [SEED_IDS.project, SEED_IDS.siteVisit].some((id) => location.includes(id));
  if (location.includes('/expenditures/')) return ['admin', 'scopedAdmin', 'coach', 'analyst', 'auditor'];
  if (agencyLevel) return ownAgency ? ['admin', 'scopedAdmin', 'coach', 'agency', 'auditor'] : ['admin', 'scopedAdmin', 'auditor'];
  if (location.includes('/meetings/')) return ['admin', 'scopedAdmin', 'coach', 'agency', 'auditor'];
  // Announcements (issue 18): the story's went to the stakeholders, so no agency reads it.
  if (location.includes('/announcements/')) return ['admin', 'scopedAdmin', 'coach', 'auditor'];
  // Documents (issue 18): agency 1's and collaborative-wide ones, for every reader but analysts.
  if (location.includes('/documents/')) return ['admin', 'scopedAdmin', 'coach', 'agency', 'auditor'];
  return WHO; // collaborative, cohort
}

describe('issue 14: every Location resolves', () => {
  it('issue 14: each creation operation of openapi/openapi.json, followed to its Location, answers 200 to every role that may read it', async () => {
    const doc = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../../openapi/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>> };
    const creations = Object.values(doc.paths).flatMap((ops) => Object.values(ops)).filter((op) => op.responses['201']).map((op) => op.operationId);
    const byOperation = new Map(Object.entries(commandSchemas).map(([type, s]) => [s.operationId, type]));
    // Creations outside the command table (webhook subscriptions, calendar feeds, erasure receipts) are not domain resources.
    const types = creations.flatMap((id) => byOperation.get(id) ?? []);
    expect(creations.filter((id) => !byOperation.has(id)).sort()).toEqual(['createCalendarFeed', 'createWebhook', 'erasePersonalData']);
    // The document and the command table agree on what creates.
    expect([...types].sort()).toEqual(Object.entries(commandRoutes).filter(([, r]) => 'creates' in r).map(([type]) => type).sort());

    const routes = new Set(t.app.routeTable.filter((r) => r.method === 'GET').map((r) => openApiPath(r.url)));
    const failures: string[] = [];
    for (const type of types) {
      const created = results.filter((r) => r.step.command === type && r.status === 201);
      if (created.length === 0) failures.push(`${type}: no seed step creates one (add it to test-fixtures/seed-year.ts)`);
      for (const r of created) {
        const location = String(r.headers.location);
        const template = location.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '{id}');
        const route = [...routes].find((p) => p.replace(/\{\w+\}/g, '{id}') === template);
        if (!route) failures.push(`${type}: no GET route at its Location ${location}`);
        for (const who of readersOf(location)) {
          const res = await get(withPosition(location, Number(r.headers['convene-position'])), who);
          if (res.statusCode !== 200) failures.push(`${type} ${location} as ${who}: ${res.statusCode}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

/** Path parameters of the seed year, in scope of every scoped key. */
const PARAMS: Record<string, string> = {
  collaborativeId: C, agencyId: SEED_IDS.agency1, cohortId: SEED_IDS.cohort1, projectId: SEED_IDS.project, visitId: SEED_IDS.siteVisit,
  meetingId: SEED_IDS.kickOff, expenditureId: SEED_IDS.expenditure, aggregate: 'collaborative', id: C, name: 'progress',
  subscriptionId: OTHER, coachId: SEED_IDS.coach, feedId: OTHER, token: 'cvf_unknown.ics', documentId: DOCUMENT, announcementId: ANNOUNCEMENT, measureId: 'intake_no_show', chart: 'intake_no_show.svg',
  organisationId: SEED_IDS.agency1, personId: SEED_IDS.agencyChangeLeader,
};
/** Query parameters a route needs to answer at all. */
const QUERY: Record<string, string> = {
  '/v1/audit/collaboratives/:collaborativeId/progress': 'at=2025-12-31',
  '/v1/audit/collaboratives/:collaborativeId/report': 'at=2025-12-31',
  '/v1/collaboratives/:collaborativeId/calendar': 'from=2025-03-01&to=2025-03-31',
  '/v1/collaboratives/:collaborativeId/agencies/:agencyId/calendar': 'from=2025-03-01&to=2025-03-31',
  '/v1/collaboratives/:collaborativeId/coaches/:coachId/calendar': 'from=2025-03-01&to=2025-03-31',
};
const fill = (url: string, params = PARAMS) => url.replace(/:(\w+)/g, (_, name: string) => params[name] ?? OTHER);

/**
 * The role table, per GET route (in-scope resources): who is refused (403). Everything else must
 * answer. A route missing here fails the test: classify it when adding it.
 */
const ALL = WHO;
const PERSONAL: Who[] = ['admin', 'scopedAdmin', 'coach', 'agency', 'auditor'];
const EXPECTED_ALLOWED: Record<string, Who[]> = {
  '/health': ALL,
  '/v1/collaboratives': ALL,
  '/v1/collaboratives/:collaborativeId': ALL,
  '/v1/collaboratives/:collaborativeId/cohorts': ALL,
  '/v1/collaboratives/:collaborativeId/cohorts/:cohortId': ALL,
  '/v1/collaboratives/:collaborativeId/people': PERSONAL,
  '/v1/collaboratives/:collaborativeId/expenditures': ['admin', 'scopedAdmin', 'coach', 'analyst', 'auditor'],
  '/v1/collaboratives/:collaborativeId/expenditures/totals': ['admin', 'scopedAdmin', 'coach', 'analyst', 'auditor'],
  '/v1/collaboratives/:collaborativeId/expenditures/:expenditureId': ['admin', 'scopedAdmin', 'coach', 'analyst', 'auditor'],
  '/v1/collaboratives/:collaborativeId/applications': PERSONAL,
  '/v1/collaboratives/:collaborativeId/agencies': ALL,
  '/v1/collaboratives/:collaborativeId/agencies/:agencyId': PERSONAL,
  '/v1/collaboratives/:collaborativeId/agencies/:agencyId/coaching-notes': PERSONAL,
  '/v1/collaboratives/:collaborativeId/deliveries': PERSONAL,
  '/v1/collaboratives/:collaborativeId/cohorts/:cohortId/progress': ['admin', 'scopedAdmin', 'coach', 'analyst', 'auditor'],
  '/v1/collaboratives/:collaborativeId/reports/aggregate': ['admin', 'scopedAdmin', 'coach', 'analyst', 'auditor'],
  // Event histories hold personal values: never analysts. A collaborative's history is collaborative-level (coach: yes).
  '/v1/collaboratives/:collaborativeId/events': ['admin', 'scopedAdmin', 'coach', 'auditor'],
  '/v1/collaboratives/:collaborativeId/agencies/:agencyId/events': ['admin', 'scopedAdmin', 'coach', 'agency', 'auditor'],
  '/v1/change-projects/:projectId/events': ['admin', 'scopedAdmin', 'coach', 'agency', 'auditor'],
  '/v1/site-visits/:visitId/events': ['admin', 'scopedAdmin', 'coach', 'agency', 'auditor'],
  // A meeting's history names every invited agency's attendees: not an agency key's.
  '/v1/meetings/:meetingId/events': ['admin', 'scopedAdmin', 'coach', 'auditor'],
  // Issue 18: the timeline plan names agencies and their lateness: not analysts'; agency keys see their own.
  '/v1/collaboratives/:collaborativeId/plan': PERSONAL,
  '/v1/collaboratives/:collaborativeId/plan/events': ['admin', 'scopedAdmin', 'coach', 'auditor'],
  '/v1/audit/streams/:aggregate/:id/events': ['admin', 'scopedAdmin', 'auditor'],
  '/v1/audit/streams/:aggregate/:id/state': ['admin', 'scopedAdmin', 'auditor'],
  '/v1/audit/collaboratives/:collaborativeId/progress': ['admin', 'scopedAdmin', 'auditor'],
  // The audit team keeps every as-of read to admins and auditors (stricter than the table needs).
  '/v1/audit/collaboratives/:collaborativeId/report': ['admin', 'scopedAdmin', 'auditor'],
  '/v1/events': ['admin', 'scopedAdmin', 'auditor'],
  '/v1/exports/collaboratives/:collaborativeId/monthly-report': ['admin', 'scopedAdmin', 'analyst', 'auditor'],
  '/v1/exports/collaboratives/:collaborativeId/measures-report': ['admin', 'scopedAdmin', 'analyst', 'auditor'],
  '/v1/collaboratives/:collaborativeId/change-projects': PERSONAL,
  '/v1/collaboratives/:collaborativeId/change-projects/:projectId': ['admin', 'scopedAdmin', 'coach', 'agency', 'auditor'],
  '/v1/collaboratives/:collaborativeId/site-visits': PERSONAL,
  '/v1/collaboratives/:collaborativeId/meetings': PERSONAL,
  '/v1/meetings/:meetingId': PERSONAL,
  '/v1/site-visits/:visitId': PERSONAL,
  '/v1/change-projects/:projectId': PERSONAL,
  '/v1/collaboratives/:collaborativeId/calendar': PERSONAL,
  '/v1/collaboratives/:collaborativeId/agencies/:agencyId/calendar': PERSONAL,
  // A coach's calendar spans agencies: not an agency key's.
  '/v1/collaboratives/:collaborativeId/coaches/:coachId/calendar': ['admin', 'scopedAdmin', 'coach', 'auditor'],
  '/v1/collaboratives/:collaborativeId/calendar-feeds': PERSONAL,
  '/v1/collaboratives/:collaborativeId/calendar-feeds/:feedId': PERSONAL,
  // Public: the token in the path authenticates (an unknown one is a 404 for everyone).
  '/v1/calendar-feeds/:token': ALL,
  '/v1/admin/projections': ['admin'], // a global operation: unscoped admins only (issue 12.7)
  // The delivery queue spans every collaborative: unscoped admins only (503 here: no workers in this process).
  '/v1/admin/deliveries/status': ['admin'],
  '/v1/admin/deliveries/dead-letters': ['admin'],
  // Issue 15: the catalogue, reports and charts hold no person data (agency keys: others anonymised,
  // analysts: small cells suppressed); submissions, due lists (contacts) and assessments are agency-level.
  '/v1/collaboratives/:collaborativeId/catalogue': ALL,
  '/v1/collaboratives/:collaborativeId/measures/:measureId/report': ALL,
  '/v1/collaboratives/:collaborativeId/charts/:chart': ALL,
  '/v1/collaboratives/:collaborativeId/submissions': PERSONAL,
  '/v1/collaboratives/:collaborativeId/submissions/due': PERSONAL,
  '/v1/collaboratives/:collaborativeId/agencies/:agencyId/assessments': PERSONAL,
  '/v1/webhooks': ['admin', 'scopedAdmin'],
  '/v1/webhooks/:subscriptionId': ['admin', 'scopedAdmin'],
  '/v1/webhooks/:subscriptionId/deliveries': ['admin', 'scopedAdmin'],
  // The binder (issue 18): file names and contents are free text, never analysts'.
  '/v1/collaboratives/:collaborativeId/documents': PERSONAL,
  '/v1/documents/:documentId': PERSONAL,
  '/v1/documents/:documentId/content': PERSONAL,
  // Issue 18: an agency reads the announcements that reached it (404 for others).
  '/v1/collaboratives/:collaborativeId/announcements': PERSONAL,
  '/v1/collaboratives/:collaborativeId/announcements/:announcementId': PERSONAL,
  // Issue 16: registrations and credit hours are per person; agency keys see their own people only.
  '/v1/meetings/:meetingId/registrations': PERSONAL,
  '/v1/people/:personId/credits': PERSONAL,
  '/v1/collaboratives/:collaborativeId/credits': PERSONAL,
  // Issue 16: organisations and spread hold no personal data; people, mentees' pages and contact notes do.
  '/v1/organisations': ALL,
  '/v1/organisations/:organisationId': ALL,
  '/v1/organisations/:organisationId/mentees': PERSONAL,
  '/v1/organisations/:organisationId/mentoring-contacts': PERSONAL,
  '/v1/people': PERSONAL,
  '/v1/people/:personId': PERSONAL,
  '/v1/spread': ['admin', 'scopedAdmin', 'coach', 'analyst', 'auditor'],
};

/** Every personal value the seed wrote: names and e-mails of people, phones, free text. */
function personalValues(): string[] {
  const out = new Set<string>();
  const FREE_TEXT = new Set(['findings', 'assistance', 'notes', 'note', 'minutes', 'proposal', 'summary', 'who', 'attendees']);
  const walk = (v: unknown, key?: string): void => {
    if (typeof v === 'string') {
      if (key && FREE_TEXT.has(key) && v.length >= 6) out.add(v);
      return;
    }
    if (Array.isArray(v)) return v.forEach((x) => walk(x, key));
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.email === 'string') for (const k of ['name', 'email', 'phone']) if (typeof o[k] === 'string') out.add(o[k] as string);
      for (const [k, x] of Object.entries(o)) walk(x, k);
    }
  };
  for (const step of [...seedYearSteps(), ...heldSteps(), ...networkSteps()]) walk(step.body);
  return [...out];
}

describe('issue 14: role-visibility matrix', () => {
  it('issue 14: every GET route × every role is allowed or refused as the role table says, and analysts see no personal field', async () => {
    const routes = t.app.routeTable.filter((r) => r.method === 'GET' && (r.url.startsWith('/v1') || r.url === '/health'));
    const unclassified = routes.map((r) => r.url).filter((url) => !(url in EXPECTED_ALLOWED));
    expect(unclassified).toEqual([]);
    const secrets = personalValues();
    expect(secrets).toEqual(expect.arrayContaining(['Casey Convener', 'casey.convener@example.org', '555-0100', 'Kick-off venue']));
    const wrong: string[] = [];
    const leaks: string[] = [];
    for (const route of routes) {
      const query = QUERY[route.url];
      const url = `${fill(route.url)}${query ? `?${query}` : ''}`; // the projector is idle: every read model is current
      for (const who of WHO) {
        const res = await get(route.url === '/v1/events' ? '/v1/events?limit=5' : route.url === '/health' ? '/health' : url, who);
        const allowed = EXPECTED_ALLOWED[route.url]!.includes(who);
        const refused = res.statusCode === 403;
        if (allowed === refused || (res.statusCode >= 500 && res.statusCode !== 503) || res.statusCode === 400) wrong.push(`${route.url} as ${who}: ${res.statusCode} (expected ${allowed ? 'allowed' : '403'})`);
        if (who === 'analyst' && res.statusCode === 200) {
          for (const secret of secrets) if (res.body.includes(secret)) leaks.push(`${route.url}: ${secret}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(leaks).toEqual([]);
  });

  it('issue 14: scoped keys are refused another collaborative, and coach and agency keys another agency', async () => {
    const wrong: string[] = [];
    const routes = t.app.routeTable.filter((r) => r.method === 'GET' && r.url.includes(':collaborativeId'));
    for (const route of routes) {
      const query = QUERY[route.url];
      const other = `${fill(route.url, { ...PARAMS, collaborativeId: OTHER })}${query ? `?${query}` : ''}`;
      for (const who of ['scopedAdmin', 'coach', 'agency', 'analyst', 'auditor'] as Who[]) {
        const res = await get(other, who);
        if (![403, 404].includes(res.statusCode)) wrong.push(`${route.url} in another collaborative as ${who}: ${res.statusCode}`);
      }
      if (route.url.includes(':agencyId')) {
        const agency2 = `${fill(route.url, { ...PARAMS, agencyId: SEED_IDS.agency2 })}${query ? `?${query}` : ''}`;
        for (const who of ['coach', 'agency'] as Who[]) {
          const res = await get(agency2, who);
          if (res.statusCode !== 403) wrong.push(`${route.url} for another agency as ${who}: ${res.statusCode}`);
        }
      }
    }
    // Lists filter to what the key may see.
    const agencies = (await get(`/v1/collaboratives/${C}/agencies`, 'agency')).json().items.map((a: { agencyId: string }) => a.agencyId);
    if (JSON.stringify(agencies) !== JSON.stringify([SEED_IDS.agency1])) wrong.push(`agency key lists agencies ${agencies}`);
    const people = (await get(`/v1/collaboratives/${C}/people?limit=200`, 'agency')).json().items as { agencyId: string | null }[];
    if (people.some((p) => p.agencyId !== null && p.agencyId !== SEED_IDS.agency1)) wrong.push('agency key sees another agency\'s people');
    if (!people.some((p) => p.agencyId === null)) wrong.push('agency key misses the staff');
    const applications = (await get(`/v1/collaboratives/${C}/applications`, 'agency')).json().items.map((a: { agencyId: string }) => a.agencyId);
    if (JSON.stringify(applications) !== JSON.stringify([SEED_IDS.agency1])) wrong.push(`agency key lists applications ${applications}`);
    expect(wrong).toEqual([]);
  });
});

describe('issue 14: lists in business order whatever ids clients choose', () => {
  const post = async (url: string, body: Record<string, unknown>) => {
    const r = await t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${keys.admin}` }, payload: body });
    expect(r.statusCode).toBe(201);
    return Number(r.headers['convene-position']);
  };
  /** Every item of a list, page by page (limit 1: the cursor carries the order). */
  const all = async (url: string, p: number) => {
    const items: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(withPosition(`${url}${url.includes('?') ? '&' : '?'}limit=1${cursor ? `&cursor=${cursor}` : ''}`, p), 'admin');
      expect(res.statusCode).toBe(200);
      const page = res.json() as { items: Record<string, unknown>[]; nextCursor: string | null };
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };

  it('issue 14: expenditures with ids chosen against their dates come back in date order (and reversed with -spentOn)', async () => {
    const dated = [
      ['0190afff-0000-7000-8000-0000000000e9', '2025-02-14'],
      ['0190afff-0000-7000-8000-0000000000e1', '2025-05-02'],
      ['0190afff-0000-7000-8000-0000000000e5', '2025-03-30'],
    ] as const;
    let p = 0;
    for (const [expenditureId, spentOn] of dated) p = await post(`/v1/collaboratives/${C}/expenditures`, { expenditureId, amountCents: 1000, category: 'travel', spentOn });
    const dates = (await all(`/v1/collaboratives/${C}/expenditures`, p)).map((e) => e.spentOn as string);
    expect(dates).toEqual([...dates].sort());
    expect(dates).toEqual(expect.arrayContaining(dated.map(([, d]) => d)));
    const reversed = (await all(`/v1/collaboratives/${C}/expenditures?sort=-spentOn`, p)).map((e) => e.spentOn as string);
    expect(reversed).toEqual([...dates].reverse());
  });

  it('issue 14: cohorts come back by start date and by name, collaboratives by name', async () => {
    const p1 = await post(`/v1/collaboratives/${C}/cohorts`, { cohortId: '0190afff-0000-7000-8000-0000000000c1', name: 'Zeta cohort', startsOn: '2025-04-01', capacity: 4 });
    const p2 = await post(`/v1/collaboratives/${C}/cohorts`, { cohortId: '0190afff-0000-7000-8000-0000000000c0', name: 'alpha cohort', startsOn: '2025-10-01', capacity: 4 });
    const p = Math.max(p1, p2);
    const byDate = (await all(`/v1/collaboratives/${C}/cohorts`, p)).map((c) => c.startsOn as string);
    expect(byDate).toEqual([...byDate].sort());
    expect(byDate).toHaveLength(4);
    const byName = (await all(`/v1/collaboratives/${C}/cohorts?sort=name`, p)).map((c) => c.name as string);
    expect(byName).toEqual([...byName].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(byName[0]).toBe('alpha cohort');
    const names = (await all('/v1/collaboratives?sort=name', p)).map((c) => c.name);
    expect(names).toEqual(['Access to Treatment 2025']);
  });
});
