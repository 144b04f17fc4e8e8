// Issue 13: aggregate states cached in the API process. A command's reads do not grow with its
// collaborative's history, and a cache made stale by another API process never decides wrongly.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { EventStore } from '@convene/eventstore';
import { streamIds } from '@convene/domain';
import { buildApp } from '../app';
import { loadConfig } from '../config';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { seedYearSteps } from '../test-fixtures/seed-year';

/** The event store as the API uses it, counting the events its stream reads return. */
class CountingEventStore extends EventStore {
  eventsRead = 0;
  override async readStream(...args: Parameters<EventStore['readStream']>) {
    const result = await super.readStream(...args);
    this.eventsRead += result.events.length;
    return result;
  }
}

let t: TestApp;
let store1: CountingEventStore;
let store2: CountingEventStore;
let app1: FastifyInstance;
let app2: FastifyInstance;
beforeAll(async () => {
  t = await createTestApp();
  // Inside the seed collaborative's span (2025-02-01 to 2025-12-31): every date below is in it.
  t.clock.now = new Date('2025-09-15T09:00:00.000Z');
  store1 = new CountingEventStore({ pool: t.database.pool });
  store2 = new CountingEventStore({ pool: t.database.pool });
  const config = loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000' });
  const deps = { config, pool: t.database.pool, db: t.database.db, clock: () => t.clock.now };
  // Two API processes: each its own store object and its own cache (buildApp makes one per app).
  app1 = await buildApp({ ...deps, eventStore: store1 });
  app2 = await buildApp({ ...deps, eventStore: store2 });
});
afterAll(async () => {
  await app1.close();
  await app2.close();
  await store1.close();
  await store2.close();
  await t.close();
});

const send = async (app: FastifyInstance, url: string, payload: object, method: 'POST' | 'PUT' = 'POST') => {
  const r = await app.inject({ method, url, headers: { authorization: `Bearer ${t.adminKey}` }, payload });
  return { status: r.statusCode, code: (r.json() as { code?: string }).code };
};
const counts = { clientsTreated: 10, totalDaysToTreatment: 300, intakeScheduled: 20, intakeNoShows: 5, admissions: 10 };
const person = (name: string) => ({ personId: randomUUID(), name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org` });

/** A launched collaborative with a coach, one cohort of `capacity` and `applicants` applications. */
async function collaborative(capacity: number, applicants: number) {
  const id = randomUUID();
  const cohortId = randomUUID();
  const coach = person('Chris Coach');
  const C = `/v1/collaboratives/${id}`;
  expect((await send(app1, '/v1/collaboratives', { ...seedYearSteps()[0]!.body, collaborativeId: id })).status).toBe(201);
  expect((await send(app1, `${C}/system-roles`, { role: 'coach', person: coach })).status).toBe(200);
  expect((await send(app1, `${C}/cohorts`, { cohortId, name: 'One', startsOn: '2025-03-01', capacity })).status).toBe(201);
  const agencies = Array.from({ length: applicants }, () => randomUUID());
  for (const [i, agencyId] of agencies.entries()) {
    const body = { agencyId, agencyName: `Agency ${i}`, contact: { name: 'Dee Director', email: 'd@example.org' }, proposal: 'Cut the wait' };
    expect((await send(app1, `${C}/applications`, body)).status).toBe(201);
  }
  const A = (agencyId: string) => `${C}/agencies/${agencyId}`;
  return { id, cohortId, coachId: coach.personId, agencies, C, A };
}

describe('issue 13: command cost does not grow with history', () => {
  it('issue 13: a command reads as many events on a collaborative of 10,000 events as on one of 10', async () => {
    const perCommand = async (history: number) => {
      const c = await collaborative(5, 1);
      const [agencyId] = c.agencies as [string];
      expect((await send(app1, `${c.A(agencyId)}/admission`, { cohortId: c.cohortId })).status).toBe(200);
      expect((await send(app1, `${c.A(agencyId)}/baseline`, { period: { from: '2025-02-01', to: '2025-03-31' }, counts })).status).toBe(200);
      expect((await send(app1, `${c.A(agencyId)}/measures`, { month: '2025-04', counts })).status).toBe(200);
      // Grow the collaborative's stream to `history` events (expenditures), as years of use would.
      const stream = streamIds.collaborative(c.id);
      for (let v = (await t.eventStore.readStream(stream)).version; v < history; v += 1000) {
        const n = Math.min(1000, history - v);
        const events = Array.from({ length: n }, () => ({
          type: 'ExpenditureRecorded',
          data: { collaborativeId: c.id, expenditureId: randomUUID(), amountCents: 100, category: 'travel', spentOn: '2025-04-02' },
        }));
        await t.eventStore.appendMany([{ streamId: stream, events, expectedVersion: v }], { metadata: { actorId: 'test', actorRole: 'admin', correlationId: 'grow' } });
      }
      expect((await t.eventStore.readStream(stream)).version).toBe(history);
      // The first command after the growth catches the cache up once; then steady state.
      expect((await send(app1, `${c.A(agencyId)}/coaching-notes`, { coachId: c.coachId, coachedOn: '2025-04-03', assistance: 'Run chart' })).status).toBe(200);
      const before = store1.eventsRead;
      const started = performance.now();
      const N = 20;
      for (let i = 0; i < N; i++) {
        const r = i % 2
          ? await send(app1, `${c.A(agencyId)}/coaching-notes`, { coachId: c.coachId, coachedOn: '2025-04-03', assistance: `Note ${i}` })
          : await send(app1, `${c.A(agencyId)}/measures/corrections`, { month: '2025-04', counts, reason: `Fix ${i}` });
        expect(r.status).toBe(200);
      }
      return { events: (store1.eventsRead - before) / N, ms: (performance.now() - started) / N };
    };
    const small = await perCommand(10);
    const large = await perCommand(10_000);
    // Without the cache a command reads its participation and the whole collaborative: 10,000+ here.
    expect(large.events).toBe(small.events);
    expect(large.events).toBeLessThan(1);
    console.log(`issue 13 flat cost: events read per command ${small.events} (10 events) vs ${large.events} (10,000 events); ms per command ${small.ms.toFixed(1)} vs ${large.ms.toFixed(1)}`);
  });
});

describe('issue 13: two API processes with their own caches on one database', () => {
  it('issue 13: racing admissions from both never overfill a cohort or put an agency in two cohorts', async () => {
    const c = await collaborative(3, 8);
    const second = randomUUID();
    expect((await send(app2, `${c.C}/cohorts`, { cohortId: second, name: 'Two', startsOn: '2025-06-01', capacity: 8 })).status).toBe(201);
    // Warm both caches on every stream involved, then race: app1 and app2 alternate.
    for (const a of c.agencies) {
      await send(app1, `${c.A(a)}/application/scores`, { reviewerId: randomUUID(), scores: [{ criterion: 'fit', score: 5 }] });
      await send(app2, `${c.A(a)}/application/scores`, { reviewerId: randomUUID(), scores: [{ criterion: 'fit', score: 6 }] });
    }
    const answers = await Promise.all(
      c.agencies.flatMap((a, i) => [
        send(i % 2 ? app1 : app2, `${c.A(a)}/admission`, { cohortId: c.cohortId }),
        // The same agency into the other cohort from the other process.
        ...(i < 2 ? [send(i % 2 ? app2 : app1, `${c.A(a)}/admission`, { cohortId: second })] : []),
      ]),
    );
    const { events } = await t.eventStore.readStream(streamIds.collaborative(c.id));
    const enrolled = events.filter((e) => e.type === 'AgencyEnrolledInCohort').map((e) => e.data as { agencyId: string; cohortId: string });
    // Ten racing writers may exhaust a command's conflict retries (a 409 too), but never a rule.
    const inFirst = enrolled.filter((e) => e.cohortId === c.cohortId).length;
    expect(inFirst).toBeLessThanOrEqual(3);
    expect(inFirst === 3 || answers.some((a) => a.code === 'concurrency_conflict')).toBe(true);
    expect(new Set(enrolled.map((e) => e.agencyId)).size).toBe(enrolled.length);
    expect(answers.filter((a) => a.status === 200).length).toBe(enrolled.length);
    expect(answers.filter((a) => a.status !== 200).every((a) => a.status === 409)).toBe(true);
  });

  it('issue 13: a state cached before the other process changed it is neither accepted nor refused wrongly', async () => {
    const c = await collaborative(8, 3);
    const [x, y, z] = c.agencies as [string, string, string];
    for (const a of [x, z]) expect((await send(app1, `${c.A(a)}/admission`, { cohortId: c.cohortId })).status).toBe(200);
    for (const a of [x, z]) expect((await send(app1, `${c.A(a)}/baseline`, { period: { from: '2025-02-01', to: '2025-03-31' }, counts })).status).toBe(200);
    // app2 caches x and z as admitted, y as applied.
    for (const a of [x, y, z]) await send(app2, `${c.A(a)}/coaching-notes`, { coachId: c.coachId, coachedOn: '2025-04-03', assistance: 'Warm' });
    // app1 changes all three behind app2's back.
    expect((await send(app1, `${c.A(x)}/withdrawal`, { withdrawnOn: '2025-05-05' })).status).toBe(200);
    expect((await send(app1, `${c.A(y)}/admission`, { cohortId: c.cohortId })).status).toBe(200);
    expect((await send(app1, `${c.A(z)}/measures`, { month: '2025-04', counts })).status).toBe(200);
    // Stale "admitted" must not accept for a withdrawn agency.
    expect(await send(app2, `${c.A(x)}/measures`, { month: '2025-04', counts })).toEqual({ status: 409, code: 'agency_withdrawn' });
    // Stale "applied" must not refuse for an admitted one.
    expect((await send(app2, `${c.A(y)}/baseline`, { period: { from: '2025-02-01', to: '2025-03-31' }, counts })).status).toBe(200);
    // Stale "month not recorded" must not record it twice.
    expect(await send(app2, `${c.A(z)}/measures`, { month: '2025-04', counts })).toEqual({ status: 409, code: 'month_already_recorded' });
    // Interleaved on one stream from both: each month once.
    const months = ['2025-05', '2025-05', '2025-04', '2025-05'];
    const raced = await Promise.all(months.map((month, i) => send(i % 2 ? app1 : app2, `${c.A(y)}/measures`, { month, counts })));
    expect(raced.filter((r) => r.status === 200).length).toBe(2);
    const recorded = (await t.eventStore.readStream(streamIds.participation(c.id, y))).events.filter((e) => e.type === 'MonthlyMeasuresRecorded');
    expect(recorded.map((e) => (e.data as { month: string }).month).sort()).toEqual(['2025-04', '2025-05']);
  });
});
