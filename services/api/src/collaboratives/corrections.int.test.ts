import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { runSeedYear, SEED_IDS, seedYearSteps, type SeedKeys } from '../test-fixtures/seed-year';

// Issue 16 over HTTP, on the seed year up to early June: corrections as their own events read back
// (budget against actual, removed roles, re-ranked applications, a shorter span), completion refused
// while a change project is active and then closing it, and the system-level Change Team's project.
let t: TestApp;
let projector: RunningProjector;
let keys: SeedKeys & { analyst: string };
const C = SEED_IDS.collaborative;
const A1 = SEED_IDS.agency1;
const CA = `/v1/collaboratives/${C}`;
const TODAY = '2025-06-12T09:00:00.000Z';
const X2 = '0190a000-0000-7000-8000-00000000e162';
const X3 = '0190a000-0000-7000-8000-00000000e163';
const OPEN_PROJECT = '0190a000-0000-7000-8000-00000000f161';
const SYSTEM_PROJECT = '0190a000-0000-7000-8000-00000000f162';
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const send = (method: 'POST' | 'PUT', url: string, payload: Record<string, unknown>, key = t.adminKey) => t.app.inject({ method, url, headers: as(key), payload });
const get = async (url: string, key = t.adminKey) => {
  await projector.idle();
  const res = await t.app.inject({ url, headers: as(key) });
  return { status: res.statusCode, body: res.json() };
};
const project = (projectId: string) => ({
  projectId, title: 'Reminder calls', aim: 'Cut intake no-shows from 30% to 15% by September', measure: 'intake_no_show', baselineValue: 0.3, targetValue: 0.15,
  targetDate: '2025-09-30', changeIdea: 'Call the day before intake', levelOfCare: 'outpatient', team: [{ name: 'Morgan Leader', role: 'Change Leader' }],
});

beforeAll(async () => {
  t = await createTestApp();
  keys = {
    admin: t.adminKey,
    coach: await t.createKey({ name: 'coach', role: 'coach', actorId: SEED_IDS.coach, collaborativeIds: [C], agencyIds: [A1] }),
    agency: await t.createKey({ name: 'agency 1', role: 'agency', actorId: SEED_IDS.agencyChangeLeader, collaborativeIds: [C], agencyIds: [A1] }),
    analyst: await t.createKey({ name: 'analyst', role: 'analyst', collaborativeIds: [C] }),
  };
  const year = seedYearSteps();
  const results = await runSeedYear(t.app, { keys, setClock: (at) => (t.clock.now = at), steps: year.slice(0, year.findIndex((s) => s.command === 'OpenCohort' && s.at >= '2025-06')) });
  const failed = results.find((r) => r.status !== r.step.status);
  expect(failed ? { step: failed.step.name, body: failed.body } : undefined).toBeUndefined();
  t.clock.now = new Date(TODAY);
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
}, 120_000);
afterAll(async () => {
  await projector?.stop();
  await t?.close();
});

describe('issue 16: expenditures corrected and voided, budget against actual', () => {
  it('issue 16: the totals leave the voided expenditure out, take the corrected amount, and set each category against its budget', async () => {
    expect((await send('PUT', `${CA}/budgets/meetings`, { amountCents: 300000, reason: 'Approved' })).statusCode).toBe(200);
    expect((await send('POST', `${CA}/expenditures`, { expenditureId: X2, amountCents: 40000, category: 'meetings', spentOn: '2025-06-01' })).statusCode).toBe(201);
    expect((await send('POST', `${CA}/expenditures`, { expenditureId: X3, amountCents: 10000, category: 'travel', spentOn: '2025-06-02' })).statusCode).toBe(201);
    const corrected = await send('POST', `${CA}/expenditures/${SEED_IDS.expenditure}/corrections`, { amountCents: 240000, category: 'meetings', spentOn: '2025-01-30', note: 'Kick-off venue', reason: 'The invoice said 2,400.00' });
    expect(corrected.statusCode).toBe(200);
    expect((await send('POST', `${CA}/expenditures/${X2}/void`, { reason: 'Booked twice' })).statusCode).toBe(200);
    // A voided expenditure is neither corrected nor voided again.
    const again = await send('POST', `${CA}/expenditures/${X2}/void`, { reason: 'Again' });
    expect([again.statusCode, again.json().code]).toEqual([409, 'expenditure_voided']);

    const totals = await get(`${CA}/expenditures/totals`);
    expect(totals.status).toBe(200);
    expect(totals.body).toEqual({
      collaborativeId: C, totalCents: 250000, budgetCents: 300000, remainingCents: 50000,
      categories: [
        { category: 'meetings', totalCents: 240000, count: 1, budgetCents: 300000, remainingCents: 60000 },
        { category: 'travel', totalCents: 10000, count: 1, budgetCents: null, remainingCents: null },
      ],
    });
    // Over budget: the remaining goes negative.
    await send('PUT', `${CA}/budgets/meetings`, { amountCents: 200000 });
    expect((await get(`${CA}/expenditures/totals`)).body.categories[0]).toMatchObject({ category: 'meetings', budgetCents: 200000, remainingCents: -40000 });
  });

  it('issue 16: the list shows each status and correction (filter by status); analysts get no reasons', async () => {
    const voided = await get(`${CA}/expenditures?status=voided`);
    expect(voided.body.items.map((e: { expenditureId: string }) => e.expenditureId)).toEqual([X2]);
    expect(voided.body.items[0]).toMatchObject({ status: 'voided', voidReason: 'Booked twice' });
    expect(voided.body.totals.totalCents).toBe(0);
    const one = await get(`${CA}/expenditures/${SEED_IDS.expenditure}`);
    expect(one.body).toMatchObject({ status: 'corrected', amountCents: 240000, corrections: [{ was: { amountCents: 250000, category: 'meetings' }, reason: 'The invoice said 2,400.00' }] });
    const analyst = await get(`${CA}/expenditures/${SEED_IDS.expenditure}`, keys.analyst);
    expect(analyst.body.corrections[0]).toMatchObject({ reason: null, was: { amountCents: 250000, note: null } });
  });
});

describe('issue 16: corrections read back', () => {
  it('issue 16: a removed role vanishes from the contacts; a successor takes it in the same command', async () => {
    const res = await send('POST', `${CA}/agencies/${A1}/roles/removals`, { role: 'change_team_member', personId: SEED_IDS.agencyTeamMember, reason: 'Left the agency' }, keys.agency);
    expect(res.statusCode).toBe(200);
    const system = await send('POST', `${CA}/system-roles/removals`, {
      role: 'data_coordinator', personId: SEED_IDS.dataCoordinator, reason: 'Retired', successor: { personId: '0190a000-0000-7000-8000-00000000d163', name: 'Robin Data', email: 'robin@example.org' },
    });
    expect(system.statusCode).toBe(200);
    const people = (await get(`${CA}/people?limit=100`)).body.items as { personId: string | null; role: string }[];
    expect(people.some((p) => p.personId === SEED_IDS.agencyTeamMember)).toBe(false);
    expect(people.some((p) => p.personId === SEED_IDS.dataCoordinator)).toBe(false);
    expect(people.find((p) => p.personId === '0190a000-0000-7000-8000-00000000d163')?.role).toBe('data_coordinator');
    const collaborative = await get(CA);
    const coordinators = (collaborative.body.systemRoles as { role: string; personId: string }[]).filter((p) => p.role === 'data_coordinator');
    expect(coordinators.map((p) => p.personId)).toEqual(['0190a000-0000-7000-8000-00000000d163']);
    // The reasons may name people: sealed in the stored event like other free text, read back whole.
    const stored = await t.database.pool.query<{ data: { reason: string } }>(`SELECT data FROM events WHERE event_type = 'AgencyRoleRemoved'`);
    expect(JSON.stringify(stored.rows)).not.toContain('Left the agency');
    const { events } = await t.eventStore.readStream(`participation-${C}_${A1}`);
    expect(events.find((e) => e.type === 'AgencyRoleRemoved')?.data).toMatchObject({ reason: 'Left the agency' });
    // Removing someone who does not hold the role names the refusal.
    const twice = await send('POST', `${CA}/agencies/${A1}/roles/removals`, { role: 'change_team_member', personId: SEED_IDS.agencyTeamMember, reason: 'Again' }, keys.agency);
    expect([twice.statusCode, twice.json().code]).toEqual([404, 'role_holder_not_found']);
  });

  it('issue 16: a corrected score changes the ranking', async () => {
    const before = (await get(`${CA}/applications?sort=-total`)).body.items as { agencyId: string; total: number; rank: number }[];
    expect(before.map((a) => [a.agencyId, a.total, a.rank])).toEqual([[A1, 16, 1], [SEED_IDS.agency2, 15, 2]]);
    const res = await send('POST', `${CA}/agencies/${SEED_IDS.agency2}/application/scores/corrections`, {
      reviewerId: SEED_IDS.reviewer, scores: [{ criterion: 'Leadership commitment', score: 9 }, { criterion: 'Data capacity', score: 9 }], reason: 'Scored from the old form',
    });
    expect(res.statusCode).toBe(200);
    const after = (await get(`${CA}/applications?sort=-total`)).body.items as { agencyId: string; total: number; rank: number }[];
    expect(after.map((a) => [a.agencyId, a.total, a.rank])).toEqual([[SEED_IDS.agency2, 18, 1], [A1, 16, 2]]);
  });

  it('issue 16: corrected dates change the periods owed (a span ending in September owes nothing in November), and keep the cohorts inside', async () => {
    const due = async () => ((await get(`${CA}/calendar?from=2025-11-01&to=2025-12-31`)).body.items as { type: string }[]).filter((i) => i.type === 'data_due');
    expect((await due()).length).toBeGreaterThan(0);
    const refused = await send('POST', `${CA}/dates/corrections`, { startsOn: '2025-04-01', endsOn: '2025-09-30', reason: 'Shortened' });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'cohort_outside_dates', errors: [{ path: 'body.startsOn' }] });
    // The site visit of 15 April would fall outside.
    const visit = await send('POST', `${CA}/dates/corrections`, { startsOn: '2025-02-01', endsOn: '2025-04-10', reason: 'Shortened' });
    expect(visit.statusCode).toBe(422);
    expect(visit.json()).toMatchObject({ code: 'record_outside_dates', errors: [{ path: 'body.endsOn' }] });
    expect(visit.json().detail).toContain(`site visit ${SEED_IDS.siteVisit}`);
    // Keyed: the stored answer rides with the append, after its check that no meeting or visit
    // appeared since the query (migrations/0850 and 0860, one statement); a retry is answered from it.
    const keyed = () => t.app.inject({
      method: 'POST', url: `${CA}/dates/corrections`, headers: { ...as(t.adminKey), 'idempotency-key': 'dates-correction-1' },
      payload: { startsOn: '2025-02-01', endsOn: '2025-09-30', reason: 'The funder shortened the year' },
    });
    const res = await keyed();
    expect(res.statusCode).toBe(200);
    const again = await keyed();
    expect([again.statusCode, again.body]).toEqual([200, res.body]);
    expect(await due()).toEqual([]);
    expect((await get(CA)).body).toMatchObject({ startsOn: '2025-02-01', endsOn: '2025-09-30' });
    // Later commands are held to the corrected span.
    const late = await send('POST', `${CA}/agencies/${A1}/coaching-notes`, { coachId: SEED_IDS.coach, coachedOn: '2025-10-02', assistance: 'x' });
    expect(late.json()).toMatchObject({ code: 'date_outside_collaborative' });
    expect((await send('PUT', `${CA}/meeting-cadence`, { meetingCadence: 'quarterly', reason: 'Fewer sessions' })).statusCode).toBe(200);
    expect((await get(CA)).body.meetingCadence).toBe('quarterly');
  });
});

describe('issue 16: the system-level Change Team', () => {
  it('issue 16: its project and cycles are listed beside the agencies\' and reported in the aggregate report; agency keys read it but do not act on it', async () => {
    const started = await send('POST', `${CA}/system-change-projects`, { ...project(SYSTEM_PROJECT), title: 'Pay for reminder calls', levelOfCare: 'other', startedOn: '2025-05-01' }, keys.coach);
    expect(started.statusCode).toBe(201);
    expect(started.headers.location).toBe(`/v1/change-projects/${SYSTEM_PROJECT}`);
    const cycle = {
      cycleNumber: 1, beginsOn: '2025-05-05', endsOn: '2025-05-30', changeTested: 'A billing code for reminder calls', prediction: 'Half the agencies bill it',
      steps: [{ step: 'Publish the code', who: 'Claims unit' }], result: 'Two of three agencies billed it', decision: 'adopt',
    };
    const byAgency = await send('POST', `/v1/change-projects/${SYSTEM_PROJECT}/pdsa-cycles`, cycle, keys.agency);
    expect([byAgency.statusCode, byAgency.json().code]).toEqual([403, 'out_of_scope']);
    expect((await send('POST', `/v1/change-projects/${SYSTEM_PROJECT}/pdsa-cycles`, cycle, keys.coach)).statusCode).toBe(200);

    const system = await get(`${CA}/change-projects?owner=system`);
    expect(system.body.items).toHaveLength(1);
    expect(system.body.items[0]).toMatchObject({ projectId: SYSTEM_PROJECT, owner: 'system', agencyId: null, cycles: 1, timeline: [{ cycleNumber: 1, decision: 'adopt' }] });
    const all = (await get(`${CA}/change-projects`, keys.agency)).body.items as { projectId: string; owner: string }[];
    expect(all.map((p) => p.owner).sort()).toEqual(['agency', 'system']);
    expect((await get(`/v1/change-projects/${SYSTEM_PROJECT}`, keys.agency)).status).toBe(200);
    const agencyOnly = (await get(`${CA}/change-projects?owner=agency`)).body.items as { owner: string }[];
    expect(agencyOnly.every((p) => p.owner === 'agency')).toBe(true);

    const report = await get(`${CA}/reports/aggregate`, keys.analyst);
    expect(report.status).toBe(200);
    expect(report.body.changeProjects.system).toMatchObject({ total: 1, active: 1, cycles: 1, adopted: 1, projects: [{ projectId: SYSTEM_PROJECT, title: 'Pay for reminder calls', cycles: 1 }] });
    expect(report.body.changeProjects.agencies).toMatchObject({ total: 1, completed: 1, cycles: 3 });
  });
});

describe('issue 16: completing participation', () => {
  it('issue 16: refused (409, naming the project) while a change project is active; closeOpenProjects abandons it on its own stream', async () => {
    expect((await send('POST', `${CA}/agencies/${A1}/change-projects`, project(OPEN_PROJECT), keys.agency)).statusCode).toBe(201);
    const refused = await send('POST', `${CA}/agencies/${A1}/completion`, { completedOn: '2025-06-12' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'change_projects_open', errors: [{ path: 'body.closeOpenProjects', message: `change project ${OPEN_PROJECT} is active` }] });
    expect(refused.json().detail).toContain(OPEN_PROJECT);

    const done = await send('POST', `${CA}/agencies/${A1}/completion`, { completedOn: '2025-06-12', closeOpenProjects: true });
    expect(done.statusCode).toBe(200);
    const closed = await get(`/v1/change-projects/${OPEN_PROJECT}`);
    expect(closed.body).toMatchObject({ status: 'abandoned', endedOn: '2025-06-12', abandonReason: 'Closed when the agency completed the collaborative on 2025-06-12' });
    const stream = (await get(`/v1/change-projects/${OPEN_PROJECT}/events`)).body;
    expect(JSON.stringify(stream)).toContain('ChangeProjectAbandoned');
    expect((await get(`${CA}/agencies/${A1}`)).body).toMatchObject({ stage: 'completed', completedOn: '2025-06-12' });
    // The completed agency's projects stay closed: nothing more is logged on them.
    const late = await send('POST', `/v1/change-projects/${OPEN_PROJECT}/pdsa-cycles`, { cycleNumber: 1, beginsOn: '2025-06-01', endsOn: '2025-06-10', changeTested: 'x', prediction: 'x', steps: [{ step: 'x', who: 'x' }], result: 'x', decision: 'adopt' });
    expect(late.statusCode).toBe(409);
  });

  it('issue 16: a project stored before issue 16 (the participation stream never heard of it) is found by the store query and refuses too', async () => {
    const legacy = '0190a000-0000-7000-8000-00000000f163';
    const A2 = SEED_IDS.agency2;
    // As history stored it: the project's own stream only.
    await t.eventStore.appendToStream(`changeproject-${legacy}`, [{ type: 'ChangeProjectStarted', schemaVersion: 2, data: { ...project(legacy), collaborativeId: C, agencyId: A2, targetDate: '2025-09-30' } }], {
      expectedVersion: 'no_stream', metadata: { actorId: 'history', actorRole: 'admin', correlationId: 'legacy' },
    });
    const participation = await t.eventStore.readStream(`participation-${C}_${A2}`);
    expect(participation.events.map((e) => e.type)).not.toContain('AgencyChangeProjectOpened');
    const refused = await send('POST', `${CA}/agencies/${A2}/completion`, { completedOn: '2025-06-12' });
    expect([refused.statusCode, refused.json().code]).toEqual([409, 'change_projects_open']);
    expect(refused.json().detail).toContain(legacy);
    expect((await send('POST', `${CA}/agencies/${A2}/completion`, { completedOn: '2025-06-12', closeOpenProjects: true })).statusCode).toBe(200);
    expect((await get(`/v1/change-projects/${legacy}`)).body).toMatchObject({ status: 'abandoned', agencyId: A2, owner: 'agency' });
  });
});
