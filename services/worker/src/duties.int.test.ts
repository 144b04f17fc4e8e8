// Issue 18, the communication duties, through real PostgreSQL, Redis, a projector and SMTP:
// times in the collaborative's zone with the UTC offset, the "why you got this" line, the agenda
// and registration link in reminders, corrected minutes sent again as a correction, and the site
// visit's summary report to the agency's Change Leader and Executive Sponsor.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@convene/eventstore';
import type { TestDatabase } from '@convene/testkit';
import type { Workers } from './index';
import { deliveryStreamId } from './delivery-events';
import { DAY, scenario, TestClock, waitFor, type AgencyInfo } from './testing/scenario';
import type { TestSmtp } from './testing/smtp';
import { startWorkerRig, type WorkerRig } from './testing/worker-rig';

describe('issue 18: communication duties (real SMTP)', () => {
  let rig: WorkerRig;
  let tdb: TestDatabase;
  let store: EventStore;
  let smtp: TestSmtp;
  let workers: Workers;
  const clock = new TestClock(new Date('2030-03-20T09:00:00Z'));
  let s: ReturnType<typeof scenario>;
  let agencies: AgencyInfo[];

  beforeAll(async () => {
    rig = await startWorkerRig(clock, 'wduty', { attempts: 2, backoffMs: 50, readModelWaitMs: 100, publicBaseUrl: 'https://convene.example.org/' });
    ({ tdb, store, smtp, workers } = rig);
    s = scenario(store, clock);
    agencies = await s.launch(2, { timeZone: 'America/Chicago' });
  });
  afterAll(async () => rig?.stop());

  const settle = (count: number) => rig.settle(count);
  /** A due correction: its agencies row is sent first and adds one row per agency, due at once. */
  const sendCorrection = async () => {
    expect((await workers.tick()).dispatched).toBe(1);
    await waitFor(async () => (await tdb.pool.query(`SELECT 1 FROM scheduled_deliveries WHERE kind = 'minutes-correction' AND payload->>'fanOut' = 'agencies' AND status = 'dispatched'`)).rows.length === 0);
    expect((await workers.tick()).dispatched).toBe(2);
  };
  const recorded = async (type: string) => (await store.readStream(deliveryStreamId(s.collaborativeId))).events.filter((e) => e.type === type);

  it('a reminder states the time in the collaborative zone with its UTC offset, the agenda, the registration link and why it came', async () => {
    const [a1] = agencies as [AgencyInfo];
    const startsAt = new Date('2030-04-10T15:00:00Z'); // 10:00 in Chicago (CDT, UTC-05:00)
    const meetingId = await s.scheduleMeeting(startsAt, [a1.agencyId], { agenda: 'Intake PDSA results' });
    const before = smtp.received.length;
    clock.set(new Date(startsAt.getTime() - 7 * DAY + 60_000));
    expect((await workers.tick()).dispatched).toBe(1);
    await settle(before + 1);
    const mail = smtp.received[before]!;
    expect(mail.subject).toContain('10:00 AM America/Chicago (UTC-05:00)');
    expect(mail.text).toContain('Wednesday, April 10, 2030 at 10:00 AM America/Chicago (UTC-05:00)');
    expect(mail.text).toContain('Intake PDSA results');
    expect(mail.text).toContain(`Register: https://convene.example.org/meetings/${meetingId}/register`);
    expect(mail.html).toContain(`https://convene.example.org/meetings/${meetingId}/register`);
    expect(mail.text).toContain('Why you got this: you receive this as Change Leader of Agency 1 or Executive Sponsor of Agency 1 in Access to Treatment.');
  });

  it('corrected minutes go out again to every invitee after the correction delay, as one correction with every reason since', async () => {
    clock.set('2030-05-01T09:00:00Z');
    const meetingId = await s.scheduleMeeting(new Date('2030-05-01T15:00:00Z'), agencies.map((a) => a.agencyId));
    clock.set('2030-05-01T17:00:00Z');
    await s.run('RecordAttendance', { meetingId, attendance: agencies.map((a) => ({ agencyId: a.agencyId, present: true, attendees: [] })) });
    await s.run('PublishMinutes', { meetingId, minutes: 'Agreed: intake within 2 days.' });
    await workers.tick();
    const before = smtp.received.length;
    await settle(before); // the minutes themselves (and the meeting's past reminders, skipped)
    const afterMinutes = smtp.received.length;
    await s.run('CorrectMinutes', { meetingId, minutes: 'Agreed: intake within 3 days.', reason: 'The call agreed on 3 days, not 2' });
    expect((await workers.tick()).dispatched).toBe(0); // waits minutesCorrectionDelayMinutes (15)
    clock.advance(10 * 60_000);
    await s.run('CorrectMinutes', { meetingId, minutes: 'Agreed: intake within 3 working days.', reason: 'Working days' });
    clock.advance(10 * 60_000); // 20 minutes after the first correction, 10 after the second
    expect((await workers.tick()).dispatched).toBe(0);
    // While it waits, a correction is one row whatever the number of agencies (issue 13: it was one
    // per agency, written and cancelled again by each further correction).
    const { rows: waiting } = await tdb.pool.query(
      `SELECT status, payload->>'fanOut' AS fan_out FROM scheduled_deliveries WHERE subject_id = $1 AND kind = 'minutes-correction' ORDER BY created_at`,
      [meetingId],
    );
    expect(waiting).toEqual([{ status: 'cancelled', fan_out: 'agencies' }, { status: 'pending', fan_out: 'agencies' }]);
    clock.advance(6 * 60_000);
    await sendCorrection(); // one per agency: the second replaced the first
    await settle(afterMinutes + 2);
    const corrections = smtp.received.slice(afterMinutes);
    expect(corrections.map((m) => m.to.sort()).sort()).toEqual(agencies.map((a) => [a.changeLeader, a.sponsor].sort()).sort());
    for (const m of corrections) {
      expect(m.subject).toMatch(/^Correction: minutes of Access to Treatment/);
      expect(m.subject).toContain('America/Chicago (UTC-05:00)');
      expect(m.text).toContain('Reasons for the corrections:\n- The call agreed on 3 days, not 2\n- Working days');
      expect(m.text).toContain('intake within 3 working days');
      expect(m.text).not.toContain('intake within 3 days');
      expect(m.text).toContain('Why you got this: you receive this as Change Leader of');
    }
    const sent = (await recorded('MinutesSent')).filter((e) => (e.data as { meetingId: string }).meetingId === meetingId);
    expect(sent.filter((e) => (e.data as { correction?: number }).correction !== undefined)).toHaveLength(2);
    expect(sent.filter((e) => (e.data as { kind: string }).kind === 'minutes')).toHaveLength(2);
    // Planned once: another tick sends nothing more.
    expect((await workers.tick()).dispatched).toBe(0);

    // A correction after that one went out is a message of its own, with its one reason.
    await s.run('CorrectMinutes', { meetingId, minutes: 'Agreed: intake within 2 working days.', reason: 'Recount of the vote' });
    clock.advance(15 * 60_000);
    await sendCorrection();
    await settle(afterMinutes + 4);
    for (const m of smtp.received.slice(afterMinutes + 2)) {
      expect(m.text).toContain('Reason for the correction: Recount of the vote');
      expect(m.text).not.toContain('Working days');
    }
  });

  it("a completed site visit's summary reaches the agency's Change Leader and Executive Sponsor, once", async () => {
    const [a1, a2] = agencies as [AgencyInfo, AgencyInfo];
    clock.set('2030-06-01T09:00:00Z');
    const visitId = randomUUID();
    await s.run('ScheduleSiteVisit', { visitId, collaborativeId: s.collaborativeId, agencyId: a2.agencyId, coachId: s.coachId, scheduledAt: '2030-06-01T10:00:00.000Z', agenda: 'Walk-through of intake' });
    clock.set('2030-06-01T16:00:00Z');
    await s.run('CompleteSiteVisit', { visitId, completedOn: '2030-06-01', summary: 'Intake moved to same-day; two barriers remain.' });
    const before = smtp.received.length;
    expect((await workers.tick()).dispatched).toBe(1);
    await settle(before + 1);
    const mail = smtp.received[before]!;
    expect(mail.to.sort()).toEqual([a2.changeLeader, a2.sponsor].sort());
    expect(mail.to).not.toContain(a1.changeLeader);
    expect(mail.subject).toBe('Site visit summary: Agency 2, Saturday, June 1, 2030');
    expect(mail.text).toContain('two barriers remain');
    expect(mail.text).toContain('you receive this as Change Leader of Agency 2 or Executive Sponsor of Agency 2 in Access to Treatment');
    const events = (await recorded('MessageSent')).filter((e) => (e.data as { visitId?: string }).visitId === visitId);
    expect(events).toHaveLength(1);
    expect((events[0]!.data as { recipients: { role: string }[] }).recipients.map((r) => r.role).sort()).toEqual(['change_leader', 'executive_sponsor']);
    expect((await workers.tick()).dispatched).toBe(0);
  });
});
