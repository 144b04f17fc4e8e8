// Issue 13: the command path's cost must not grow with history. A meeting's minutes versions and
// the deliveries about it (about one per invited agency per message) are rows of their own
// (schedule v4), so the meeting row the projector loads and rewrites on each correction or
// delivery keeps its size however long the history, while the reads still show all of it in order.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { scheduleProjection } from '../models';
import { startProjectorRuntime } from '../runtime/daemon';
import { liveInstance } from '../runtime/instances';
import { compareWithFold } from '../testing/harness';
import { getMeeting, listMeetingResources, meetingForAgency } from './meetings';
import { getSiteVisit } from './site-visits';

const C = '0190a000-0000-7000-8000-0000000000c1';
const M = '0190a000-0000-7000-8000-0000000000d1';
const V = '0190a000-0000-7000-8000-0000000000e1';
const AGENCIES = Array.from({ length: 50 }, (_, i) => `0190a000-0000-7000-8000-${String(i + 1).padStart(12, '0')}`);
const CORRECTIONS = 40;

let t: TestDatabase;
let store: EventStore;
let clock = Date.parse('2025-03-01T00:00:00.000Z');
beforeAll(async () => {
  t = await createTestDatabase();
  store = createEventStore({ pool: t.pool });
});
afterAll(async () => {
  await t.drop();
});

const append = async (streamId: string, type: string, data: Record<string, unknown>) => {
  const at = new Date((clock += 60_000));
  await store.appendToStream(streamId, [{ type, data, schemaVersion: 1 }], {
    expectedVersion: 'any', recordedAt: at, metadata: { actorId: 'coach-1', actorRole: 'coach', correlationId: `c${clock}`, occurredAt: at.toISOString() },
  });
};
// The text of correction n, all of one length: a row that keeps only the latest keeps its size.
const text = (n: number) => `Minutes, version ${String(n).padStart(3, '0')}: agencies chose their next PDSA cycles.`;
let sent = 0;
/** One message about the meeting (or the visit): a delivery event per agency, as the worker records them. */
const message = async (about: { meetingId: string } | { visitId: string }, agencies: string[]) => {
  for (const agencyId of agencies) {
    sent += 1;
    await append(`delivery-${C}`, 'MinutesSent', {
      deliveryKey: `k${sent}`, kind: 'minutes', collaborativeId: C, subjectId: 'meeting', agencyId, subject: `Message ${String(sent).padStart(4, '0')}`,
      recipients: [{ email: `cl${sent}@example.org`, role: 'change_leader' }, { email: `es${sent}@example.org`, role: 'executive_sponsor' }],
      rejected: [], sentAt: new Date(clock + 60_000).toISOString(), ...about, // the time append records it at
    });
  }
};

/** Projects what was appended, then the meeting row as stored in the live schedule instance: its size on disk and as JSON. */
async function meetingRowSize(): Promise<{ bytes: number; json: number }> {
  const projector = await startProjectorRuntime({ pool: t.pool, db: t.db, store, projections: [scheduleProjection], pollIntervalMs: 20 });
  await projector.idle();
  await projector.stop();
  const schema = (await liveInstance(t.db, 'schedule'))!.schema_name;
  const { rows } = await t.pool.query<{ bytes: number; json: number }>(
    `SELECT pg_column_size(m.*) AS bytes, octet_length(row_to_json(m)::text) AS json FROM ${schema}.meetings m WHERE id = $1`, [M],
  );
  return rows[0]!;
}

describe('schedule v4: a meeting row does not grow with its history (issue 13)', () => {
  it('keeps the meeting row the same size after 1 or 40 corrections and hundreds of deliveries; reads still list them all in order', async () => {
    await append(`meeting-${M}`, 'MeetingScheduled', {
      meetingId: M, collaborativeId: C, kind: 'regular_call', modality: 'video', startsAt: '2025-04-01T15:00:00Z', durationMinutes: 60,
      callIn: 'https://meet.example.org/c', agenda: 'Monthly call', invitedAgencyIds: AGENCIES,
    });
    await append(`sitevisit-${V}`, 'SiteVisitScheduled', { visitId: V, collaborativeId: C, agencyId: AGENCIES[0], coachId: 'coach-1', scheduledAt: '2025-04-02T14:00:00Z', agenda: 'Walk' });
    await append(`meeting-${M}`, 'MinutesPublished', { meetingId: M, collaborativeId: C, minutes: text(0) });
    await append(`meeting-${M}`, 'MinutesCorrected', { meetingId: M, collaborativeId: C, minutes: text(1), reason: 'Reason 1' });
    await message({ meetingId: M }, AGENCIES);
    const small = await meetingRowSize();

    for (let n = 2; n <= CORRECTIONS; n++) {
      await append(`meeting-${M}`, 'MinutesCorrected', { meetingId: M, collaborativeId: C, minutes: text(n), reason: `Reason ${n}` });
      if (n % 10 === 0) await message({ meetingId: M }, AGENCIES);
    }
    await message({ visitId: V }, [AGENCIES[0]!, AGENCIES[0]!]);
    const large = await meetingRowSize();
    // 40 corrections and 250 deliveries later: the same row, give or take a few bytes.
    expect(Math.abs(large.bytes - small.bytes)).toBeLessThanOrEqual(16);
    expect(Math.abs(large.json - small.json)).toBeLessThanOrEqual(16);

    const m = (await getMeeting(t.db, M))!;
    expect(m.minutes).toMatchObject({ status: 'corrected', text: text(CORRECTIONS), publishedBy: { actorId: 'coach-1', actorRole: 'coach' } });
    expect(m.minutes.corrections.map((c) => [c.text, c.reason])).toEqual(Array.from({ length: CORRECTIONS }, (_, i) => [text(i + 1), `Reason ${i + 1}`]));
    expect(m.minutes.corrections.map((c) => c.correctedAt)).toEqual([...m.minutes.corrections.map((c) => c.correctedAt)].sort());
    // Every delivery, in the order recorded, without addresses; an agency reads its own.
    expect(m.deliveries).toHaveLength(5 * AGENCIES.length);
    expect(m.deliveries.map((d) => d.subject)).toEqual(Array.from({ length: 5 * AGENCIES.length }, (_, i) => `Message ${String(i + 1).padStart(4, '0')}`));
    expect(m.deliveries[0]).toEqual({
      type: 'MinutesSent', kind: 'minutes', agencyId: AGENCIES[0], subject: 'Message 0001', sentAt: expect.any(String), recipients: 2,
      recipientRoles: ['change_leader', 'executive_sponsor'], rejected: 0,
    });
    expect(JSON.stringify(m).includes('@example.org')).toBe(false);
    expect(meetingForAgency(m, AGENCIES[1]!).deliveries.map((d) => d.agencyId)).toEqual(Array(5).fill(AGENCIES[1]));
    // The last delivery about it was the latest change to the meeting.
    expect(m.updatedAt).toBe(m.deliveries.at(-1)!.sentAt);

    // The list shows the same resource; the visit lists its own deliveries only.
    const page = await listMeetingResources(t.db, { collaborativeId: C, keyset: { direction: 'asc', limit: 10 } });
    expect(page.items).toEqual([m]);
    const v = (await getSiteVisit(t.db, V))!;
    expect(v.deliveries.map((d) => d.subject)).toEqual([`Message ${String(sent - 1).padStart(4, '0')}`, `Message ${String(sent).padStart(4, '0')}`]);

    // The child rows are what a fold of the log gives.
    const { actual, expected } = await compareWithFold(t.db, store, scheduleProjection, (await liveInstance(t.db, 'schedule'))!.schema_name);
    expect(actual).toEqual(expected);
    expect(actual.meeting_minutes).toHaveLength(CORRECTIONS + 1);
    expect(actual.meeting_deliveries).toHaveLength(5 * AGENCIES.length);
  });
});
