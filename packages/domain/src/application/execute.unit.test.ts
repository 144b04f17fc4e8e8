import { describe, expect, it } from '@jest/globals';
import { A1, A2, A3, C1, COACH, COHORT1, COHORT2, NOW, launchData, person } from '../shared/fixtures';
import { DomainError } from '../shared/errors';
import { streamIds } from '../shared/ids';
import { executeCommand, loadAggregate } from './execute';
import { InMemoryEventStore } from './in-memory-port';
import { isConcurrencyError } from './port';

const meta = { now: NOW, actorId: 'u1', actorRole: 'convener', correlationId: 'c1' };
const run = (store: InMemoryEventStore, type: string, data: unknown, extra: Partial<Parameters<typeof executeCommand>[2]> = {}) =>
  executeCommand(store, { type, data }, { ...meta, ...extra });
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a failure');
};
const application = (agencyId: string) => ({ collaborativeId: C1, agencyId, agencyName: 'Agency', contact: { name: 'Sam', email: 'sam@example.org' }, proposal: 'p' });

const setUp = async (capacity = 1) => {
  const store = new InMemoryEventStore();
  await run(store, 'LaunchCollaborative', launchData);
  await run(store, 'AppointSystemRole', { collaborativeId: C1, role: 'coach', person: person(COACH) });
  await run(store, 'OpenCohort', { collaborativeId: C1, cohortId: COHORT1, name: 'One', startsOn: '2025-02-01', capacity });
  await run(store, 'OpenCohort', { collaborativeId: C1, cohortId: COHORT2, name: 'Two', startsOn: '2025-08-01', capacity });
  for (const a of [A1, A2, A3]) await run(store, 'SubmitApplication', application(a));
  return store;
};

describe('executeCommand', () => {
  it('refuses invalid data with the field path', async () => {
    const store = new InMemoryEventStore();
    const bad = await failure(run(store, 'LaunchCollaborative', { ...launchData, endsOn: 'soon' }));
    expect(bad).toMatchObject({ kind: 'validation', code: 'invalid_command', field: 'endsOn' });
    const unknown = await failure(run(store, 'LaunchCollaborative', { ...launchData, extra: 1 }));
    expect(unknown).toMatchObject({ kind: 'validation', field: 'extra' });
    const missing = await failure(run(store, 'RecordBaseline', { collaborativeId: C1, agencyId: A1, period: { from: '2025-01-01', to: '2025-02-28' }, counts: { intakeScheduled: 1, intakeNoShows: 2 } }));
    expect(missing).toMatchObject({ kind: 'validation', field: 'counts.intakeNoShows' });
    expect(await failure(run(store, 'Nope', {}))).toMatchObject({ kind: 'validation', code: 'unknown_command' });
  });

  it('appends the target and the enrolment in one call, with metadata', async () => {
    const store = await setUp();
    const r = await run(store, 'AdmitAgency', { collaborativeId: C1, agencyId: A1, cohortId: COHORT1 });
    expect(r).toMatchObject({ aggregate: 'participation', streamId: streamIds.participation(C1, A1), version: 2, replayed: false });
    expect(r.also[0]?.events[0]?.type).toBe('AgencyEnrolledInCohort');
    const collab = await store.readStream(streamIds.collaborative(C1));
    expect(collab.events.at(-1)).toMatchObject({ type: 'AgencyEnrolledInCohort', metadata: { actorId: 'u1', occurredAt: NOW, correlationId: 'c1' } });
    expect(r.lastPosition).toBe(collab.events.at(-1)?.globalPosition);
  });

  it('admits only one of two concurrent admissions into the last seat (retry sees the full cohort)', async () => {
    const store = await setUp(1);
    const results = await Promise.allSettled([
      run(store, 'AdmitAgency', { collaborativeId: C1, agencyId: A1, cohortId: COHORT1 }),
      run(store, 'AdmitAgency', { collaborativeId: C1, agencyId: A2, cohortId: COHORT1 }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect((rejected as PromiseRejectedResult).reason).toMatchObject({ code: 'cohort_full' });
    const { state } = await loadAggregate(store, 'collaborative', C1);
    expect(state).toMatchObject({ cohorts: { [COHORT1]: { members: [expect.any(String)] } } });
  });

  it('rethrows a conflict when the caller gave an expected version', async () => {
    const store = await setUp();
    const e = await failure(run(store, 'AdmitAgency', { collaborativeId: C1, agencyId: A1, cohortId: COHORT1 }, { expectedVersion: 5 }));
    expect(isConcurrencyError(e)).toBe(true);
    const ok = await run(store, 'AdmitAgency', { collaborativeId: C1, agencyId: A1, cohortId: COHORT1 }, { expectedVersion: 1 });
    expect(ok.version).toBe(2);
  });

  it('guards the context streams it read', async () => {
    const store = await setUp(2);
    await run(store, 'AdmitAgency', { collaborativeId: C1, agencyId: A1, cohortId: COHORT1 });
    const original = store.appendMany.bind(store);
    let guards: unknown;
    store.appendMany = (appends, options) => {
      guards = options.guards;
      return original(appends, options);
    };
    await run(store, 'SubmitWalkThrough', { collaborativeId: C1, agencyId: A1, walkedThroughOn: '2025-02-01', findings: 'f' });
    expect(guards).toEqual([{ streamId: streamIds.collaborative(C1), expectedVersion: 5 }]);
  });

  it('replays an idempotent command and refuses a reused key', async () => {
    const store = await setUp();
    const data = { collaborativeId: C1, agencyId: A1, cohortId: COHORT1 };
    const first = await run(store, 'AdmitAgency', data, { idempotencyKey: 'k1' });
    const again = await run(store, 'AdmitAgency', data, { idempotencyKey: 'k1' });
    expect(again).toMatchObject({ replayed: true, version: first.version, streamId: first.streamId, events: first.events, lastPosition: first.lastPosition });
    const reused = await failure(run(store, 'DeclineApplication', { collaborativeId: C1, agencyId: A2, reason: 'r' }, { idempotencyKey: 'k1' }));
    expect(reused).toMatchObject({ kind: 'conflict', code: 'idempotency_key_reused' });
  });

  it('replays through appendMany when the port cannot look keys up', async () => {
    const store = await setUp();
    await run(store, 'AdmitAgency', { collaborativeId: C1, agencyId: A1, cohortId: COHORT1 });
    const port = { readStream: store.readStream.bind(store), appendMany: store.appendMany.bind(store) };
    const data = { collaborativeId: C1, agencyId: A1, role: 'change_leader', person: person(COACH) };
    const first = await executeCommand(port, { type: 'AssignAgencyRole', data }, { ...meta, idempotencyKey: 'k2' });
    const again = await executeCommand(port, { type: 'AssignAgencyRole', data }, { ...meta, idempotencyKey: 'k2' });
    expect(first.replayed).toBe(false);
    expect(again).toMatchObject({ replayed: true, version: first.version, lastPosition: first.lastPosition });
    expect((await store.readStream(first.streamId)).version).toBe(first.version);
  });

  it('nothing happens in a closed collaborative', async () => {
    const store = await setUp();
    await run(store, 'CloseCollaborative', { collaborativeId: C1, closedOn: '2025-06-01' });
    expect(await failure(run(store, 'AdmitAgency', { collaborativeId: C1, agencyId: A1, cohortId: COHORT1 }))).toMatchObject({ code: 'collaborative_closed', kind: 'conflict' });
  });
});

describe('issue 13: commands of one process on one stream take turns', () => {
  it('given 30 concurrent coaching notes on one agency, when they run, then all are stored with no refused append (none decides on a state another is changing)', async () => {
    const store = await setUp(3);
    await run(store, 'AdmitAgency', { collaborativeId: C1, agencyId: A1, cohortId: COHORT1 });
    let refused = 0;
    const appendMany = store.appendMany.bind(store);
    store.appendMany = async (...args) => {
      try {
        return await appendMany(...args);
      } catch (error) {
        if (isConcurrencyError(error)) refused++;
        throw error;
      }
    };
    const notes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => run(store, 'RecordCoachingNote', { collaborativeId: C1, agencyId: A1, coachId: COACH, coachedOn: '2025-03-01', assistance: `note ${i}` })),
    );
    expect(refused).toBe(0);
    expect(notes.map((n) => n.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 3));
    expect((await store.readStream(streamIds.participation(C1, A1))).version).toBe(32);
  });

  it('given a command that fails, when the next on the stream runs, then it is not held up', async () => {
    const store = await setUp(3);
    const [bad, good] = await Promise.allSettled([
      run(store, 'RecordCoachingNote', { collaborativeId: C1, agencyId: A1, coachId: COACH, coachedOn: '2025-03-01', assistance: 'not admitted yet' }),
      run(store, 'AdmitAgency', { collaborativeId: C1, agencyId: A1, cohortId: COHORT1 }),
    ]);
    expect(bad.status).toBe('rejected');
    expect(good.status).toBe('fulfilled');
  });
});
