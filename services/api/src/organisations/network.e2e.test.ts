// Issue 16 (Must show), over HTTP with the projector running: collaborative A with a provider that
// completes; collaborative B, later and of the same convener, takes that provider as peer mentor of
// one of its agencies; the mentor's own agency key logs a contact and reads its mentee's progress
// (and nothing else of other agencies); the organisation's page shows its history and mentoring;
// GET /v1/spread shows both collaboratives' coverage with the right counts, now and over time.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { projections, startProjectorRuntime, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';

const id = (n: number) => `0190e000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const [A, B] = [id(1), id(2)];
const [KA, KB] = [id(11), id(12)];
/** P1 completes A and mentors P3 in B; P2 withdraws from A; P4 is in B without a mentor. */
const [P1, P2, P3, P4] = [id(21), id(22), id(23), id(24)];
const PAYER = id(31);
const PERSON = id(41);
const CONTACT = id(51);
const person = (personId: string, name: string) => ({ personId, name, email: `${name.toLowerCase().replace(/ /g, '.')}@example.org` });
const counts = { clientsTreated: 22, totalDaysToTreatment: 580, intakeScheduled: 48, intakeNoShows: 15 };

let t: TestApp;
let projector: RunningProjector;
let keys: { admin: string; adminB: string; mentor: string; mentee: string; analyst: string };
let position = 0;

async function send(key: string, method: 'POST' | 'PUT', url: string, body: object, at: string, expected = [200, 201]) {
  t.clock.now = new Date(at);
  const res = await t.app.inject({ method, url, headers: { authorization: `Bearer ${key}` }, payload: body });
  if (!expected.includes(res.statusCode)) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  position = Math.max(position, Number(res.headers['convene-position'] ?? 0));
  return res;
}
const get = (key: string, url: string) =>
  t.app.inject({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}consistentWith=${position}`, headers: { authorization: `Bearer ${key}` } });

async function launch(c: string, cohort: string, year: number) {
  const admin = t.adminKey;
  await send(admin, 'POST', '/v1/collaboratives', {
    collaborativeId: c, name: `Access ${year}`, aim: 'Cut days to treatment', focusMeasures: ['waiting_time', 'intake_no_show'],
    convener: { organizationName: 'State Division of Substance Use Services', contact: person(id(90 + year - 2024), 'Casey Convener') },
    startsOn: `${year}-01-01`, endsOn: `${year}-12-31`, meetingCadence: 'monthly', measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
  }, `${year}-01-02T09:00:00Z`);
  await send(admin, 'POST', `/v1/collaboratives/${c}/cohorts`, { cohortId: cohort, name: `Cohort ${year}`, startsOn: `${year}-02-01`, capacity: 5 }, `${year}-01-02T09:00:00Z`);
}
async function join(c: string, cohort: string, agency: string, name: string, at: string) {
  await send(t.adminKey, 'POST', `/v1/collaboratives/${c}/applications`, { agencyId: agency, agencyName: name, contact: { name: `${name} Director`, email: 'director@example.org' }, proposal: 'Walk-in intake' }, at);
  await send(t.adminKey, 'POST', `/v1/collaboratives/${c}/agencies/${agency}/admission`, { cohortId: cohort }, at);
}

beforeAll(async () => {
  t = await createTestApp();
  keys = {
    admin: t.adminKey,
    adminB: await t.createKey({ name: 'admin of B', role: 'admin', collaborativeIds: [B] }),
    // The mentor's key is the one it had in A: it mentors in B through its own agency.
    mentor: await t.createKey({ name: 'P1', role: 'agency', collaborativeIds: [A], agencyIds: [P1] }),
    mentee: await t.createKey({ name: 'P3', role: 'agency', collaborativeIds: [B], agencyIds: [P3] }),
    analyst: await t.createKey({ name: 'analyst', role: 'analyst' }),
  };
  // P1 is registered before it applies: its application keeps its organisationId.
  await send(keys.admin, 'POST', '/v1/organisations', { organisationId: P1, kind: 'provider', name: 'Riverside Recovery', city: 'Springfield' }, '2023-12-01T09:00:00Z');
  await send(keys.admin, 'POST', `/v1/organisations/${P1}/sites`, { siteId: id(61), name: 'Main St', levelsOfCare: ['outpatient', 'intensive_outpatient'] }, '2023-12-01T09:00:00Z');
  await send(keys.admin, 'POST', '/v1/organisations', { organisationId: PAYER, kind: 'payer', name: 'State Medicaid' }, '2023-12-01T09:00:00Z');
  await send(keys.admin, 'POST', '/v1/people', { personId: PERSON, organisationId: P1, name: 'Morgan Leader', email: 'morgan@example.org', title: 'Clinical director' }, '2023-12-01T09:00:00Z');

  await launch(A, KA, 2024);
  await join(A, KA, P1, 'Riverside Recovery', '2024-01-10T09:00:00Z');
  await join(A, KA, P2, 'Hillside Health', '2024-01-10T09:00:00Z');
  await send(keys.admin, 'POST', `/v1/collaboratives/${A}/agencies/${P2}/withdrawal`, { withdrawnOn: '2024-06-30' }, '2024-07-01T09:00:00Z');
  await send(keys.admin, 'POST', `/v1/collaboratives/${A}/agencies/${P1}/completion`, { completedOn: '2024-11-30' }, '2024-12-01T09:00:00Z');

  await launch(B, KB, 2025);
  await join(B, KB, P3, 'Lakeside Clinic', '2025-01-10T09:00:00Z');
  await join(B, KB, P4, 'Northside Services', '2025-01-10T09:00:00Z');
  // P2, which withdrew from A, applies to B under a new name: the same organisation, a second membership.
  await send(keys.admin, 'POST', `/v1/collaboratives/${B}/applications`, { agencyId: P2, agencyName: 'Hillside Health Partners', contact: { name: 'Hillside Director', email: 'director@example.org' }, proposal: 'Try again' }, '2025-01-12T09:00:00Z');
  await send(keys.mentee, 'POST', `/v1/collaboratives/${B}/agencies/${P3}/baseline`, { period: { from: '2024-11-01', to: '2024-12-31' }, counts }, '2025-01-15T09:00:00Z');
  await send(keys.admin, 'PUT', `/v1/collaboratives/${B}/agencies/${P3}/peer-mentor`, { mentorAgencyId: P1, mentorCollaborativeId: A }, '2025-02-10T09:00:00Z');
  await send(keys.admin, 'POST', `/v1/mentors/${P1}/recruits`, { mentorCollaborativeId: A, collaborativeId: B, applicantAgencyId: P3 }, '2025-02-10T09:00:00Z');

  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  await projector.idle();
}, 120_000);
afterAll(async () => {
  await projector?.stop();
  await t.close();
});

describe('issue 16: a mentor from an earlier collaborative', () => {
  it('is refused from another convener or a later cohort, and the mentor logs a contact with its own key', async () => {
    const contact = { contactId: CONTACT, collaborativeId: B, menteeAgencyId: P3, contactedOn: '2025-02-12', mode: 'video', topic: 'Walk-in intake', notes: 'Shared our script' };
    const logged = await send(keys.mentor, 'POST', `/v1/mentors/${P1}/contacts`, contact, '2025-02-15T09:00:00Z');
    expect(logged.statusCode).toBe(201);
    // Not for an agency it does not mentor, not in another's name, not in the future.
    const notMentee = await send(keys.mentor, 'POST', `/v1/mentors/${P1}/contacts`, { ...contact, contactId: id(52), menteeAgencyId: P4 }, '2025-02-15T09:00:00Z', [422]);
    expect(notMentee.json()).toMatchObject({ code: 'not_the_mentor' });
    const asOther = await send(keys.mentor, 'POST', `/v1/mentors/${P3}/contacts`, { ...contact, contactId: id(53) }, '2025-02-15T09:00:00Z', [403]);
    expect(asOther.json()).toMatchObject({ code: 'out_of_scope' });
    const future = await send(keys.mentor, 'POST', `/v1/mentors/${P1}/contacts`, { ...contact, contactId: id(54), contactedOn: '2025-03-01' }, '2025-02-15T09:00:00Z', [422]);
    expect(future.json()).toMatchObject({ code: 'contacted_in_future' });
  });

  it('lets only an admin key of every collaborative write organisations and people', async () => {
    const scoped = await send(keys.adminB, 'POST', '/v1/organisations', { kind: 'association', name: 'Provider association' }, '2025-02-15T09:00:00Z', [403]);
    expect(scoped.json()).toMatchObject({ code: 'forbidden_role' });
    expect((await send(keys.mentor, 'POST', `/v1/people/${PERSON}/contact`, { name: 'M', email: 'm@example.org' }, '2025-02-15T09:00:00Z', [403])).json()).toMatchObject({ code: 'forbidden_role' });
  });

  it("lets the mentor's key read its mentee's progress and nothing else of other agencies", async () => {
    const mentees = await get(keys.mentor, `/v1/organisations/${P1}/mentees`);
    expect(mentees.statusCode).toBe(200);
    expect(mentees.json().mentees).toEqual([expect.objectContaining({ agencyId: P3, collaborativeId: B, baselineRecorded: true, peerMentorAgencyId: P1 })]);
    // Its series: the baseline P3 submitted, as raw values of the catalogue.
    expect(mentees.json().mentees[0].series).toMatchObject({ baseline: { from: '2024-11-01', to: '2024-12-31', values: { intake_no_show: { numerator: 15, denominator: 48 } } }, periods: [] });
    expect((await get(keys.mentor, `/v1/collaboratives/${B}/agencies/${P3}`)).statusCode).toBe(403);
    expect((await get(keys.mentor, `/v1/collaboratives/${B}/agencies/${P4}`)).statusCode).toBe(403);
    expect((await get(keys.mentor, `/v1/organisations/${P3}`)).statusCode).toBe(403);
    expect((await get(keys.mentee, `/v1/organisations/${P1}/mentees`)).statusCode).toBe(403);
    const contacts = await get(keys.mentor, `/v1/organisations/${P1}/mentoring-contacts`);
    expect(contacts.json().items).toEqual([expect.objectContaining({ contactId: CONTACT, menteeAgencyId: P3, notes: 'Shared our script' })]);
  });

  it("shows the organisation's history across collaboratives and its mentoring", async () => {
    const page = await get(keys.admin, `/v1/organisations/${P1}`);
    expect(page.statusCode).toBe(200);
    const org = page.json();
    expect(org).toMatchObject({ organisationId: P1, kind: 'provider', registered: true, name: 'Riverside Recovery', sites: [expect.objectContaining({ levelsOfCare: ['outpatient', 'intensive_outpatient'] })] });
    expect(org.history).toEqual([expect.objectContaining({ collaborativeId: A, status: 'completed', cohortId: KA, cohortName: 'Cohort 2024', admittedOn: '2024-01-10', completedOn: '2024-11-30' })]);
    expect(org.mentoring).toMatchObject({ mentees: [expect.objectContaining({ collaborativeId: B, agencyId: P3, fromCollaborativeId: A })], contacts: 1, recruits: [{ collaborativeId: B, agencyId: P3 }] });
    // An agency known only from its application is an organisation too (the one-time registry).
    const p2 = (await get(keys.admin, `/v1/organisations/${P2}`)).json();
    expect(p2).toMatchObject({ registered: false, kind: 'provider', name: 'Hillside Health' });
    expect(p2.history).toEqual([
      expect.objectContaining({ collaborativeId: A, agencyName: 'Hillside Health', status: 'withdrawn', withdrawnOn: '2024-06-30' }),
      expect.objectContaining({ collaborativeId: B, agencyName: 'Hillside Health Partners', status: 'applied', appliedOn: '2025-01-12', cohortId: null }),
    ]);
    // A key scoped to B reads B's part of the history only.
    expect((await get(keys.adminB, `/v1/organisations/${P2}`)).json().history.map((h: { collaborativeId: string }) => h.collaborativeId)).toEqual([B]);
  });

  it('scopes the organisation list: a scoped admin sees its collaboratives and the stakeholders; an agency itself', async () => {
    const names = async (key: string, query = '') => (await get(key, `/v1/organisations${query}`)).json().items.map((o: { organisationId: string }) => o.organisationId).sort();
    expect(await names(keys.admin)).toEqual([P1, P2, P3, P4, PAYER].sort());
    expect(await names(keys.adminB)).toEqual([P2, P3, P4, PAYER].sort());
    expect(await names(keys.mentor)).toEqual([P1]);
    expect(await names(keys.admin, '?kind=payer')).toEqual([PAYER]);
    expect(await names(keys.admin, `?collaborativeId=${A}&status=completed`)).toEqual([P1]);
    expect(await names(keys.admin, '?q=LAKE')).toEqual([P3]);
  });

  it('lists people with their organisation; analysts read none', async () => {
    const own = await get(keys.mentor, '/v1/people');
    expect(own.json().items).toEqual([expect.objectContaining({ personId: PERSON, organisationId: P1, name: 'Morgan Leader', title: 'Clinical director' })]);
    expect((await get(keys.mentee, '/v1/people')).json().items).toEqual([]);
    expect((await get(keys.mentee, `/v1/people/${PERSON}`)).statusCode).toBe(403);
    expect((await get(keys.analyst, '/v1/people')).statusCode).toBe(403);
  });

  it('GET /v1/spread shows both collaboratives\' coverage, now and by quarter', async () => {
    const res = await get(keys.analyst, '/v1/spread?interval=quarter&to=2025-03-31');
    expect(res.statusCode).toBe(200);
    const spread = res.json();
    expect(spread.network).toEqual({ providers: 4, everEnrolled: 4, completed: 1, mentors: 1, activeMentors: 1 });
    const byId = Object.fromEntries(spread.collaboratives.map((c: { collaborativeId: string }) => [c.collaborativeId, c]));
    expect(byId[A]).toMatchObject({ applied: 2, enrolled: 2, active: 0, completed: 1, withdrawn: 1, mentees: 0, mentors: 0 });
    expect(byId[B]).toMatchObject({ applied: 3, enrolled: 2, active: 2, completed: 0, withdrawn: 0, mentees: 1, mentors: 1, mentorsFromEarlierCollaboratives: 1 });
    const at = (period: string) => spread.overTime.find((p: { period: string }) => p.period === period);
    expect(spread.overTime[0].period).toBe('2023-Q4');
    expect(at('2023-Q4')).toMatchObject({ providers: 1, everEnrolled: 0 });
    expect(at('2024-Q4')).toMatchObject({ providers: 2, everEnrolled: 2, completed: 1, mentors: 0 });
    expect(at('2025-Q1')).toMatchObject({ providers: 4, everEnrolled: 4, completed: 1, mentors: 1, activeMentors: 1 });
    // A key scoped to B counts B only; a collaborative outside a key's scope is refused.
    const b = (await get(keys.adminB, '/v1/spread')).json();
    expect(b.network).toEqual({ providers: 3, everEnrolled: 2, completed: 0, mentors: 1, activeMentors: 1 });
    expect((await get(keys.adminB, `/v1/spread?collaborativeId=${A}`)).statusCode).toBe(403);
    const backwards = await get(keys.admin, '/v1/spread?from=2025-03-01&to=2025-01-01');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors).toEqual([expect.objectContaining({ path: 'query.to' })]);
    // By month, for B alone: its mentor counts from February, when P1 was assigned.
    const monthly = (await get(keys.admin, `/v1/spread?interval=month&collaborativeId=${B}&from=2024-12-01&to=2025-02-28`)).json();
    expect(monthly.overTime.map((p: { period: string; everEnrolled: number; mentors: number }) => [p.period, p.everEnrolled, p.mentors])).toEqual([['2024-12', 0, 0], ['2025-01', 2, 0], ['2025-02', 2, 1]]);
  });

  it("seals a registered person's contact under their person key and erases it with their roles' (no event rewritten)", async () => {
    const stored = await t.database.pool.query<{ data: Record<string, unknown> }>("SELECT data FROM events WHERE event_type = 'PersonRegistered'");
    expect(JSON.stringify(stored.rows[0]!.data)).not.toContain('Morgan Leader');
    expect(stored.rows[0]!.data.name).toMatchObject({ s: `person:${PERSON}` });
    const before = Number((await t.database.pool.query('SELECT count(*) FROM events')).rows[0].count);
    const erased = await t.app.inject({ method: 'POST', url: '/v1/privacy/erasures', headers: { authorization: `Bearer ${keys.admin}` }, payload: { personId: PERSON } });
    expect(erased.statusCode).toBe(201);
    position = Math.max(position, Number(erased.headers['convene-position'] ?? 0));
    const after = await get(keys.admin, `/v1/people/${PERSON}`);
    expect(after.json()).toMatchObject({ personId: PERSON, organisationId: P1, name: '[erased]', email: 'erased@erased.invalid', title: '[erased]' });
    // Only the erasure event was added.
    expect(Number((await t.database.pool.query('SELECT count(*) FROM events')).rows[0].count)).toBe(before + 1);
  });
});
