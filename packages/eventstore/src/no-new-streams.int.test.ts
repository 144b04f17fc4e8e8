// A command that finds context streams by a query of the store (CorrectCollaborativeDates finds the
// collaborative's meetings) and one that creates a stream the query would find (ScheduleMeeting,
// guarding the collaborative) must not both succeed: write skew, closed by noNewStreams
// (migrations/0860). Against the real store, with the interleaving that used to let both through.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { DomainError, executeCommand } from '@convene/domain';
import { ConcurrencyError } from './errors';
import { EventStore } from './event-store';

let tdb: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  tdb = await createTestDatabase({ poolSize: 12 });
  store = new EventStore({ pool: tdb.pool });
});
afterAll(async () => {
  await store.close();
  await tdb.drop();
});

const metadata = { actorId: 'admin-1', actorRole: 'admin', correlationId: 'c' };
const meetingQuery = (collaborativeId: string, streams: string[]) => ({ eventType: 'MeetingScheduled', match: { collaborativeId }, streams });
const scheduled = (collaborativeId: string, meetingId: string) => ({ type: 'MeetingScheduled', data: { collaborativeId, meetingId, startsAt: '2025-09-02T15:00:00Z' } });
const corrected = (collaborativeId: string) => ({ type: 'CollaborativeDatesCorrected', data: { collaborativeId, startsOn: '2025-01-01', endsOn: '2025-08-31', reason: 'Shortened' } });

async function collaborative(): Promise<string> {
  const id = randomUUID();
  await store.appendToStream(`collaborative-${id}`, [{ type: 'CollaborativeLaunched', data: { collaborativeId: id } }], { expectedVersion: 'no_stream', metadata });
  return id;
}

describe('noNewStreams: an append refused when its query would now find a stream it did not', () => {
  it('refuses once a matching stream was created after the query, and passes when the stream was among those found', async () => {
    const C = await collaborative();
    const found = await store.findStreams({ eventType: 'MeetingScheduled', match: { collaborativeId: C } });
    expect(found).toEqual([]);
    await store.appendToStream(`meeting-${C}-1`, [scheduled(C, 'm1')], { expectedVersion: 'no_stream', metadata });

    const refused = store.appendToStream(`collaborative-${C}`, [corrected(C)], { expectedVersion: 1, metadata, noNewStreams: [meetingQuery(C, found)] });
    await expect(refused).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(refused).rejects.toMatchObject({ streamId: `meeting-${C}-1` });
    expect((await store.readStream(`collaborative-${C}`)).version).toBe(1);
    // Another collaborative's meetings are not this query's.
    const other = await collaborative();
    await store.appendToStream(`meeting-${other}-1`, [scheduled(other, 'm2')], { expectedVersion: 'no_stream', metadata });
    const passed = await store.appendToStream(`collaborative-${C}`, [corrected(C)], { expectedVersion: 1, metadata, noNewStreams: [meetingQuery(C, [`meeting-${C}-1`])] });
    expect(passed.nextExpectedVersion).toBe(2);
  });

  it('with a write that rides with the append: both happen, or neither when the check refuses', async () => {
    await tdb.pool.query('CREATE TABLE IF NOT EXISTS ride_along (note text)');
    const C = await collaborative();
    const alsoWrite = (note: string) => ({ sql: `INSERT INTO ride_along (note) SELECT $1->>0`, values: [note] });
    await store.appendToStream(`meeting-${C}-1`, [scheduled(C, 'm1')], { expectedVersion: 'no_stream', metadata });
    const refused = store.appendToStream(`collaborative-${C}`, [corrected(C)], { expectedVersion: 1, metadata, alsoWrite: alsoWrite(`${C}-refused`), noNewStreams: [meetingQuery(C, [])] });
    await expect(refused).rejects.toBeInstanceOf(ConcurrencyError);
    await store.appendToStream(`collaborative-${C}`, [corrected(C)], { expectedVersion: 1, metadata, alsoWrite: alsoWrite(`${C}-kept`), noNewStreams: [meetingQuery(C, [`meeting-${C}-1`])] });
    const { rows } = await tdb.pool.query<{ note: string }>('SELECT note FROM ride_along WHERE note LIKE $1', [`${C}-%`]);
    expect(rows.map((r) => r.note)).toEqual([`${C}-kept`]);
    expect((await store.readStream(`collaborative-${C}`)).version).toBe(2);
  });

  it('sees a stream whose append committed while this append waited for the row that stream guards', async () => {
    const C = await collaborative();
    const found = await store.findStreams({ eventType: 'MeetingScheduled', match: { collaborativeId: C } });
    // The meeting's append guards the collaborative (FOR SHARE) in a transaction not yet committed.
    const tx = await tdb.pool.connect();
    try {
      await tx.query('BEGIN');
      await store.appendMany([{ streamId: `meeting-${C}-1`, events: [scheduled(C, 'm1')], expectedVersion: 'no_stream' }], {
        metadata, guards: [{ streamId: `collaborative-${C}`, expectedVersion: 1 }], client: tx,
      });
      const correction = store.appendToStream(`collaborative-${C}`, [corrected(C)], { expectedVersion: 1, metadata, noNewStreams: [meetingQuery(C, found)] });
      const settled = correction.then(() => 'appended', (e: unknown) => e);
      // The correction waits for the collaborative's row, held by the meeting's guard.
      expect(await Promise.race([settled, new Promise((r) => setTimeout(() => r('waiting'), 300))])).toBe('waiting');
      await tx.query('COMMIT');
      const outcome = await settled;
      expect(outcome).toBeInstanceOf(ConcurrencyError);
      expect((outcome as ConcurrencyError).streamId).toBe(`meeting-${C}-1`);
    } finally {
      tx.release();
    }
    expect((await store.readStream(`collaborative-${C}`)).version).toBe(1);
    expect((await store.readStream(`meeting-${C}-1`)).version).toBe(1);
  });

  it('through executeCommand: a date correction and a meeting outside the new dates racing never both succeed', async () => {
    const person = { personId: randomUUID(), name: 'Pat Doe', email: 'pat@example.org' };
    const meta = () => ({ now: '2025-01-05T09:00:00Z', actorId: 'admin-1', actorRole: 'admin', correlationId: randomUUID() });
    let bothRefused = 0;
    for (let round = 0; round < 12; round++) {
      const C = randomUUID();
      const agencyId = randomUUID();
      await executeCommand(store, {
        type: 'LaunchCollaborative',
        data: {
          collaborativeId: C, name: 'Access', aim: 'Cut days to treatment', convener: { organizationName: 'State', contact: person },
          focusMeasures: ['waiting_time'], startsOn: '2025-01-01', endsOn: '2026-06-30', meetingCadence: 'monthly',
          measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
        },
      }, meta());
      await executeCommand(store, { type: 'SubmitApplication', data: { collaborativeId: C, agencyId, agencyName: 'Riverside', contact: { name: 'Sam Lee', email: 'sam@example.org' }, proposal: 'p' } }, meta());
      const [meeting, correction] = await Promise.allSettled([
        executeCommand(store, {
          type: 'ScheduleMeeting',
          data: { meetingId: randomUUID(), collaborativeId: C, kind: 'regular_call', modality: 'video', callIn: 'https://call', durationMinutes: 60, agenda: 'Agenda', invitedAgencyIds: [agencyId], startsAt: '2025-09-02T15:00:00Z' },
        }, meta()),
        executeCommand(store, { type: 'CorrectCollaborativeDates', data: { collaborativeId: C, startsOn: '2025-01-01', endsOn: '2025-08-31', reason: 'Shortened' } }, meta()),
      ]);
      // One of the two is refused on the state the other left (a rule, not a conflict).
      expect([meeting.status, correction.status].filter((s) => s === 'fulfilled')).toHaveLength(1);
      for (const r of [meeting, correction]) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DomainError);
      if (meeting.status === 'rejected' && correction.status === 'rejected') bothRefused++;
    }
    expect(bothRefused).toBe(0);
  }, 60_000);
});
