import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { streamIds } from '@convene/domain';
import { createTestApp, type TestApp } from './test-fixtures/test-app';
import { runSeedYear, SEED_IDS, seedYearSteps, type SeedKeys, type SeedResult } from './test-fixtures/seed-year';

let t: TestApp;
let keys: SeedKeys;
let results: SeedResult[];

beforeAll(async () => {
  t = await createTestApp();
  keys = {
    admin: t.adminKey,
    coach: await t.createKey({ name: 'coach', role: 'coach', actorId: SEED_IDS.coach, collaborativeIds: [SEED_IDS.collaborative], agencyIds: [SEED_IDS.agency1] }),
    agency: await t.createKey({ name: 'agency 1', role: 'agency', actorId: SEED_IDS.agencyChangeLeader, collaborativeIds: [SEED_IDS.collaborative], agencyIds: [SEED_IDS.agency1] }),
  };
  results = await runSeedYear(t.app, { keys, setClock: (at) => (t.clock.now = at) });
});
afterAll(async () => t.close());

describe('the seed year over HTTP', () => {
  it('every step is accepted with its expected status', () => {
    const failed = results.find((r) => r.status !== r.step.status);
    expect(failed ? { step: failed.step.name, status: failed.status, body: failed.body } : undefined).toBeUndefined();
    expect(results).toHaveLength(seedYearSteps().length);
  });

  it('covers the year: launch, cohorts, admissions, baseline, three months, three PDSA cycles, a visit, a kick-off, a mentor, completion', () => {
    const commands = results.map((r) => r.step.command);
    for (const c of ['LaunchCollaborative', 'OpenCohort', 'SubmitApplication', 'ScoreApplication', 'AdmitAgency', 'AssignAgencyRole', 'SubmitWalkThrough', 'RecordBaseline', 'StartChangeProject', 'ScheduleSiteVisit', 'CompleteSiteVisit', 'ScheduleMeeting', 'RecordAttendance', 'PublishMinutes', 'AssignPeerMentor', 'CompleteParticipation'] as const) {
      expect(commands).toContain(c);
    }
    expect(commands.filter((c) => c === 'RecordMonthlyMeasures')).toHaveLength(3);
    expect(commands.filter((c) => c === 'LogPDSACycle')).toHaveLength(3);
  });

  it('answers with ids, version, position and the matching ETag, Convene-Position and Location headers', () => {
    const launch = results[0]!;
    expect(launch.body).toEqual({
      collaborativeId: SEED_IDS.collaborative,
      streamId: streamIds.collaborative(SEED_IDS.collaborative),
      version: 1,
      position: expect.any(Number),
    });
    expect(launch.headers.location).toBe(`/v1/collaboratives/${SEED_IDS.collaborative}`);
    for (const r of results) {
      const body = r.body as { version: number; position: number };
      expect(r.headers.etag).toBe(`W/"${body.version}"`);
      expect(r.headers['convene-position']).toBe(String(body.position));
    }
    const positions = results.map((r) => (r.body as { position: number }).position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('records the actor and role of each key in the events', async () => {
    const { events } = await t.eventStore.readStream(streamIds.participation(SEED_IDS.collaborative, SEED_IDS.agency1));
    const baseline = events.find((e) => e.type === 'BaselineRecorded');
    expect(baseline?.metadata).toMatchObject({ actorId: SEED_IDS.agencyChangeLeader, actorRole: 'agency' });
    const may = events.filter((e) => e.type === 'MonthlyMeasuresRecorded').at(-1);
    expect(may?.metadata).toMatchObject({ actorId: SEED_IDS.coach, actorRole: 'coach' });
    expect(events.at(-1)?.type).toBe('ParticipationCompleted');
    const project = await t.eventStore.readStream(streamIds.changeProject(SEED_IDS.project));
    expect(project.events.map((e) => e.type).filter((type) => type === 'PDSACycleLogged')).toHaveLength(3);
  });

  it('serves the event history to an auditor, page by page', async () => {
    const auditor = await t.createKey({ name: 'auditor', role: 'auditor' });
    const url = `/v1/collaboratives/${SEED_IDS.collaborative}/agencies/${SEED_IDS.agency1}/events`;
    const first = await t.app.inject({ url: `${url}?limit=5`, headers: { authorization: `Bearer ${auditor}` } });
    expect(first.statusCode).toBe(200);
    const page1 = first.json() as { items: { streamVersion: number; type: string }[]; nextCursor: string | null };
    expect(page1.items.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    expect(page1.items[0]?.type).toBe('ApplicationSubmitted');
    const second = await t.app.inject({ url: `${url}?limit=5&cursor=${page1.nextCursor}`, headers: { authorization: `Bearer ${auditor}` } });
    expect((second.json() as typeof page1).items[0]?.streamVersion).toBe(6);
  });
});
