import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '@convene/eventstore';
import type { TestDatabase } from '@convene/testkit';
import type { Workers } from './index';
import { deliveryStreamId } from './delivery-events';
import { directoryReader } from './kinds';
import type { TestSmtp } from './testing/smtp';
import { startWorkerRig, type WorkerRig } from './testing/worker-rig';
import { DAY, scenario, TestClock, waitFor } from './testing/scenario';

// Issue 16: a meeting invites one agency, one guest person and a cohort's Change Leaders and
// Executive Sponsors (the cohort audience). Its reminder, its minutes and its corrected minutes reach each of them once —
// the agency's team in its agency message, everyone else in a message of their own naming why —
// and nobody else (an agency of another cohort, the convener, the coach, application contacts).

describe('meeting messages to people and audiences (real PostgreSQL, Redis and SMTP)', () => {
  let rig: WorkerRig;
  let tdb: TestDatabase;
  let store: EventStore;
  let smtp: TestSmtp;
  let workers: Workers;
  const clock = new TestClock(new Date('2030-03-02T09:00:00Z'));
  let s: ReturnType<typeof scenario>;
  let fourth: string; // Agency 4, which withdraws in the last test

  beforeAll(async () => {
    rig = await startWorkerRig(clock, 'wpeople', { attempts: 3, backoffMs: 50, readModelWaitMs: 100 });
    ({ tdb, store, smtp, workers } = rig);
    s = scenario(store, clock);
  });
  afterAll(async () => rig?.stop());

  const idle = () => rig.idle();
  /** Ticks until nothing more is dispatched: the people rows fan out, then their rows are sent. */
  const drain = async () => {
    for (let i = 0; i < 10; i++) {
      const { dispatched } = await workers.tick();
      await idle();
      if (dispatched === 0) return;
    }
  };

  it('the reminder and the minutes reach the agency, the guest and the cohort once each, and nobody else', async () => {
    const [outsider] = await s.launch(1); // cohort 1: not invited
    const cohort2 = randomUUID();
    await s.run('OpenCohort', { collaborativeId: s.collaborativeId, cohortId: cohort2, name: 'Cohort 2', startsOn: '2030-01-01', capacity: 50 });
    const team = async (i: number) => {
      const agencyId = randomUUID();
      const leaderId = randomUUID();
      await s.run('SubmitApplication', { collaborativeId: s.collaborativeId, agencyId, agencyName: `Agency ${i}`, contact: { name: `Contact ${i}`, email: `contact${i}@agency${i}.example.org` }, proposal: 'We will cut our wait' });
      await s.run('AdmitAgency', { collaborativeId: s.collaborativeId, agencyId, cohortId: cohort2 });
      await s.run('AssignAgencyRole', { collaborativeId: s.collaborativeId, agencyId, role: 'change_leader', person: { personId: leaderId, name: `Leader ${i}`, email: `leader${i}@agency${i}.example.org` } });
      await s.run('AssignAgencyRole', { collaborativeId: s.collaborativeId, agencyId, role: 'executive_sponsor', person: { personId: randomUUID(), name: `Sponsor ${i}`, email: `sponsor${i}@agency${i}.example.org` } });
      return { agencyId, leaderId, leader: `leader${i}@agency${i}.example.org`, sponsor: `sponsor${i}@agency${i}.example.org` };
    };
    const [a2, a3, a4] = [await team(2), await team(3), await team(4)];
    fourth = a4.agencyId;
    // The guest speaker: a registered person of a training centre.
    const centre = randomUUID();
    const guestId = randomUUID();
    await s.run('RegisterOrganisation', { organisationId: centre, kind: 'training_centre', name: 'NIATx Training Centre' });
    await s.run('RegisterPerson', { personId: guestId, organisationId: centre, name: 'Gina Guest', email: 'gina@training.example.org' });
    // Agency 3's Change Leader, registered as a person too, is invited by name as well as through the cohort.
    await s.run('RegisterPerson', { personId: a3.leaderId, name: 'Leader 3', email: a3.leader });

    const startsAt = new Date(clock.now().getTime() + 20 * DAY);
    const meetingId = randomUUID();
    await s.run('ScheduleMeeting', {
      meetingId, collaborativeId: s.collaborativeId, kind: 'regular_call', modality: 'video', startsAt: startsAt.toISOString(), durationMinutes: 60,
      callIn: 'https://meet.example.org/convene-call', agenda: 'Wins and barriers',
      invitedAgencyIds: [a2.agencyId], invitedPersonIds: [guestId, a3.leaderId], audiences: [{ type: 'cohort', cohortId: cohort2 }],
    });
    // The guest registers as well: still one message.
    await s.run('RegisterForMeeting', { meetingId, personId: guestId });
    await drain();
    expect(smtp.received).toHaveLength(0);

    const expected = [[a2.leader, a2.sponsor].sort(), ['gina@training.example.org'], [a3.leader], [a3.sponsor], [a4.leader], [a4.sponsor]].sort();
    clock.set(new Date(startsAt.getTime() - 7 * DAY + 60_000));
    await drain();
    const reminders = smtp.received.filter((m) => m.subject.startsWith('Reminder (7d)'));
    expect(reminders.map((m) => m.to.sort()).sort()).toEqual(expected);
    expect(smtp.received).toHaveLength(6);
    const to = (address: string) => reminders.find((m) => m.to.length === 1 && m.to[0] === address)!;
    expect(to('gina@training.example.org').text).toContain('Dear Gina Guest,');
    expect(to('gina@training.example.org').text).toContain('you receive this as guest invited to the regular call');
    expect(to(a3.leader).text).toMatch(/as (Change Leader of Agency 3 or guest invited to the regular call|guest invited to the regular call or Change Leader of Agency 3)/);
    expect(to(a4.sponsor).text).toContain('as Executive Sponsor of Agency 4');
    expect(to(a4.sponsor).text).toContain('Wins and barriers');
    const everyone = smtp.received.flatMap((m) => m.to);
    for (const nobody of [outsider!.changeLeader, outsider!.sponsor, 'convener@example.org', 'coach@example.org', 'contact3@agency3.example.org']) expect(everyone).not.toContain(nobody);

    // The minutes, to the same people once each.
    clock.set(new Date(startsAt.getTime() + 2 * 3600_000));
    await s.run('PublishMinutes', { meetingId, minutes: 'We reviewed walk-throughs.' });
    await drain();
    const minutes = smtp.received.filter((m) => m.subject.startsWith('Minutes:'));
    expect(minutes.map((m) => m.to.sort()).sort()).toEqual(expected);
    expect(minutes.every((m) => m.text.includes('walk-throughs'))).toBe(true);

    // Corrected minutes: again to the same people once each, as a correction.
    await s.run('CorrectMinutes', { meetingId, minutes: 'We reviewed walk-throughs and intake.', reason: 'Intake was left out' });
    clock.advance(15 * 60_000); // the correction delay
    await drain();
    const corrections = smtp.received.filter((m) => m.subject.startsWith('Correction:'));
    expect(corrections.map((m) => m.to.sort()).sort()).toEqual(expected);
    expect(corrections.find((m) => m.to[0] === 'gina@training.example.org')!.text).toContain('Reason for the correction: Intake was left out');

    // Nothing more, however often the clock ticks, nor when a people row runs again (as after a
    // crash between adding its people's rows and marking it): every person's delivery is recorded once.
    const again = await tdb.pool.query(`UPDATE scheduled_deliveries SET status = 'pending', finished_at = NULL WHERE subject_id = $1 AND key LIKE '%-people'`, [meetingId]);
    expect(again.rowCount).toBe(4); // the 7-day and 1-day reminders (the latter due once the meeting had started: none fanned out), minutes, correction
    const { rows: late } = await tdb.pool.query(`SELECT count(*)::int AS n FROM scheduled_deliveries WHERE subject_id = $1 AND key LIKE '%-reminder-1d-%-p-%'`, [meetingId]);
    expect(late[0].n).toBe(0);
    await drain();
    expect(smtp.received).toHaveLength(18);
    const { events } = await store.readStream(deliveryStreamId(s.collaborativeId));
    const rows = events.filter((e) => (e.data as { meetingId?: string }).meetingId === meetingId).map((e) => ({ key: (e.data as { deliveryKey: string }).deliveryKey }));
    expect(rows).toHaveLength(18);
    expect(new Set(rows.map((r) => r.key)).size).toBe(18);
  });
  /** A Change Leaders' meeting is held and its minutes published: the mails they brought. */
  const leadersMeetingMinutes = async (minutes: string) => {
    const startsAt = new Date(clock.now().getTime() + 3 * DAY);
    const meetingId = randomUUID();
    await s.run('ScheduleMeeting', {
      meetingId, collaborativeId: s.collaborativeId, kind: 'change_leader_meeting', modality: 'video', startsAt: startsAt.toISOString(), durationMinutes: 60,
      callIn: 'https://meet.example.org/leaders', agenda: 'Leaders only', audiences: [{ type: 'all_change_leaders' }],
    });
    clock.set(new Date(startsAt.getTime() + 3600_000));
    await s.run('PublishMinutes', { meetingId, minutes });
    const before = smtp.received.length;
    await drain();
    return smtp.received.slice(before);
  };
  const leaders = (...agencies: number[]) => agencies.map((i) => [`leader${i}@agency${i}.example.org`]).sort();

  it('all_change_leaders: the minutes reach every admitted agency\'s Change Leader once, and no Executive Sponsor', async () => {
    const mails = await leadersMeetingMinutes('Leaders compared PDSA cycles.');
    expect(mails.map((m) => m.to).sort()).toEqual(leaders(1, 2, 3, 4));
    expect(mails.find((m) => m.to[0] === 'leader4@agency4.example.org')!.text).toContain('you receive this as Change Leader of Agency 4 in Access to Treatment.');
  });

  it('all_change_leaders: an agency that withdrew is left out, its application still admitted (directory v3)', async () => {
    await s.run('WithdrawAgency', { collaborativeId: s.collaborativeId, agencyId: fourth, withdrawnOn: clock.now().toISOString().slice(0, 10), reason: 'Lost its funding' });
    const mails = await leadersMeetingMinutes('Leaders compared run charts.');
    expect(mails.map((m) => m.to).sort()).toEqual(leaders(1, 2, 3));
    expect((await directoryReader(tdb.pool, 0).agency(s.collaborativeId, fourth)).status).toBe('admitted');
  });
});
