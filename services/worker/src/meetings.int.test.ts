import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { EventStore } from '@convene/eventstore';
import type { TestDatabase } from '@convene/testkit';
import type { Workers } from './index';
import { deliveryStreamId } from './delivery-events';
import type { TestSmtp } from './testing/smtp';
import { startWorkerRig, type WorkerRig } from './testing/worker-rig';
import { DAY, scenario, TestClock, waitFor, type AgencyInfo } from './testing/scenario';

describe('meeting reminders, minutes and follow-ups (real PostgreSQL, Redis and SMTP)', () => {
  let rig: WorkerRig;
  let tdb: TestDatabase;
  let store: EventStore;
  let smtp: TestSmtp;
  let workers: Workers;
  const T0 = new Date('2030-03-02T09:00:00Z');
  const clock = new TestClock(T0);
  let s: ReturnType<typeof scenario>;
  let agencies: AgencyInfo[];

  beforeAll(async () => {
    rig = await startWorkerRig(clock, 'wmeet', { attempts: 2, backoffMs: 50 });
    ({ tdb, store, smtp, workers } = rig);
    s = scenario(store, clock);
    agencies = await s.launch(3);
  });
  afterAll(async () => rig?.stop());

  const deliveryEvents = async (type?: string) => {
    const { events } = await store.readStream(deliveryStreamId(s.collaborativeId));
    return events.filter((e) => !type || e.type === type);
  };
  const settle = (expectedMails: number) => rig.settle(expectedMails, 15_000);

  it('schedule, reschedule, cancel: reminders only for the current time, none after cancelling', async () => {
    const [a1, a2] = agencies as [AgencyInfo, AgencyInfo, AgencyInfo];
    const startsAt = new Date(T0.getTime() + 20 * DAY);
    const meetingId = await s.scheduleMeeting(startsAt, [a1.agencyId, a2.agencyId], { agenda: 'Wins & <barriers>' });
    const before = smtp.received.length;

    expect((await workers.tick()).dispatched).toBe(0);

    // 7 days before: one reminder per invited agency, to its Change Leader and Executive Sponsor.
    clock.set(new Date(startsAt.getTime() - 7 * DAY + 60_000));
    expect((await workers.tick()).dispatched).toBe(2);
    await settle(before + 2);
    const first = smtp.received.slice(before);
    expect(first.map((m) => m.to.sort()).sort()).toEqual([[a1.changeLeader, a1.sponsor].sort(), [a2.changeLeader, a2.sponsor].sort()].sort());
    for (const m of first) {
      expect(m.subject).toContain('Reminder (7d)');
      expect(m.text).toContain('https://meet.example.org/convene-call');
      expect(m.text).toContain('Wins & <barriers>');
      expect(m.html).toContain('Wins &amp; &lt;barriers&gt;');
      const ics = m.attachments.find((a) => a.contentType.startsWith('text/calendar'));
      expect(ics?.content).toContain('BEGIN:VEVENT');
      expect(ics?.content).toContain(`DTSTART:${startsAt.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);
    }

    // Rescheduled 10 days later: the old 1-day reminder is dropped, new 7d and 1d are planned.
    const newStart = new Date(startsAt.getTime() + 10 * DAY);
    clock.advance(60_000);
    await s.run('RescheduleMeeting', { meetingId, startsAt: newStart.toISOString() });
    clock.set(new Date(startsAt.getTime() - DAY + 60_000)); // the old 1-day mark
    expect((await workers.tick()).dispatched).toBe(0);

    clock.set(new Date(newStart.getTime() - 7 * DAY + 60_000));
    expect((await workers.tick()).dispatched).toBe(2);
    await settle(before + 4);
    const second = smtp.received.slice(before + 2);
    expect(second.every((m) => m.subject.includes('Reminder (7d)'))).toBe(true);
    expect(second.every((m) => m.text.includes(String(newStart.getUTCFullYear())))).toBe(true);
    const ics = second[0]!.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    expect(ics?.content).toContain(`DTSTART:${newStart.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);

    // Cancelled: the pending 1-day reminder never goes out.
    await s.run('CancelMeeting', { meetingId, reason: 'Holiday' });
    clock.set(new Date(newStart.getTime() - DAY + 60_000));
    expect((await workers.tick()).dispatched).toBe(0);
    clock.set(new Date(newStart.getTime() + DAY));
    expect((await workers.tick()).dispatched).toBe(0);

    expect(smtp.received.length).toBe(before + 4);
    const sent = (await deliveryEvents('ReminderSent')).filter((e) => (e.data as { meetingId?: string }).meetingId === meetingId);
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map((e) => (e.data as { deliveryKey: string }).deliveryKey)).size).toBe(4);
    const { rows } = await tdb.pool.query(`SELECT status, count(*)::int AS n FROM scheduled_deliveries WHERE subject_id = $1 GROUP BY status ORDER BY status`, [meetingId]);
    expect(rows).toEqual([
      { status: 'cancelled', n: 4 },
      { status: 'sent', n: 4 },
    ]);
  });

  it('minutes reach every invited agency; absentees also get one follow-up with the next meeting', async () => {
    const [a1, a2, a3] = agencies as [AgencyInfo, AgencyInfo, AgencyInfo];
    clock.set(new Date('2030-06-01T09:00:00Z'));
    const startsAt = new Date('2030-06-03T15:00:00Z'); // too close for a 7-day reminder
    const meetingId = await s.scheduleMeeting(startsAt, [a1.agencyId, a2.agencyId, a3.agencyId]);
    const nextStart = new Date('2030-07-01T15:00:00Z');
    await s.scheduleMeeting(nextStart, [a1.agencyId, a2.agencyId, a3.agencyId], { agenda: 'Data review' });
    await workers.tick();
    const before = smtp.received.length;

    clock.set(new Date(startsAt.getTime() + 2 * 3600_000));
    await s.run('RecordAttendance', {
      meetingId,
      attendance: [
        { agencyId: a1.agencyId, present: true, attendees: ['Leader 1'] },
        { agencyId: a2.agencyId, present: false, attendees: [] },
        { agencyId: a3.agencyId, present: false, attendees: [] },
      ],
    });
    await s.run('PublishMinutes', { meetingId, minutes: 'We reviewed walk-throughs. Next: intake PDSA.' });
    // The meeting's own 1-day reminders are due too, but it has started: they are skipped.
    const t = await workers.tick();
    expect(t.dispatched).toBe(3 + 3 + 2);
    await settle(before + 5);
    const { rows } = await tdb.pool.query(`SELECT count(*)::int AS n FROM scheduled_deliveries WHERE subject_id = $1 AND kind = 'meeting-reminder' AND status = 'skipped'`, [meetingId]);
    expect(rows[0].n).toBe(3);

    // Recording attendance again (a3 turned out present) plans no new follow-up for anyone.
    await s.run('RecordAttendance', { meetingId, attendance: [{ agencyId: a3.agencyId, present: true, attendees: ['Leader 3'] }] });
    await s.run('RecordAttendance', { meetingId, attendance: [{ agencyId: a2.agencyId, present: false, attendees: [] }] });
    expect((await workers.tick()).dispatched).toBe(0);

    const mails = smtp.received.slice(before);
    expect(mails).toHaveLength(5);
    const minutes = mails.filter((m) => m.subject.startsWith('Minutes:'));
    expect(minutes.map((m) => m.to.sort()).sort()).toEqual(agencies.map((a) => [a.changeLeader, a.sponsor].sort()).sort());
    expect(minutes.every((m) => m.text.includes('intake PDSA'))).toBe(true);
    const followUps = mails.filter((m) => m.subject.startsWith('We missed you'));
    expect(followUps.map((m) => m.to.sort()).sort()).toEqual([a2, a3].map((a) => [a.changeLeader, a.sponsor].sort()).sort());
    for (const f of followUps) {
      expect(f.text).toContain('intake PDSA');
      expect(f.text).toContain('Data review');
      expect(f.text).toContain('July 1, 2030');
    }
    expect((await deliveryEvents('MinutesSent')).filter((e) => (e.data as { meetingId: string }).meetingId === meetingId)).toHaveLength(3);
    const recorded = (await deliveryEvents('FollowUpSent')).filter((e) => (e.data as { meetingId: string }).meetingId === meetingId);
    expect(recorded).toHaveLength(2);
    expect(recorded.map((e) => (e.data as { agencyId: string }).agencyId).sort()).toEqual([a2.agencyId, a3.agencyId].sort());
    expect((recorded[0]!.data as { recipients: unknown[] }).recipients).toHaveLength(2);
  });
});
