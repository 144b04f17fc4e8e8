import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { DomainError, executeCommand, loadAggregate, type EventStorePort } from '@convene/domain';
import { EventStore } from './event-store';

// The domain's command handler against the real store: the PostgreSQL EventStore must satisfy the
// domain's port, and cross-stream rules must hold under real concurrency.
let tdb: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  tdb = await createTestDatabase({ poolSize: 30 });
  store = new EventStore({ pool: tdb.pool });
});
afterAll(async () => {
  await store.close();
  await tdb.drop();
});

const C = randomUUID();
const COHORT = randomUUID();
const meta = (now: string) => ({ now, actorId: 'admin-1', actorRole: 'admin', correlationId: randomUUID() });
const person = { personId: randomUUID(), name: 'Pat Doe', email: 'pat@example.org' };

describe('executeCommand on PostgreSQL', () => {
  it('admits no more agencies than the cohort holds when 8 admissions race for 3 seats', async () => {
    const port: EventStorePort = store;
    await executeCommand(port, {
      type: 'LaunchCollaborative',
      data: {
        collaborativeId: C,
        name: 'Access',
        aim: 'Cut days to treatment',
        convener: { organizationName: 'State', contact: person },
        focusMeasures: ['waiting_time'],
        startsOn: '2025-01-01',
        endsOn: '2026-06-30',
        meetingCadence: 'monthly',
        measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
      },
    }, meta('2025-01-02T09:00:00Z'));
    await executeCommand(port, { type: 'OpenCohort', data: { collaborativeId: C, cohortId: COHORT, name: 'One', startsOn: '2025-02-01', capacity: 3 } }, meta('2025-01-02T09:00:00Z'));
    const agencies = Array.from({ length: 8 }, () => randomUUID());
    for (const agencyId of agencies) {
      await executeCommand(port, {
        type: 'SubmitApplication',
        data: { collaborativeId: C, agencyId, agencyName: `Agency ${agencyId.slice(0, 4)}`, contact: { name: 'Sam Lee', email: 'sam@example.org' }, proposal: 'p' },
      }, meta('2025-01-03T09:00:00Z'));
    }
    const results = await Promise.allSettled(
      agencies.map((agencyId) => executeCommand(port, { type: 'AdmitAgency', data: { collaborativeId: C, agencyId, cohortId: COHORT } }, meta('2025-01-05T09:00:00Z'))),
    );
    const admitted = results.filter((r) => r.status === 'fulfilled');
    expect(admitted).toHaveLength(3);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DomainError);
    }
    const { events } = await store.readStream(`collaborative-${C}`);
    expect(events.filter((e) => e.type === 'AgencyEnrolledInCohort')).toHaveLength(3);
    const collaborative = await loadAggregate(port, 'collaborative', C);
    expect(collaborative.version).toBe(events.length);
  });

  it('answers an idempotent retry from the stored result without deciding again', async () => {
    const agencyId = randomUUID();
    const command = { type: 'SubmitApplication', data: { collaborativeId: C, agencyId, agencyName: 'Retry', contact: { name: 'Sam Lee', email: 'sam@example.org' }, proposal: 'p' } };
    const first = await executeCommand(store, command, { ...meta('2025-01-03T09:00:00Z'), idempotencyKey: `k-${agencyId}` });
    const again = await executeCommand(store, command, { ...meta('2025-01-03T09:00:01Z'), idempotencyKey: `k-${agencyId}` });
    expect(again.replayed).toBe(true);
    expect(again.lastPosition).toBe(first.lastPosition);
    expect((await store.readStream(first.streamId)).events).toHaveLength(1);
  });
});
