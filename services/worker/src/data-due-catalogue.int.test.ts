// Issue 15: data-due reminders read the catalogue. A collaborative whose catalogue reports only
// quarterly (the pediatric template) gets no monthly reminders; a NIATx one does; a monthly
// submission through the catalogue commands counts as the month recorded.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { catalogueFromTemplate } from '@convene/domain';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { planDataDueDeliveries } from './data-due';
import { createReactor } from './reactor';

let t: TestDatabase;
let store: EventStore;
const id = (n: number) => `0190e000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const meta = { actorId: 'test', actorRole: 'admin', correlationId: 'data-due' };

async function launch(c: string, template: 'niatx' | 'pediatric-preventive', agency: string) {
  await store.appendToStream(`collaborative-${c}`, [{
    type: 'CollaborativeLaunched', schemaVersion: 2,
    data: {
      collaborativeId: c, name: template, aim: 'a', convener: { organizationName: 'o', contact: { personId: id(99), name: 'C', email: 'c@example.org' } },
      focusMeasures: ['lead_screening'], startsOn: '2025-01-01', endsOn: '2026-12-31', meetingCadence: 'monthly',
      measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 }, measureTemplate: template, catalogue: catalogueFromTemplate(template),
    },
  }], { expectedVersion: 'no_stream', metadata: meta });
  await store.appendToStream(`participation-${c}_${agency}`, [
    { type: 'AgencyAdmitted', data: { collaborativeId: c, agencyId: agency, cohortId: id(98) } },
    { type: 'BaselineRecorded', schemaVersion: 2, data: { collaborativeId: c, agencyId: agency, period: { from: '2025-01-01', to: '2025-03-31' }, values: {} } },
  ], { expectedVersion: 'any', metadata: meta });
}

beforeAll(async () => {
  t = await createTestDatabase();
  store = createEventStore({ pool: t.pool });
});
afterAll(async () => {
  await store.close();
  await t.drop();
});

describe('issue 15: data-due reminders follow the catalogue', () => {
  it('no monthly reminders for a quarterly catalogue; a NIATx one is chased for months not submitted, a monthly submission counts', async () => {
    await launch(id(1), 'pediatric-preventive', id(11));
    await launch(id(2), 'niatx', id(21));
    await store.appendToStream(`participation-${id(2)}_${id(21)}`, [
      { type: 'MeasuresSubmitted', data: { collaborativeId: id(2), agencyId: id(21), period: '2025-04', values: { admissions: { count: 3 } } } },
    ], { expectedVersion: 'any', metadata: meta });
    await createReactor({ pool: t.pool, store }).catchUp();
    const { rows: collabs } = await t.pool.query('SELECT collaborative_id, monthly_data FROM worker_collaboratives ORDER BY collaborative_id');
    expect(collabs).toEqual([{ collaborative_id: id(1), monthly_data: false }, { collaborative_id: id(2), monthly_data: true }]);
    const { rows: agencies } = await t.pool.query('SELECT agency_id, months FROM worker_agencies WHERE agency_id = $1', [id(21)]);
    expect(agencies[0].months).toEqual(['2025-04']);
    await planDataDueDeliveries(t.pool, new Date('2025-07-20T09:00:00Z'));
    const { rows } = await t.pool.query(`SELECT collaborative_id, payload FROM scheduled_deliveries WHERE kind = 'data-due'`);
    expect(rows.map((r) => [r.collaborative_id, r.payload.months])).toEqual([[id(2), ['2025-05', '2025-06']]]);
  });
});
