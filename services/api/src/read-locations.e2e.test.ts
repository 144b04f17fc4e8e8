// Issue 14 must-show over HTTP on the seed year: every Location resolves for every role that may
// read it (the role table of all reads is read-contract.e2e.test.ts's).
import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SEED_IDS } from './test-fixtures/seed-year';
import { commandRoutes, openApiPath } from './commands/table';
import { commandSchemas } from './commands/schemas';
import { get, results, t, useReadContractFixture, WHO, withPosition, type Who } from './test-fixtures/read-contract-fixture';

useReadContractFixture();

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
