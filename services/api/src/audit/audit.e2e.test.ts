import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { streamIds } from '@convene/domain';
import { createAuditTestApp, seedYear, SEED, type AuditTestApp } from './test-support';

let t: AuditTestApp;
let seeded: { events: number };
beforeAll(async () => {
  t = await createAuditTestApp();
  seeded = await seedYear(t.store);
});
afterAll(async () => {
  await t.close();
});

const get = async (url: string, key: string) => {
  const r = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
  const isJson = String(r.headers['content-type'] ?? '').includes('json');
  return { status: r.statusCode, body: (isJson ? r.json() : null) as any, text: r.body };
};
const participationId = `${SEED.collaborativeId}_${SEED.agencies[0]}`;

describe('history', () => {
  it('pages the events of an aggregate with their metadata, for auditors and admins only', async () => {
    const url = `/v1/audit/streams/participation/${participationId}/events?limit=3`;
    const first = await get(url, t.keys.auditor);
    expect(first.status).toBe(200);
    expect(first.body.items.map((e: any) => e.streamVersion)).toEqual([1, 2, 3]);
    expect(first.body.items[0]).toMatchObject({
      type: 'ApplicationSubmitted',
      metadata: { actorId: 'seed', actorRole: 'admin', occurredAt: '2025-01-10T10:00:00.000Z', commandType: 'SubmitApplication' },
    });
    expect(first.body.items[0].metadata.correlationId).toMatch(/^seed-/);
    const rest = await get(`${url}&cursor=${first.body.nextCursor}`, t.keys.admin);
    expect(rest.body.items[0].streamVersion).toBe(4);
    expect((await get(url, t.keys.coach)).status).toBe(403);
    expect((await get(url, t.keys.analyst)).status).toBe(403);
    expect((await get(`/v1/audit/streams/meeting/${SEED.agencies[2]}/events`, t.keys.auditor)).status).toBe(404);
  });
});

describe('as of', () => {
  it('folds a stream up to a time or a version', async () => {
    const base = `/v1/audit/streams/participation/${participationId}/state`;
    const atKickOff = await get(`${base}?at=${SEED.kickOff}T00:00:00Z`, t.keys.auditor);
    expect(atKickOff.status).toBe(200);
    expect(JSON.stringify(atKickOff.body.state)).toContain('2025-02-28'); // the baseline
    expect(atKickOff.body.version).toBeLessThan(atKickOff.body.currentVersion);
    const v1 = await get(`${base}?version=1`, t.keys.auditor);
    expect(v1.body.state.status).toBe('applied');
    const project = await get(`/v1/audit/streams/changeproject/${SEED.projects[0]}/state?at=${SEED.kickOff}T23:59:59Z`, t.keys.auditor);
    expect(project.body).toMatchObject({ version: 0, state: { status: 'none' } });
    const projectEnd = await get(`/v1/audit/streams/changeproject/${SEED.projects[0]}/state?at=${SEED.end}T23:59:59Z`, t.keys.auditor);
    expect(projectEnd.body.state.status).toBe('completed');
  });

  it('the seeded year: at the kick-off the baseline and no change project; at the end the completed projects', async () => {
    const url = `/v1/audit/collaboratives/${SEED.collaborativeId}/progress`;
    const kickOff = await get(`${url}?at=${SEED.kickOff}`, t.keys.auditor);
    expect(kickOff.status).toBe(200);
    expect(kickOff.body.agencies).toHaveLength(3);
    for (const a of kickOff.body.agencies) {
      expect(a.baseline_from).toBe('2025-01-01');
      expect(a.projects_total ?? 0).toBe(0);
      expect(a.months_reported ?? []).toEqual([]);
    }
    const end = await get(`${url}?at=${SEED.end}`, t.keys.auditor);
    for (const a of end.body.agencies) {
      expect(a.projects_completed).toBe(1);
      expect(a.months_reported).toEqual(['2025-03', '2025-04', '2025-05', '2025-06']);
    }
    const report = await get(`/v1/audit/collaboratives/${SEED.collaborativeId}/report?at=2025-04-30`, t.keys.auditor);
    const months = [...new Set(report.body.cells.map((c: any) => c.month))];
    expect(months).toEqual(['2025-03', '2025-04', 'total']);
    const march = report.body.cells.find((c: any) => c.cohortId === 'all' && c.month === '2025-03');
    // Pooled: sum of no-shows over sum of scheduled (1+2+3)/(20+23+26).
    expect(march.rates.intake_no_show_rate).toBeCloseTo(6 / 69, 4);
  });
});

describe('erasure', () => {
  it('erases a person from history, as-of state, feed and rebuilt read models; the event count is unchanged', async () => {
    const count = async () => Number((await t.database.pool.query('SELECT count(*) AS n FROM events')).rows[0].n);
    const raw = async () => (await t.database.pool.query('SELECT data::text AS d FROM events')).rows.map((r: any) => r.d).join('\n');
    expect(await count()).toBe(seeded.events);
    // The raw table never holds the plain name or e-mail.
    for (const secret of [SEED.ada.name, SEED.ada.email, SEED.contactEmail, SEED.contactName]) expect(await raw()).not.toContain(secret);
    const history = `/v1/audit/streams/participation/${participationId}/events?limit=200`;
    expect((await get(history, t.keys.auditor)).text).toContain(SEED.ada.name);

    expect((await t.app.inject({ method: 'POST', url: '/v1/privacy/erasures', headers: { authorization: `Bearer ${t.keys.auditor}` }, payload: { personId: SEED.ada.personId } })).statusCode).toBe(403);
    const erased = await t.app.inject({
      method: 'POST', url: '/v1/privacy/erasures', headers: { authorization: `Bearer ${t.keys.admin}` },
      payload: { personId: SEED.ada.personId, email: SEED.ada.email, name: SEED.ada.name },
    });
    expect(erased.statusCode).toBe(201);
    expect(erased.json().keysDeleted).toBe(2); // person:<id> and name:<hash>; her e-mail was only ever in the person
    const contact = await t.app.inject({
      method: 'POST', url: '/v1/privacy/erasures', headers: { authorization: `Bearer ${t.keys.admin}` }, payload: { email: SEED.contactEmail },
    });
    expect(contact.json().keysDeleted).toBe(1);
    expect(JSON.stringify(erased.json())).not.toContain(SEED.ada.name);

    expect(await count()).toBe(seeded.events + 2); // only the two PersonalDataErased events were added
    const secrets = [SEED.ada.name, SEED.ada.email, SEED.contactEmail, SEED.contactName];
    const responses = [
      (await get(history, t.keys.auditor)).text,
      (await get(`/v1/audit/streams/meeting/${SEED.kickOffMeetingId}/events`, t.keys.auditor)).text,
      (await get(`/v1/audit/streams/changeproject/${SEED.projects[0]}/events`, t.keys.auditor)).text,
      (await get(`/v1/audit/streams/participation/${participationId}/state`, t.keys.auditor)).text,
      (await get(`/v1/audit/collaboratives/${SEED.collaborativeId}/progress?at=${SEED.end}`, t.keys.auditor)).text,
      (await get('/v1/events?limit=1000', t.keys.auditor)).text,
      (await get(`/v1/exports/collaboratives/${SEED.collaborativeId}/monthly-report?format=csv`, t.keys.admin)).text,
    ];
    for (const text of responses) for (const secret of secrets) expect(text).not.toContain(secret);
    // Placeholders still parse, and other people are untouched.
    expect(responses[0]).toContain('[erased]');
    expect(responses[0]).toContain('erased@erased.invalid');
    expect(responses[1]).toContain('Sam Other');
    expect(responses[5]).toContain('PersonalDataErased');
    expect(responses[5]).toContain(SEED.casey.email);
  });
});

describe('replay dry-run', () => {
  it('reports nothing on a sound log, and names an event that no longer parses', async () => {
    const run = async (key = t.keys.admin) => t.app.inject({ method: 'POST', url: '/v1/admin/replay/dry-run', headers: { authorization: `Bearer ${key}` } });
    expect((await run(t.keys.auditor)).statusCode).toBe(403);
    const sound = (await run()).json();
    expect(sound.problems).toEqual([]);
    expect(sound.events).toBe(seeded.events);
    expect(sound.skipped).toBe(2); // the PersonalDataErased events
    await t.store.appendToStream('meeting-0196ffff-0000-7000-8000-000000000001', [{ type: 'MeetingScheduled', data: { meetingId: 'nope' } }], {
      expectedVersion: 'no_stream', metadata: { actorId: 'old-code', actorRole: 'admin', correlationId: 'x' },
    });
    const broken = (await run()).json();
    expect(broken.problems).toHaveLength(1);
    expect(broken.problems[0]).toMatchObject({ type: 'MeetingScheduled', problem: 'schema_mismatch' });
  });
});

describe('stream ids', () => {
  it('match the domain', () => {
    expect(streamIds.participation(SEED.collaborativeId, SEED.agencies[0]!)).toBe(`participation-${participationId}`);
  });
});
