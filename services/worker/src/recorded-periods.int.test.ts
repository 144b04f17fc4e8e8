// Issue 13: the months and quarters a batch records are written in one statement at its end,
// leaving worker_agencies as the statement per event did (order, no repeats, nothing for an agency
// admitted later in the batch); a value the statement refuses still parks only its event's
// collaborative. Events are written to the store directly (stored history, as in the poison test).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { listParked } from '@convene/db';
import { EventStore } from '@convene/eventstore';
import { createTestDatabase, recordStatements, type TestDatabase } from '@convene/testkit';
import { createReactor, REACTOR_NAME } from './reactor';
import { silentLogger } from './types';

let tdb: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  tdb = await createTestDatabase({ poolSize: 4 });
  store = new EventStore({ pool: tdb.pool, notify: false });
});
afterAll(async () => {
  await store.close();
  await tdb.drop();
});

const meta = { actorId: 'old-api', actorRole: 'convener', correlationId: 'c' };
const append = (stream: string, type: string, data: Record<string, unknown>) =>
  store.appendToStream(stream, [{ type, data }], { expectedVersion: 'any', metadata: meta });
const launch = (collaborativeId: string) =>
  append(`collaborative-${collaborativeId}`, 'CollaborativeLaunched', { collaborativeId, name: 'C', startsOn: '2030-01-01', endsOn: '2030-12-31' });
const admit = (collaborativeId: string, agencyId: string) =>
  append(`participation-${collaborativeId}-${agencyId}`, 'AgencyAdmitted', { collaborativeId, agencyId, cohortId: randomUUID() });
const month = (collaborativeId: string, agencyId: string, m: string) =>
  append(`participation-${collaborativeId}-${agencyId}`, 'MonthlyMeasuresRecorded', { collaborativeId, agencyId, month: m, counts: {} });
const submitted = (collaborativeId: string, agencyId: string, period: string) =>
  append(`participation-${collaborativeId}-${agencyId}`, 'MeasuresSubmitted', { collaborativeId, agencyId, period, values: {} });

const periodsOf = async (collaborativeId: string) =>
  Object.fromEntries(
    (
      await tdb.pool.query<{ agency_id: string; months: string[]; quarters: string[] }>(
        'SELECT agency_id, months, quarters FROM worker_agencies WHERE collaborative_id = $1',
        [collaborativeId],
      )
    ).rows.map((r) => [r.agency_id, { months: r.months, quarters: r.quarters }]),
  );

describe('issue 13: periods recorded by a batch, written together', () => {
  it('issue 13: one statement per batch, leaving the months and quarters the per-event statements left', async () => {
    const c = randomUUID();
    const [a1, a2, late] = [randomUUID(), randomUUID(), randomUUID()];
    await launch(c);
    await admit(c, a1);
    await admit(c, a2);
    await month(c, a1, '2030-02');
    await month(c, a1, '2030-01');
    await month(c, a2, '2030-03');
    await month(c, a1, '2030-02'); // again: not repeated
    await submitted(c, a1, '2030-Q1');
    await submitted(c, a2, '2030-04'); // a monthly period counts as a month
    await month(c, late, '2030-01'); // before its admission: the row did not exist, nothing recorded
    await admit(c, late);
    await month(c, late, '2030-05');

    const recorded = recordStatements(tdb.pool);
    const reactor = createReactor({ pool: tdb.pool, store, logger: silentLogger });
    expect(await reactor.catchUp()).toBeGreaterThan(0);
    recorded.stop();
    const updates = recorded.statements.filter((s) => /UPDATE worker_agencies/.test(s) && /months/.test(s));
    // Six periods recorded one statement each before; the admission in the middle flushes once.
    expect(updates.length).toBe(2);

    expect(await periodsOf(c)).toEqual({
      [a1]: { months: ['2030-02', '2030-01'], quarters: ['2030-Q1'] },
      [a2]: { months: ['2030-03', '2030-04'], quarters: [] },
      [late]: { months: ['2030-05'], quarters: [] },
    });

    // A later batch appends only what is new, after what is there.
    await month(c, a1, '2030-01');
    await month(c, a1, '2030-06');
    await submitted(c, a1, '2030-Q1');
    await submitted(c, a1, '2030-Q2');
    expect(await reactor.catchUp()).toBeGreaterThan(0);
    expect((await periodsOf(c))[a1]).toEqual({ months: ['2030-02', '2030-01', '2030-06'], quarters: ['2030-Q1', '2030-Q2'] });
  });

  it('issue 13: a period the batch statement refuses parks only its collaborative; the rest of the batch is recorded', async () => {
    const [good, bad] = [randomUUID(), randomUUID()];
    const agency = randomUUID();
    await launch(good);
    await launch(bad);
    await admit(good, agency);
    await month(good, agency, '2030-01');
    // Stored history: an agency id the uuid column refuses.
    await month(bad, 'not-a-uuid', '2030-01');
    await month(good, agency, '2030-02');

    const reactor = createReactor({ pool: tdb.pool, store, logger: silentLogger });
    await reactor.catchUp();
    expect((await periodsOf(good))[agency]).toEqual({ months: ['2030-01', '2030-02'], quarters: [] });
    const parked = await listParked(tdb.pool, REACTOR_NAME);
    expect(parked.map((p) => p.eventType)).toEqual(['MonthlyMeasuresRecorded']);
    expect(parked[0]!.key).toContain(bad);
    expect(parked[0]!.error).toMatch(/uuid/);
  });
});
