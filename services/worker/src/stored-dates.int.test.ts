// Issue 12.3: events stored before the date bounds (year 0000, which PostgreSQL's date and
// timestamptz refuse, and year 9999) must not stop the reactor.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { createReactor } from './reactor';
import { silentLogger } from './types';

let tdb: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  tdb = await createTestDatabase();
  store = new EventStore({ pool: tdb.pool });
});
afterAll(async () => {
  await store.close();
  await tdb.drop();
});

const meta = { actorId: 'legacy', actorRole: 'admin', correlationId: 'legacy' };
const C = '0190e000-0000-7000-8000-0000000000c1';

describe('the reactor on history stored before the date bounds', () => {
  it('issue 12.3: plans past a collaborative and meetings in year 0000 and 9999 instead of stopping', async () => {
    await store.appendToStream(`collaborative-${C}`, [{
      type: 'CollaborativeLaunched',
      data: {
        collaborativeId: C, name: 'Legacy', aim: 'Old', convener: { organizationName: 'State', contact: { personId: '0190e000-0000-7000-8000-0000000000d1', name: 'Casey', email: 'c@example.org' } },
        focusMeasures: ['admissions'], startsOn: '0000-01-01', endsOn: '9999-12-31', meetingCadence: 'monthly',
        measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
      },
    }], { expectedVersion: 'no_stream', metadata: meta });
    const meeting = (id: string, startsAt: string) => ({
      type: 'MeetingScheduled',
      data: { meetingId: id, collaborativeId: C, kind: 'regular_call', modality: 'video', startsAt, durationMinutes: 60, callIn: 'x', agenda: 'a', invitedAgencyIds: [] },
    });
    const early = '0190e000-0000-7000-8000-0000000000e1';
    const late = '0190e000-0000-7000-8000-0000000000e2';
    await store.appendToStream(`meeting-${early}`, [meeting(early, '0000-01-01T10:00:00Z'), { type: 'MeetingRescheduled', data: { meetingId: early, collaborativeId: C, previousStartsAt: '0000-01-01T10:00:00Z', startsAt: '0000-02-01T10:00:00Z' } }], { expectedVersion: 'no_stream', metadata: meta });
    const { lastPosition } = await store.appendToStream(`meeting-${late}`, [meeting(late, '9999-12-31T10:00:00Z')], { expectedVersion: 'no_stream', metadata: meta });

    const reactor = createReactor({ pool: tdb.pool, store, logger: silentLogger });
    await reactor.catchUp();
    expect(await reactor.position()).toBeGreaterThanOrEqual(lastPosition);
    const { rows } = await tdb.pool.query<{ starts_on: string; ends_on: string }>(
      `SELECT to_char(starts_on, 'YYYY-MM-DD') AS starts_on, to_char(ends_on, 'YYYY-MM-DD') AS ends_on FROM worker_collaboratives WHERE collaborative_id = $1`,
      [C],
    );
    expect(rows).toEqual([{ starts_on: '2000-01-01', ends_on: '2100-12-31' }]);
    const meetings = await tdb.pool.query<{ meeting_id: string }>('SELECT meeting_id FROM worker_meetings ORDER BY meeting_id');
    expect(meetings.rows.map((r) => r.meeting_id)).toEqual([]);
  });
});
