// Issue 16: the worker follows corrections. A corrected span changes the months it chases; a
// corrected baseline span moves the first month owed; a removed change leader or coach gets no mail.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { catalogueFromTemplate } from '@convene/domain';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { planDataDueDeliveries } from './data-due';
import { directoryReader } from './kinds/read-models';
import { startReadModels } from './testing/read-models';
import { createReactor } from './reactor';

let t: TestDatabase;
let store: EventStore;
const id = (n: number) => `0190e000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const meta = { actorId: 'test', actorRole: 'admin', correlationId: 'corrections' };
const C = id(1);
const A = id(11);
const person = (n: number) => ({ personId: id(n), name: `P${n}`, email: `p${n}@example.org` });

beforeAll(async () => {
  t = await createTestDatabase();
  store = createEventStore({ pool: t.pool });
  await store.appendToStream(`collaborative-${C}`, [
    {
      type: 'CollaborativeLaunched', schemaVersion: 2,
      data: {
        collaborativeId: C, name: 'n', aim: 'a', convener: { organizationName: 'o', contact: person(99) }, focusMeasures: ['waiting_time'], startsOn: '2025-01-01', endsOn: '2026-12-31',
        meetingCadence: 'monthly', measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 }, measureTemplate: 'niatx', catalogue: catalogueFromTemplate('niatx'),
      },
    },
    { type: 'SystemRoleAppointed', data: { collaborativeId: C, role: 'coach', person: person(50) } },
  ], { expectedVersion: 'no_stream', metadata: meta });
  await store.appendToStream(`participation-${C}_${A}`, [
    { type: 'ApplicationSubmitted', data: { collaborativeId: C, agencyId: A, agencyName: 'Riverside', contact: { name: 'D', email: 'd@example.org' }, proposal: 'p', submittedAt: '2025-01-02T00:00:00Z' } },
    { type: 'AgencyAdmitted', data: { collaborativeId: C, agencyId: A, cohortId: id(98) } },
    { type: 'AgencyRoleAssigned', data: { collaborativeId: C, agencyId: A, role: 'change_leader', person: person(60) } },
    { type: 'BaselineRecorded', schemaVersion: 2, data: { collaborativeId: C, agencyId: A, period: { from: '2025-01-01', to: '2025-02-28' }, values: {} } },
  ], { expectedVersion: 'no_stream', metadata: meta });
});
afterAll(async () => {
  await store.close();
  await t.drop();
});

const monthsChased = async (at: string) => {
  await t.pool.query(`DELETE FROM scheduled_deliveries WHERE collaborative_id = $1`, [C]);
  // As a worker started afresh would (one that wrote these keys before does not send them again).
  await planDataDueDeliveries({ query: t.pool.query.bind(t.pool) } as never, new Date(at));
  const { rows } = await t.pool.query(`SELECT payload FROM scheduled_deliveries WHERE kind = 'data-due' AND collaborative_id = $1`, [C]);
  return [...new Set(rows.flatMap((r) => r.payload.months as string[]))].sort();
};

describe('issue 16: the worker follows corrections', () => {
  it('issue 16: a corrected span and baseline span change the months chased', async () => {
    await createReactor({ pool: t.pool, store }).catchUp();
    expect(await monthsChased('2025-07-12T09:00:00Z')).toEqual(['2025-03', '2025-04', '2025-05', '2025-06']);
    await store.appendToStream(`collaborative-${C}`, [{ type: 'CollaborativeDatesCorrected', data: { collaborativeId: C, startsOn: '2025-01-01', endsOn: '2025-04-30', reason: 'r' } }], { expectedVersion: 2, metadata: meta });
    await store.appendToStream(`participation-${C}_${A}`, [{ type: 'BaselinePeriodCorrected', data: { collaborativeId: C, agencyId: A, period: { from: '2025-01-01', to: '2025-03-31' }, reason: 'r' } }], { expectedVersion: 4, metadata: meta });
    await createReactor({ pool: t.pool, store }).catchUp();
    expect(await monthsChased('2025-07-12T09:00:00Z')).toEqual(['2025-04']);
  });

  it('issue 16: a removed change leader and a removed coach get no mail', async () => {
    // Recipients come from the directory read model (kinds/read-models.ts), kept by a real projector.
    const projector = await startReadModels(t, store);
    try {
      const reader = async () => {
        await projector.idle();
        const { rows } = await t.pool.query<{ p: string }>('SELECT max(global_position)::text AS p FROM events');
        return directoryReader(t.pool, Number(rows[0]!.p));
      };
      let dir = await reader();
      expect((await dir.agency(C, A)).leaders.map((l) => l.email)).toEqual(['p60@example.org']);
      expect(await dir.staff(C, 'coach', id(50))).not.toBeNull();
      await store.appendToStream(`participation-${C}_${A}`, [{ type: 'AgencyRoleRemoved', data: { collaborativeId: C, agencyId: A, role: 'change_leader', personId: id(60), reason: 'left' } }], { expectedVersion: 5, metadata: meta });
      await store.appendToStream(`collaborative-${C}`, [{ type: 'SystemRoleRemoved', data: { collaborativeId: C, role: 'coach', personId: id(50), reason: 'left' } }], { expectedVersion: 3, metadata: meta });
      dir = await reader();
      // Without a leader the agency's contact is written to, as before any role was named.
      expect((await dir.agency(C, A)).leaders.map((l) => l.email)).toEqual(['d@example.org']);
      expect(await dir.staff(C, 'coach', id(50))).toBeNull();
    } finally {
      await projector.stop();
    }
  });
});
