import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { EventStore } from '@convene/eventstore';
import type { TestDatabase } from '@convene/testkit';
import { setDeliverySettings, type Workers } from './index';
import { buildApp, createApiKey, loadConfig } from '@convene/api';
import { createDb } from '@convene/db';
import { deliveryStreamId } from './delivery-events';
import type { TestSmtp } from './testing/smtp';
import { startWorkerRig, type WorkerRig } from './testing/worker-rig';
import { scenario, TestClock, waitFor, type AgencyInfo } from './testing/scenario';

describe('site visits, monthly data, retries and dead letters', () => {
  let rig: WorkerRig;
  let tdb: TestDatabase;
  let store: EventStore;
  let smtp: TestSmtp;
  let workers: Workers;
  const clock = new TestClock(new Date('2030-01-05T09:00:00Z'));
  let s: ReturnType<typeof scenario>;
  let agencies: AgencyInfo[];

  beforeAll(async () => {
    rig = await startWorkerRig(clock, 'wsched', { attempts: 3, backoffMs: 20 });
    ({ tdb, store, smtp, workers } = rig);
    s = scenario(store, clock);
    agencies = await s.launch(3);
  });
  afterAll(async () => rig?.stop());

  const drained = () => rig.idle();

  it('site visit: one reminder to the agency and the coach at the configured offset, re-planned on reschedule', async () => {
    const a1 = agencies[0]!;
    await setDeliverySettings(tdb.pool, s.collaborativeId, { siteVisitReminderOffsetsMinutes: [2 * 24 * 60] });
    const visitId = '0c3c4a4e-7d55-4f0e-9a35-3f6c2d0b2a11';
    await s.run('ScheduleSiteVisit', { visitId, collaborativeId: s.collaborativeId, agencyId: a1.agencyId, coachId: s.coachId, scheduledAt: '2030-01-20T14:00:00.000Z', agenda: 'Walk-through of intake' });
    await s.run('RescheduleSiteVisit', { visitId, scheduledAt: '2030-01-22T14:00:00.000Z' });
    clock.set('2030-01-18T15:00:00Z'); // the old 2-day mark
    expect((await workers.tick()).dispatched).toBe(0);
    clock.set('2030-01-20T15:00:00Z');
    expect((await workers.tick()).dispatched).toBe(1);
    await waitFor(() => smtp.received.length === 1, 10_000, 'visit reminder');
    const m = smtp.received[0]!;
    expect(m.to.sort()).toEqual([a1.changeLeader, a1.sponsor, 'coach@example.org'].sort());
    expect(m.subject).toContain('Reminder (2d)');
    expect(m.text).toContain('Walk-through of intake');
    expect(m.attachments.some((a) => a.contentType.startsWith('text/calendar') && a.content.includes('DTSTART:20300122T140000Z'))).toBe(true);
    await drained();
  });

  it('monthly data: weekly reminders to agencies missing a month after the due day, until recorded; a digest to the convener', async () => {
    const [a1, a2, a3] = agencies as [AgencyInfo, AgencyInfo, AgencyInfo];
    const counts = { clientsTreated: 10, totalDaysToTreatment: 120, intakeScheduled: 20, intakeNoShows: 5 };
    for (const a of [a1, a2, a3]) {
      await s.run('RecordBaseline', { collaborativeId: s.collaborativeId, agencyId: a.agencyId, period: { from: '2029-11-01', to: '2029-12-31' }, counts });
    }
    clock.set('2030-02-03T09:00:00Z');
    await s.run('RecordMonthlyMeasures', { collaborativeId: s.collaborativeId, agencyId: a1.agencyId, month: '2030-01', counts });
    const before = smtp.received.length;
    expect((await workers.tick()).dispatched).toBe(0); // January is due on 10 February

    clock.set('2030-02-10T08:00:00Z');
    expect((await workers.tick()).dispatched).toBe(3); // a2, a3, digest
    await waitFor(() => smtp.received.length === before + 3, 10_000, 'first round');
    expect((await workers.tick()).dispatched).toBe(0); // same round: nothing new

    clock.set('2030-02-14T08:00:00Z');
    await s.run('RecordMonthlyMeasures', { collaborativeId: s.collaborativeId, agencyId: a2.agencyId, month: '2030-01', counts });
    expect((await workers.tick()).dispatched).toBe(0);
    clock.set('2030-02-17T08:00:00Z'); // a week later: only a3 is still missing
    expect((await workers.tick()).dispatched).toBe(2);
    await waitFor(() => smtp.received.length === before + 5, 10_000, 'second round');
    await drained();

    const mails = smtp.received.slice(before);
    const dataDue = mails.filter((m) => m.subject.includes('monthly data due for 2030-01'));
    expect(dataDue.map((m) => m.to.sort())).toEqual(expect.arrayContaining([[a2.changeLeader, a2.sponsor].sort(), [a3.changeLeader, a3.sponsor].sort()]));
    expect(dataDue).toHaveLength(3);
    expect(dataDue.filter((m) => m.to.includes(a3.sponsor))).toHaveLength(2);
    const digests = mails.filter((m) => m.to.includes('convener@example.org'));
    expect(digests).toHaveLength(2);
    expect(digests[0]!.text).toContain('Agency 2: 2030-01');
    expect(digests[1]!.text).not.toContain('Agency 2');
    expect(digests[1]!.text).toContain('Agency 3: 2030-01');
  });

  it('a temporary SMTP failure is retried; a bad address is not, and shows as a dead letter on the admin route', async () => {
    const [a1, a2] = agencies as [AgencyInfo, AgencyInfo];
    smtp.deferRecipients.set(a1.changeLeader, 2);
    smtp.rejectRecipients.add(a2.changeLeader);
    smtp.rejectRecipients.add(a2.sponsor);
    clock.set('2030-03-01T09:00:00Z');
    // a3's January is still missing: record it, or this week's data round would go out too.
    const counts = { clientsTreated: 10, totalDaysToTreatment: 120, intakeScheduled: 20, intakeNoShows: 5 };
    await s.run('RecordMonthlyMeasures', { collaborativeId: s.collaborativeId, agencyId: agencies[2]!.agencyId, month: '2030-01', counts });
    const meetingId = await s.scheduleMeeting(new Date('2030-03-01T12:00:00Z'), [a1.agencyId, a2.agencyId]);
    clock.set('2030-03-01T13:00:00Z');
    await s.run('RecordAttendance', { meetingId, attendance: [{ agencyId: a1.agencyId, present: true, attendees: [] }, { agencyId: a2.agencyId, present: true, attendees: [] }] });
    await s.run('PublishMinutes', { meetingId, minutes: 'Short call' });
    const before = smtp.received.length;
    expect((await workers.tick()).dispatched).toBe(2);
    await waitFor(async () => (await workers.deadLetters()).length === 1, 10_000, 'dead letter');
    await waitFor(() => smtp.received.length === before + 1, 10_000, 'retried delivery');
    await drained();
    expect(smtp.received.at(-1)!.to.sort()).toEqual([a1.changeLeader, a1.sponsor].sort());
    expect(smtp.deferRecipients.get(a1.changeLeader)).toBe(0);

    const [dead] = await workers.deadLetters();
    expect(dead!.key).toContain(a2.agencyId);
    expect(dead!.attemptsMade).toBe(1); // UnrecoverableError: no retries
    expect(dead!.failedReason).toMatch(/permanent SMTP failure/);
    const minutesSent = (await store.readStream(deliveryStreamId(s.collaborativeId))).events.filter((e) => e.type === 'MinutesSent');
    expect(minutesSent).toHaveLength(1);

    // The admin routes, as the API serves them under /v1/admin with these workers in its process.
    const app = await buildApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), pool: tdb.pool, db: createDb(tdb.pool), eventStore: store, workers });
    const admin = { authorization: `Bearer ${(await createApiKey(tdb.pool, { name: 'ops', role: 'admin' })).key}` };
    const coach = { authorization: `Bearer ${(await createApiKey(tdb.pool, { name: 'coach', role: 'coach' })).key}` };
    const base = '/v1/admin/deliveries';
    const forbidden = await app.inject({ method: 'GET', url: `${base}/dead-letters`, headers: coach });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['content-type']).toContain('application/problem+json');
    const list = await app.inject({ method: 'GET', url: `${base}/dead-letters?limit=10`, headers: admin });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((d: { key: string }) => d.key)).toEqual([dead!.key]);
    const badLimit = await app.inject({ method: 'GET', url: `${base}/dead-letters?limit=0`, headers: admin });
    expect(badLimit.statusCode).toBe(400);
    expect(badLimit.json().requestId).toBe(badLimit.headers['x-request-id']);
    const status = await app.inject({ method: 'GET', url: `${base}/status`, headers: admin });
    expect(status.json().queue.failed).toBe(1);

    // The address is fixed: the admin retries the dead letter and it goes out.
    smtp.rejectRecipients.clear();
    const retry = await app.inject({ method: 'POST', url: `${base}/dead-letters/${dead!.id}/retry`, headers: admin });
    expect(retry.statusCode).toBe(202);
    await waitFor(() => smtp.received.length === before + 2, 10_000, 'retried dead letter');
    const missing = await app.inject({ method: 'POST', url: `${base}/dead-letters/nope/retry`, headers: admin });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    await app.close();
  });
});
