// Migration 0870: collaboratives whose measures were retired before the planner followed
// MeasureRetired get their data-due cadences set from their stored events, as the planner now
// works them out (catalogueReports: a measure in use, not text, reporting that often).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogueFromTemplate } from '@convene/domain';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { createReactor } from './reactor';

let t: TestDatabase;
let store: EventStore;
const id = (n: number) => `0190e000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const meta = { actorId: 'test', actorRole: 'admin', correlationId: 'retired-migration' };
const migration = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations/0870_worker_retired_measures.sql'), 'utf8');

beforeAll(async () => {
  t = await createTestDatabase();
  store = createEventStore({ pool: t.pool });
});
afterAll(async () => {
  await store.close();
  await t.drop();
});

const base = { name: 'c', aim: 'a', convener: { organizationName: 'o', contact: { personId: id(99), name: 'C', email: 'c@example.org' } }, startsOn: '2025-01-01', endsOn: '2026-12-31', meetingCadence: 'monthly' };
const retire = (c: string, measureId: string) => ({ type: 'MeasureRetired', data: { collaborativeId: c, measureId, reason: 'gone' } });
const define = (c: string, measureId: string, period: string, type = 'count') => ({
  type: 'MeasureDefined', data: { collaborativeId: c, measure: { id: measureId, name: measureId, definition: measureId, type, unit: 'u', direction: 'higher', period, required: false } },
});

describe('migration 0870: data-due cadences after retirements planned before it', () => {
  it('sets each collaborative with a retirement from its launch catalogue (NIATx for version 1), definitions and retirements', async () => {
    const [v1, pediatric, partly, untouched] = [id(1), id(2), id(3), id(4)];
    // Launched before catalogues (schema version 1, no catalogue: NIATx), every NIATx measure retired.
    await store.appendToStream(`collaborative-${v1}`, [
      { type: 'CollaborativeLaunched', schemaVersion: 1, data: { ...base, collaborativeId: v1, focusMeasures: ['admissions'] } },
      ...catalogueFromTemplate('niatx').map((m) => retire(v1, m.id)),
    ], { expectedVersion: 'no_stream', metadata: meta });
    // Quarterly template: its quarterly measures retired, a monthly one and a text one defined.
    await store.appendToStream(`collaborative-${pediatric}`, [
      { type: 'CollaborativeLaunched', schemaVersion: 2, data: { ...base, collaborativeId: pediatric, focusMeasures: [], measureTemplate: 'pediatric-preventive', catalogue: catalogueFromTemplate('pediatric-preventive') } },
      define(pediatric, 'visits', 'monthly'), define(pediatric, 'story', 'quarterly', 'text'),
      ...catalogueFromTemplate('pediatric-preventive').map((m) => retire(pediatric, m.id)),
    ], { expectedVersion: 'no_stream', metadata: meta });
    // NIATx with one measure retired of seven: months still owed.
    await store.appendToStream(`collaborative-${partly}`, [
      { type: 'CollaborativeLaunched', schemaVersion: 2, data: { ...base, collaborativeId: partly, focusMeasures: [], measureTemplate: 'niatx', catalogue: catalogueFromTemplate('niatx') } },
      retire(partly, 'admissions'),
    ], { expectedVersion: 'no_stream', metadata: meta });
    await store.appendToStream(`collaborative-${untouched}`, [
      { type: 'CollaborativeLaunched', schemaVersion: 2, data: { ...base, collaborativeId: untouched, focusMeasures: [], measureTemplate: 'pediatric-preventive', catalogue: catalogueFromTemplate('pediatric-preventive') } },
    ], { expectedVersion: 'no_stream', metadata: meta });
    await createReactor({ pool: t.pool, store }).catchUp();
    const flags = async () => (await t.pool.query('SELECT collaborative_id, monthly_data, quarterly_data FROM worker_collaboratives ORDER BY collaborative_id')).rows.map((r) => [r.monthly_data, r.quarterly_data]);
    const expected = [[false, false], [true, false], [true, false], [false, true]];
    expect(await flags()).toEqual(expected); // the planner, following each retirement

    // As a planner before this change left them: flags only ever turned on.
    await t.pool.query(`UPDATE worker_collaboratives SET monthly_data = true, quarterly_data = (collaborative_id = $1)`, [pediatric]);
    await t.pool.query(`UPDATE worker_collaboratives SET quarterly_data = true WHERE collaborative_id = $1`, [untouched]);
    await t.pool.query(migration);
    // Set from the events where a measure was retired; the collaborative without a retirement is left as it was.
    expect(await flags()).toEqual([[false, false], [true, false], [true, false], [true, true]]);
  });
});
