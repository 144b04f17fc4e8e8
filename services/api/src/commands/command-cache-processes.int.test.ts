// Issue 13: a state cache made stale by another API process never decides wrongly: two API
// processes (app, pool, store and cache each) on one database race and interleave commands.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { checkHistory, streamIds, type RecordedEvent } from '@convene/domain';
import { commandCacheFixture, counts, type ApiProcess } from './command-cache-fixture';

const fx = commandCacheFixture();
const { apiProcess, send, collaborative } = fx;

describe('issue 13: two API processes (app, pool, store and cache each) on one database', () => {
  let p1: ApiProcess;
  let p2: ApiProcess;
  let app1: FastifyInstance;
  let app2: FastifyInstance;
  beforeAll(async () => {
    p1 = await apiProcess('convene-api-1');
    p2 = await apiProcess('convene-api-2');
    app1 = p1.app;
    app2 = p2.app;
  });
  afterAll(async () => {
    await p1.close();
    await p2.close();
  });
  it('issue 13: racing admissions from both never overfill a cohort or put an agency in two cohorts', async () => {
    const c = await collaborative(app1, 3, 8);
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
    const { events } = await fx.t.eventStore.readStream(streamIds.collaborative(c.id));
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
    const c = await collaborative(app1, 8, 3);
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
    const recorded = (await fx.t.eventStore.readStream(streamIds.participation(c.id, y))).events.filter((e) => e.type === 'MonthlyMeasuresRecorded');
    expect(recorded.map((e) => (e.data as { month: string }).month).sort()).toEqual(['2025-04', '2025-05']);
  });

  it('issue 13.3: random interleaved commands from both processes on the same streams break no rule of the domain', async () => {
    const c = await collaborative(app1, 4, 10);
    const second = randomUUID();
    expect((await send(app2, `${c.C}/cohorts`, { cohortId: second, name: 'Two', startsOn: '2025-06-01', capacity: 3 })).status).toBe(201);
    // Both caches hold every stream involved before the race.
    for (const a of c.agencies) {
      await send(app1, `${c.A(a)}/application/scores`, { reviewerId: randomUUID(), scores: [{ criterion: 'fit', score: 5 }] });
      await send(app2, `${c.A(a)}/application/scores`, { reviewerId: randomUUID(), scores: [{ criterion: 'fit', score: 6 }] });
    }
    let seed = 13;
    // A linear congruential generator's high bits (its low bits repeat with a short period).
    const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), Math.floor((seed / 2 ** 31) * n));
    const months = ['2025-04', '2025-05', '2025-06'];
    const answers: { status: number; code?: string }[] = [];
    for (let round = 0; round < 8; round++) {
      // Each agency gets two commands per round, from either process, all in flight together.
      const commands = c.agencies.flatMap((a) =>
        [0, 1].map(() => {
          const app = random(2) ? app1 : app2;
          switch (random(round < 2 ? 2 : 6)) {
            case 0:
              return send(app, `${c.A(a)}/admission`, { cohortId: random(2) ? c.cohortId : second });
            case 1:
              return send(app, `${c.A(a)}/baseline`, { period: { from: '2025-02-01', to: '2025-03-31' }, counts });
            case 2:
            case 3:
              return send(app, `${c.A(a)}/measures`, { month: months[random(3)], counts });
            case 4:
              return send(app, `${c.A(a)}/measures/corrections`, { month: months[random(3)], counts, reason: 'Recount' });
            default:
              return random(4) ? send(app, `${c.A(a)}/coaching-notes`, { coachId: c.coachId, coachedOn: '2025-04-03', assistance: 'Run chart' }) : send(app, `${c.A(a)}/withdrawal`, { withdrawnOn: '2025-07-01' });
          }
        }),
      );
      answers.push(...(await Promise.all(commands)));
    }
    const byCode = answers.reduce<Record<string, number>>((m, a) => ((m[`${a.status} ${a.code ?? ''}`] = (m[`${a.status} ${a.code ?? ''}`] ?? 0) + 1), m), {});
    console.log(`issue 13.3 answers: ${JSON.stringify(byCode)}`);
    // Refusals are business rules or a conflict that outlived its retries; never a server error.
    expect(answers.every((a) => [200, 201, 409, 422].includes(a.status))).toBe(true);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(20);
    const log: RecordedEvent[] = [];
    for (let after = 0; ; ) {
      // This collaborative's events only: the whole-history check folds every stream at every
      // event, and the flat-cost test above left collaboratives of 10,000 events in this database.
      const page = await fx.t.eventStore.readAll({ after, limit: 5000, collaborativeId: c.id });
      log.push(...page.events);
      if (page.events.length < 5000) break;
      after = page.next;
    }
    expect(checkHistory(log)).toEqual([]);
    const enrolled = log.filter((e) => e.type === 'AgencyEnrolledInCohort' && (e.data as { collaborativeId: string }).collaborativeId === c.id);
    expect(enrolled.filter((e) => (e.data as { cohortId: string }).cohortId === c.cohortId).length).toBeLessThanOrEqual(4);
    expect(enrolled.filter((e) => (e.data as { cohortId: string }).cohortId === second).length).toBeLessThanOrEqual(3);
  });
});
