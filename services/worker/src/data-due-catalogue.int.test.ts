// Issue 15: data-due reminders read the catalogue. A collaborative whose catalogue reports only
// quarterly (the pediatric template) gets quarterly reminders and no monthly ones; a NIATx one
// monthly ones; a monthly or quarterly submission through the catalogue commands counts as recorded.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogueFromTemplate } from '@convene/domain';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { planDataDueDeliveries } from './data-due';
import { dataDueMessage } from './kinds/data-due';
import { processDelivery, type ProcessorDeps } from './processor';
import { createReactor } from './reactor';
import { silentLogger } from './types';

let t: TestDatabase;
let store: EventStore;
const id = (n: number) => `0190e000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const meta = { actorId: 'test', actorRole: 'admin', correlationId: 'data-due' };
// Migration 0870 (its test at the end): collaboratives whose measures were retired before the
// planner followed MeasureRetired get their data-due cadences set from their stored events, as the
// planner now works them out (catalogueReports: a measure in use, not text, reporting that often).
const migration = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations/0870_worker_retired_measures.sql'), 'utf8');
const launchData = { name: 'c', aim: 'a', convener: { organizationName: 'o', contact: { personId: id(99), name: 'C', email: 'c@example.org' } }, startsOn: '2025-01-01', endsOn: '2026-12-31', meetingCadence: 'monthly' };
const retireIn = (c: string, measureId: string) => ({ type: 'MeasureRetired', data: { collaborativeId: c, measureId, reason: 'gone' } });
const defineIn = (c: string, measureId: string, period: string, type = 'count') => ({
  type: 'MeasureDefined', data: { collaborativeId: c, measure: { id: measureId, name: measureId, definition: measureId, type, unit: 'u', direction: 'higher', period, required: false } },
});

async function launch(c: string, template: 'niatx' | 'pediatric-preventive', agency: string) {
  await store.appendToStream(`collaborative-${c}`, [{
    type: 'CollaborativeLaunched', schemaVersion: 2,
    data: {
      ...launchData, collaborativeId: c, name: template, focusMeasures: ['lead_screening'],
      measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 }, measureTemplate: template, catalogue: catalogueFromTemplate(template),
    },
  }], { expectedVersion: 'no_stream', metadata: meta });
  await store.appendToStream(`participation-${c}_${agency}`, [
    { type: 'AgencyAdmitted', data: { collaborativeId: c, agencyId: agency, cohortId: id(98) } },
    { type: 'BaselineRecorded', schemaVersion: 2, data: { collaborativeId: c, agencyId: agency, period: { from: '2025-01-01', to: '2025-03-31' }, values: {} } },
  ], { expectedVersion: 'any', metadata: meta });
}

let sender: ProcessorDeps;
beforeAll(async () => {
  t = await createTestDatabase();
  store = createEventStore({ pool: t.pool });
  const mailer = { send: () => Promise.reject(new Error('this test sends nothing')), close() {}, description: 'none' };
  sender = { pool: t.pool, store, mailer, clock: () => new Date('2025-07-12T09:00:00Z'), from: 'convene@example.org', logger: silentLogger };
});
afterAll(async () => {
  await store.close();
  await t.drop();
});

describe('issue 15: data-due reminders follow the catalogue', () => {
  it('issue 15: a quarterly catalogue is chased by quarter, a NIATx one by month; submissions count', async () => {
    await launch(id(1), 'pediatric-preventive', id(11));
    await launch(id(2), 'niatx', id(21));
    await store.appendToStream(`participation-${id(2)}_${id(21)}`, [
      { type: 'MeasuresSubmitted', data: { collaborativeId: id(2), agencyId: id(21), period: '2025-04', values: { admissions: { count: 3 } } } },
    ], { expectedVersion: 'any', metadata: meta });
    // A second practice submitted Q2: not chased.
    await store.appendToStream(`participation-${id(1)}_${id(12)}`, [
      { type: 'AgencyAdmitted', data: { collaborativeId: id(1), agencyId: id(12), cohortId: id(98) } },
      { type: 'BaselineRecorded', schemaVersion: 2, data: { collaborativeId: id(1), agencyId: id(12), period: { from: '2025-01-01', to: '2025-03-31' }, values: {} } },
      { type: 'MeasuresSubmitted', data: { collaborativeId: id(1), agencyId: id(12), period: '2025-Q2', values: { lead_screening: { numerator: 3, denominator: 9 } } } },
    ], { expectedVersion: 'any', metadata: meta });
    await createReactor({ pool: t.pool, store }).catchUp();
    const { rows: collabs } = await t.pool.query('SELECT collaborative_id, monthly_data, quarterly_data FROM worker_collaboratives ORDER BY collaborative_id');
    expect(collabs).toEqual([
      { collaborative_id: id(1), monthly_data: false, quarterly_data: true },
      { collaborative_id: id(2), monthly_data: true, quarterly_data: false },
    ]);
    const { rows: agencies } = await t.pool.query('SELECT agency_id, months, quarters FROM worker_agencies WHERE agency_id IN ($1, $2) ORDER BY agency_id', [id(12), id(21)]);
    expect(agencies.map((a) => [a.months, a.quarters])).toEqual([[[], ['2025-Q2']], [['2025-04'], []]]);
    // Before Q2's due day (10 July): only the NIATx months are chased.
    await planDataDueDeliveries(t.pool, new Date('2025-07-09T09:00:00Z'));
    const before = await t.pool.query(`SELECT collaborative_id FROM scheduled_deliveries WHERE kind = 'data-due'`);
    expect(before.rows.map((r) => r.collaborative_id)).toEqual([id(2)]);
    await planDataDueDeliveries(t.pool, new Date('2025-07-12T09:00:00Z'));
    const { rows } = await t.pool.query(`SELECT key, collaborative_id, subject_id, due_at, payload FROM scheduled_deliveries WHERE kind = 'data-due' AND due_at >= '2025-07-10' ORDER BY collaborative_id`);
    expect(rows.map((r) => [r.collaborative_id, r.subject_id, r.payload.months])).toEqual([
      [id(1), `${id(1)}_${id(11)}`, ['2025-Q2']],
      [id(2), `${id(2)}_${id(21)}`, ['2025-05', '2025-06']],
    ]);
    // The quarter and the month fall due the same day; each has its own key.
    expect(rows.map((r) => new Date(r.due_at).toISOString())).toEqual(['2025-07-10T00:00:00.000Z', '2025-07-10T00:00:00.000Z']);
    expect(rows[0].key).toMatch(/-q$/);
    const digest = await t.pool.query(`SELECT payload FROM scheduled_deliveries WHERE kind = 'data-digest' AND collaborative_id = $1`, [id(1)]);
    expect(digest.rows.map((r) => r.payload.missing)).toEqual([[{ agencyId: id(11), months: ['2025-Q2'] }]]);
  });

  it('a period whose measures are all retired is no longer chased; a measure defined again for it chases it again', async () => {
    const c = id(4);
    await launch(c, 'niatx', id(41));
    const monthly = catalogueFromTemplate('niatx').map((m) => m.id);
    const retire = (measureId: string) => retireIn(c, measureId);
    const flags = async () => (await t.pool.query('SELECT monthly_data, quarterly_data FROM worker_collaboratives WHERE collaborative_id = $1', [c])).rows[0];
    const chased = async (at: string) => {
      await planDataDueDeliveries(t.pool, new Date(at));
      return (await t.pool.query(`SELECT payload FROM scheduled_deliveries WHERE kind = 'data-due' AND collaborative_id = $1 ORDER BY due_at`, [c])).rows.map((r) => r.payload.months.at(-1));
    };
    // All but one retired: months still owed.
    await store.appendToStream(`collaborative-${c}`, monthly.slice(1).map(retire), { expectedVersion: 'any', metadata: meta });
    await createReactor({ pool: t.pool, store }).catchUp();
    expect(await flags()).toEqual({ monthly_data: true, quarterly_data: false });
    expect(await chased('2025-06-12T09:00:00Z')).toEqual(['2025-05']);
    // The last one retired: nothing is owed, no round is planned.
    await store.appendToStream(`collaborative-${c}`, [retire(monthly[0]!)], { expectedVersion: 'any', metadata: meta });
    await createReactor({ pool: t.pool, store }).catchUp();
    expect(await flags()).toEqual({ monthly_data: false, quarterly_data: false });
    expect(await chased('2025-07-12T09:00:00Z')).toEqual(['2025-05']);
    // The round planned while months were owed is not sent now: its reminder nor the convener's digest.
    const planned = (await t.pool.query(`SELECT key FROM scheduled_deliveries WHERE collaborative_id = $1 AND kind IN ('data-due', 'data-digest')`, [c])).rows;
    expect(planned).toHaveLength(2);
    for (const { key } of planned) expect(await processDelivery(sender, key)).toBe('skipped');
    // A new monthly measure: months are owed again.
    await store.appendToStream(`collaborative-${c}`, [defineIn(c, 'peer_contacts', 'monthly')], { expectedVersion: 'any', metadata: meta });
    await createReactor({ pool: t.pool, store }).catchUp();
    expect(await flags()).toEqual({ monthly_data: true, quarterly_data: false });
    expect(await chased('2025-08-12T09:00:00Z')).toEqual(['2025-05', '2025-07']);
  });

  it('issue 15: the reminder of a quarter says quarterly', () => {
    const agency = { agencyName: 'Practice A', leaders: [{ name: 'L', email: 'l@example.org', role: 'change_leader', as: 'Change Leader of Practice A' }] };
    expect(dataDueMessage({ name: 'First STEPS', timeZone: 'UTC' }, agency, ['2025-Q2']).subject).toBe('First STEPS: quarterly data due for 2025-Q2');
    expect(dataDueMessage({ name: 'Access', timeZone: 'UTC' }, agency, ['2025-05']).subject).toBe('Access: monthly data due for 2025-05');
  });
});

describe('issue 13: a data-due round costs one statement to write, however many agencies it chases', () => {
  it('issue 13: 40 agencies missing months are planned with one INSERT, and the next ticks write nothing new, nor send it again', async () => {
    const c = id(3);
    await launch(c, 'niatx', id(300));
    for (let i = 1; i < 40; i++) {
      await store.appendToStream(`participation-${c}_${id(300 + i)}`, [
        { type: 'AgencyAdmitted', data: { collaborativeId: c, agencyId: id(300 + i), cohortId: id(98) } },
        { type: 'BaselineRecorded', schemaVersion: 2, data: { collaborativeId: c, agencyId: id(300 + i), period: { from: '2025-01-01', to: '2025-03-31' }, values: {} } },
      ], { expectedVersion: 'any', metadata: meta });
    }
    await createReactor({ pool: t.pool, store }).catchUp();
    const statements: string[] = [];
    const counted = { query: (text: string, values?: unknown[]) => (statements.push(text), t.pool.query(text, values)) };
    const at = new Date('2025-06-12T09:00:00Z');
    const planned = await planDataDueDeliveries(counted as never, at);
    const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM scheduled_deliveries WHERE collaborative_id = $1 AND kind = 'data-due'`, [c]);
    expect(rows[0].n).toBe(40);
    expect(planned).toBeGreaterThanOrEqual(41); // and the convener's digest
    const inserts = statements.filter((s) => /INSERT INTO scheduled_deliveries/.test(s));
    expect(inserts.length).toBeLessThanOrEqual(3); // one per collaborative with a round due (three here)
    expect(await planDataDueDeliveries(t.pool, at)).toBe(0);
    // The next tick of the same worker does not even send the round again (it re-sent every row
    // each second, to be refused by ON CONFLICT): no INSERT, until a row changes.
    statements.length = 0;
    expect(await planDataDueDeliveries(counted as never, at)).toBe(0);
    expect(statements.filter((s) => /INSERT INTO scheduled_deliveries/.test(s))).toHaveLength(0);
    await store.appendToStream(`participation-${c}_${id(301)}`, [
      { type: 'MonthlyMeasuresRecorded', data: { collaborativeId: c, agencyId: id(301), month: '2025-04', counts: {} } },
    ], { expectedVersion: 'any', metadata: meta });
    await createReactor({ pool: t.pool, store }).catchUp();
    // A row's payload changed (a month recorded): nothing to send, ON CONFLICT would keep the row as it is.
    expect(await planDataDueDeliveries(counted as never, at)).toBe(0);
    expect(statements.filter((s) => /INSERT INTO scheduled_deliveries/.test(s))).toHaveLength(0);
    // An agency admitted since: its row, and only its row, is sent.
    await store.appendToStream(`participation-${c}_${id(340)}`, [
      { type: 'AgencyAdmitted', data: { collaborativeId: c, agencyId: id(340), cohortId: id(98) } },
      { type: 'BaselineRecorded', schemaVersion: 2, data: { collaborativeId: c, agencyId: id(340), period: { from: '2025-01-01', to: '2025-03-31' }, values: {} } },
    ], { expectedVersion: 'any', metadata: meta });
    await createReactor({ pool: t.pool, store }).catchUp();
    expect(await planDataDueDeliveries(counted as never, at)).toBe(1);
    expect(statements.filter((s) => /INSERT INTO scheduled_deliveries/.test(s))).toHaveLength(1);
  });
});


describe('migration 0870: data-due cadences after retirements planned before it', () => {
  it('sets each collaborative with a retirement from its launch catalogue (NIATx for version 1), definitions and retirements', async () => {
    const [v1, pediatric, partly, untouched] = [id(51), id(52), id(53), id(54)];
    // Launched before catalogues (schema version 1, no catalogue: NIATx), every NIATx measure retired.
    await store.appendToStream(`collaborative-${v1}`, [
      { type: 'CollaborativeLaunched', schemaVersion: 1, data: { ...launchData, collaborativeId: v1, focusMeasures: ['admissions'] } },
      ...catalogueFromTemplate('niatx').map((m) => retireIn(v1, m.id)),
    ], { expectedVersion: 'no_stream', metadata: meta });
    // Quarterly template: its quarterly measures retired, a monthly one and a text one defined.
    await store.appendToStream(`collaborative-${pediatric}`, [
      { type: 'CollaborativeLaunched', schemaVersion: 2, data: { ...launchData, collaborativeId: pediatric, focusMeasures: [], measureTemplate: 'pediatric-preventive', catalogue: catalogueFromTemplate('pediatric-preventive') } },
      defineIn(pediatric, 'visits', 'monthly'), defineIn(pediatric, 'story', 'quarterly', 'text'),
      ...catalogueFromTemplate('pediatric-preventive').map((m) => retireIn(pediatric, m.id)),
    ], { expectedVersion: 'no_stream', metadata: meta });
    // NIATx with one measure retired of seven: months still owed.
    await store.appendToStream(`collaborative-${partly}`, [
      { type: 'CollaborativeLaunched', schemaVersion: 2, data: { ...launchData, collaborativeId: partly, focusMeasures: [], measureTemplate: 'niatx', catalogue: catalogueFromTemplate('niatx') } },
      retireIn(partly, 'admissions'),
    ], { expectedVersion: 'no_stream', metadata: meta });
    await store.appendToStream(`collaborative-${untouched}`, [
      { type: 'CollaborativeLaunched', schemaVersion: 2, data: { ...launchData, collaborativeId: untouched, focusMeasures: [], measureTemplate: 'pediatric-preventive', catalogue: catalogueFromTemplate('pediatric-preventive') } },
    ], { expectedVersion: 'no_stream', metadata: meta });
    await createReactor({ pool: t.pool, store }).catchUp();
    const flags = async () => (await t.pool.query('SELECT monthly_data, quarterly_data FROM worker_collaboratives WHERE collaborative_id = ANY($1) ORDER BY collaborative_id', [[v1, pediatric, partly, untouched]])).rows.map((r) => [r.monthly_data, r.quarterly_data]);
    const expected = [[false, false], [true, false], [true, false], [false, true]];
    expect(await flags()).toEqual(expected); // the planner, following each retirement

    // As a planner before this change left them: flags only ever turned on.
    await t.pool.query(`UPDATE worker_collaboratives SET monthly_data = true, quarterly_data = (collaborative_id = $1) WHERE collaborative_id = ANY($2)`, [pediatric, [v1, pediatric, partly, untouched]]);
    await t.pool.query(`UPDATE worker_collaboratives SET quarterly_data = true WHERE collaborative_id = $1`, [untouched]);
    await t.pool.query(migration);
    // Set from the events where a measure was retired; the collaborative without a retirement is left as it was.
    expect(await flags()).toEqual([[false, false], [true, false], [true, false], [true, true]]);
  });
});
