import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { subjectIds } from '@convene/domain';
import { createEventStore, PersonalDataVault, type EventStore } from '@convene/eventstore';
import { liveInstance, projections, readAllRows, testing, type RunningProjector } from '@convene/projections';
import { startProjector } from './index';

let t: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  t = await createTestDatabase();
  store = createEventStore({ pool: t.pool });
});
afterAll(async () => {
  await store.close();
  await t.drop();
});

/** Every live read-model row, as one text to search for names. */
async function liveText(): Promise<string> {
  let text = '';
  for (const p of projections) {
    const live = (await liveInstance(t.db, p.name))!;
    text += JSON.stringify(await readAllRows(t.db, live.schema_name, p.tables));
  }
  return text;
}
const liveSchemas = async () => Promise.all(projections.map(async (p) => (await liveInstance(t.db, p.name))!.schema_name));

/** What POST /v1/privacy/erasures does: the event and the key deletion in one transaction. */
async function erase(subjects: string[]) {
  const erasureId = randomUUID();
  const client = await t.pool.connect();
  try {
    await client.query('BEGIN');
    await store.appendToStream(`privacy-${erasureId}`, [{ type: 'PersonalDataErased', data: { erasureId, subjectIds: subjects } }], {
      expectedVersion: 'no_stream',
      client,
      metadata: { actorId: 'admin', actorRole: 'admin', correlationId: erasureId },
    });
    expect(await new PersonalDataVault(t.pool).erase(subjects, client)).toHaveLength(subjects.length);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  store.notifyAppended();
}

describe('personal-data erasure and the read models', () => {
  it('rebuilds the projections holding personal data: the erased names and e-mails leave the live tables, others stay', async () => {
    const s = await testing.runScenario(store, { collaborative: 1, agencies: 3, months: 2, seed: 5 });
    // Attendees by name: a correction of the meeting's attendance.
    const recorded = s.meetings.find((c) => c.type === 'RecordAttendance')!;
    const data = recorded.data as { attendance: { agencyId: string; present: boolean; attendees: string[] }[] };
    const names = ['Erin Erased', 'Kept Person'];
    expect(
      await testing.run(store, { ...recorded, data: { ...data, attendance: data.attendance.map((a, k) => ({ ...a, present: true, attendees: k < 2 ? [names[k]!] : [] })) } }),
    ).toBe(true);

    let projector: RunningProjector = await startProjector({ pool: t.pool, store, pollIntervalMs: 50 });
    try {
      await projector.idle();
      const before = await liveText();
      // Sponsor 0 (a person in an agency role), agency 0's application contact, an attendee by name.
      for (const v of ['Sponsor 0', 'sponsor.0@example.org', 'Contact 0', 'c0@example.org', 'Erin Erased', 'Sponsor 1', 'Contact 1', 'Kept Person']) expect(before).toContain(v);
      const schemasBefore = await liveSchemas();

      await erase([subjectIds.person(testing.uid(1, 5000)), subjectIds.email('c0@example.org'), subjectIds.name('Erin Erased')]);
      await projector.idle();

      const after = await liveText();
      for (const v of ['Sponsor 0', 'sponsor.0@example.org', 'Contact 0', 'c0@example.org', 'Erin Erased']) expect(after).not.toContain(v);
      for (const v of ['Sponsor 1', 'sponsor.1@example.org', 'Contact 1', 'c1@example.org', 'Kept Person', 'Leader 0', '[erased]']) expect(after).toContain(v);
      // Every projection was rebuilt into fresh tables (the old ones are gone) and equals a fold of the erased log.
      const schemasAfter = await liveSchemas();
      for (const [i, schema] of schemasAfter.entries()) expect(schema).not.toBe(schemasBefore[i]);
      const { rows } = await t.pool.query('SELECT schema_name FROM information_schema.schemata WHERE schema_name = ANY($1)', [schemasBefore]);
      expect(rows).toHaveLength(0);
      for (const p of projections) {
        const { actual, expected } = await testing.compareWithFold(t.db, store, p, (await liveInstance(t.db, p.name))!.schema_name);
        expect(actual).toEqual(expected);
      }

      // A restarted projector does not rebuild again: the new instances were built after the erasure.
      await projector.stop();
      projector = await startProjector({ pool: t.pool, store, pollIntervalMs: 50 });
      await projector.idle();
      expect(await liveSchemas()).toEqual(schemasAfter);
      const { rows: building } = await t.pool.query("SELECT 1 FROM projection_instances WHERE role = 'building'");
      expect(building).toHaveLength(0);
    } finally {
      await projector.stop();
    }
  });
});
