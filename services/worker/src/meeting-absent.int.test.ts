// Issue 13: the UPDATE computes the absent list as the Set did (the same cases as the unit test,
// through PostgreSQL), in one statement.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { EventStore } from '@convene/eventstore';
import { createTestDatabase, recordStatements, type TestDatabase } from '@convene/testkit';
import { absentAfter, recordAbsent } from './meeting-absent';
import { createReactor } from './reactor';
import { scenario, TestClock } from './testing/scenario';
import { silentLogger } from './types';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase({ poolSize: 2 });
});
afterAll(async () => {
  await tdb.drop();
});


const meeting = async (absent: string[]) => {
  const id = randomUUID();
  await tdb.pool.query(
    `INSERT INTO worker_meetings (meeting_id, collaborative_id, starts_at, status, invited, absent, minutes_published)
     VALUES ($1, $2, now(), 'scheduled', '[]', $3, true)`,
    [id, randomUUID(), JSON.stringify(absent)],
  );
  return id;
};

const agency = fc.constantFrom('a', 'b', 'c', 'd', 'e');

describe('issue 13: attendance recorded by one UPDATE', () => {
  it('issue 13: the stored absent list equals a Set applying the entries, and the row is returned from the same statement', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(agency), fc.array(fc.record({ agencyId: agency, present: fc.boolean() }), { maxLength: 10 }), async (before, entries) => {
        const id = await meeting(before);
        const recorded = recordStatements(tdb.pool);
        const row = await recordAbsent(tdb.pool, id, entries);
        recorded.stop();
        expect(recorded.statements).toHaveLength(1);
        expect(row).toEqual({ absent: absentAfter(before, entries), minutes_published: true });
        const stored = await tdb.pool.query<{ absent: string[]; status: string }>('SELECT absent, status FROM worker_meetings WHERE meeting_id = $1', [id]);
        expect(stored.rows[0]).toEqual({ absent: absentAfter(before, entries), status: 'held' });
      }),
      { numRuns: 150 },
    );
  });

  it('issue 13: attendance after the minutes: the newly absent get follow-ups, planned with one statement on the meeting (three before)', async () => {
    const store = new EventStore({ pool: tdb.pool, notify: false });
    const s = scenario(store, new TestClock(new Date()));
    const { agencies, meetingId } = await s.heldMeeting(3);
    await s.run('PublishMinutes', { meetingId, minutes: 'We met.' });
    const reactor = createReactor({ pool: tdb.pool, store, logger: silentLogger });
    await reactor.catchUp();
    await s.run('RecordAttendance', { meetingId, attendance: agencies.map((agencyId, i) => ({ agencyId, present: i === 0, attendees: [] })) });
    const recorded = recordStatements(tdb.pool);
    expect(await reactor.catchUp()).toBeGreaterThan(0);
    recorded.stop();
    expect(recorded.statements.filter((q) => /worker_meetings/.test(q))).toHaveLength(1);
    const followUps = await tdb.pool.query<{ payload: { agencyId: string } }>(`SELECT payload FROM scheduled_deliveries WHERE kind = 'follow-up' AND subject_id = $1`, [meetingId]);
    expect(followUps.rows.map((r) => r.payload.agencyId).sort()).toEqual(agencies.slice(1).sort());
    await store.close();
  });

  it('issue 13: a meeting the planner never planned: nothing written, null', async () => {
    expect(await recordAbsent(tdb.pool, randomUUID(), [{ agencyId: 'a', present: false }])).toBeNull();
  });
});
