// Issue 13: a message about a meeting reads only the events after the fold it last read, not the
// meeting's whole history; the fold equals a fold of the whole stream; an erasure drops it (the
// minutes it holds are personal free text).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createEventStore, PersonalDataVault, type EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { scenario, TestClock } from '../testing/scenario';
import { meetingDetails } from './subjects';

let tdb: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  tdb = await createTestDatabase({ poolSize: 4 });
  store = createEventStore({ pool: tdb.pool, notify: false });
});
afterAll(async () => {
  await store.close();
  await tdb.drop();
});

/** The number of events each readStream of `s` returned. */
function countReads(s: EventStore): number[] {
  const reads: number[] = [];
  const original = s.readStream.bind(s);
  s.readStream = async (...args: Parameters<EventStore['readStream']>) => {
    const r = await original(...args);
    reads.push(r.events.length);
    return r;
  };
  return reads;
}

describe('issue 13: meeting details folded on from the last read', () => {
  it('issue 13: a meeting of 200 corrections: the next message reads one event, and the details equal a whole fold', async () => {
    const s = scenario(store, new TestClock(new Date()));
    const { agencies, meetingId } = await s.heldMeeting(2);
    await s.run('PublishMinutes', { meetingId, minutes: 'We met.' });
    const reads = countReads(store);
    expect((await meetingDetails(store, meetingId))?.minutes).toBe('We met.');
    for (let i = 0; i < 200; i++) await s.run('CorrectMinutes', { meetingId, minutes: `We met (rev ${i}).`, reason: 'Typo' });
    await s.run('RecordAttendance', { meetingId, attendance: agencies.map((agencyId, i) => ({ agencyId, present: i === 0, attendees: [] })) });
    await meetingDetails(store, meetingId); // reads the 201 events since
    await s.run('CorrectMinutes', { meetingId, minutes: 'We met (final).', reason: 'Typo' });
    const details = await meetingDetails(store, meetingId);
    // 2 events at first, then the 201 since, then the 1 since: the whole stream (204) is read once.
    expect(reads).toEqual([2, 201, 1]);
    expect(await meetingDetails(store, meetingId)).toBe(details); // nothing new: the same fold
    expect(reads).toEqual([2, 201, 1, 0]);

    const fresh = createEventStore({ pool: tdb.pool, notify: false }); // another cache: a whole fold
    const whole = await meetingDetails(fresh, meetingId);
    await fresh.close();
    expect(details).toEqual(whole);
    expect(details?.corrections).toHaveLength(201);
    expect(details?.minutes).toBe('We met (final).');
    expect(details?.absent).toEqual([agencies[1]]);
  });

  it('issue 13: an erasure drops the cached fold: erased minutes read as the placeholder at once', async () => {
    const s = scenario(store, new TestClock(new Date()));
    const { meetingId } = await s.heldMeeting(1);
    await s.run('PublishMinutes', { meetingId, minutes: 'Jane Doe reported her illness.' });
    expect((await meetingDetails(store, meetingId))?.minutes).toBe('Jane Doe reported her illness.');
    // The minutes are sealed under their author's key (the scenario's actor): erase every key.
    const { rows } = await tdb.pool.query<{ subject_id: string }>('SELECT subject_id FROM personal_data_keys');
    expect(rows.length).toBeGreaterThan(0);
    await new PersonalDataVault(tdb.pool).erase(rows.map((r) => r.subject_id));
    const after = await meetingDetails(store, meetingId);
    expect(after?.minutes).not.toContain('Jane');
    expect(after?.meetingId).toBe(meetingId);
  });

  it('a meeting that does not exist: null, then its details once scheduled', async () => {
    const meetingId = randomUUID();
    expect(await meetingDetails(store, meetingId)).toBeNull();
    const { agencies } = await scenario(store, new TestClock(new Date())).heldMeeting(1, { meetingId });
    expect((await meetingDetails(store, meetingId))?.invited).toEqual(agencies);
  });
});
