// Issue 14 must-shows over HTTP on the seed year: every GET route × every role is allowed or
// refused as the role table says, with no personal field in any analyst answer; scoped keys see
// only their collaborative and agency. (Locations: read-locations.e2e.test.ts; list order:
// list-order.e2e.test.ts; the shared set-up: test-fixtures/read-contract-fixture.ts.)
import { describe, it, expect } from '@jest/globals';
import { heldSteps, networkSteps, SEED_IDS, seedYearSteps } from './test-fixtures/seed-year';
import { ANNOUNCEMENT, C, DOCUMENT, get, OTHER, t, useReadContractFixture, WHO, type Who } from './test-fixtures/read-contract-fixture';

useReadContractFixture();

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
