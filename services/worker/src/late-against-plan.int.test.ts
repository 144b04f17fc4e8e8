// Issue 18 "Must show", late against the plan: an agency that misses its baseline before the
// kick-off is late and gets one reminder (its Change Leader and Executive Sponsor), through real
// PostgreSQL, Redis, a projector (the directory) and SMTP; an agency on time gets none.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { entryIdOf } from '@convene/domain';
import type { EventStore } from '@convene/eventstore';
import type { TestDatabase } from '@convene/testkit';
import type { Workers } from './index';
import { deliveryStreamId } from './delivery-events';
import type { TestSmtp } from './testing/smtp';
import { startWorkerRig, type WorkerRig } from './testing/worker-rig';
import { DAY, scenario, TestClock, waitFor, type AgencyInfo } from './testing/scenario';

describe('issue 18: late against the plan (real SMTP)', () => {
  let rig: WorkerRig;
  let tdb: TestDatabase;
  let store: EventStore;
  let smtp: TestSmtp;
  let workers: Workers;
  const clock = new TestClock(new Date('2029-12-20T09:00:00Z'));
  let s: ReturnType<typeof scenario>;
  let agencies: AgencyInfo[];

  beforeAll(async () => {
    rig = await startWorkerRig(clock, 'wlate', { attempts: 2, backoffMs: 50, readModelWaitMs: 100 });
    ({ tdb, store, smtp, workers } = rig);
    s = scenario(store, clock);
    agencies = await s.launch(2, { startsOn: '2030-01-01', endsOn: '2030-12-31' });
  });
  afterAll(async () => rig?.stop());

  const settle = (count: number) => rig.settle(count);
  const lateRows = async () => (await tdb.pool.query(`SELECT key, payload FROM scheduled_deliveries WHERE kind = 'late-against-plan' ORDER BY key`)).rows;

  it('issue 18: the agency without a baseline when the kick-off begins gets one reminder; the agency on time none', async () => {
    const [a1, a2] = agencies as [AgencyInfo, AgencyInfo];
    const C = s.collaborativeId;
    await s.run('ProposePlan', { collaborativeId: C, template: 'niatx-year', location: 'Capitol, room 4', callIn: 'https://meet.example.org/niatx' });
    const kickOff = entryIdOf(C, 'collaborative', 'kick-off');
    await s.run('AdoptPlanEntry', { collaborativeId: C, entryId: kickOff });
    // March: both walk through their intake; only agency 1 records its baseline.
    clock.set('2030-03-20T09:00:00Z');
    for (const a of agencies) await s.run('SubmitWalkThrough', { collaborativeId: C, agencyId: a.agencyId, walkedThroughOn: '2030-03-18', findings: 'Callers wait for a call back.' });
    await s.run('RecordBaseline', { collaborativeId: C, agencyId: a1.agencyId, period: { from: '2030-01-01', to: '2030-02-28' }, counts: { clientsTreated: 10, totalDaysToTreatment: 200, intakeScheduled: 20, intakeNoShows: 6 } });

    // The kick-off (adopted: 2030-04-15 16:00 UTC) has not begun: nobody is late.
    clock.set('2030-04-15T15:59:00Z');
    await workers.tick();
    expect(await lateRows()).toEqual([]);

    clock.set('2030-04-15T16:30:00Z');
    await workers.tick();
    const rows = await lateRows();
    expect(rows.map((r) => r.payload.agencyId)).toEqual([a2.agencyId]);
    expect(rows[0]!.payload.lateKind).toBe('baseline_missing');
    // (March's data, due on 10 April, is chased by the data-due kind in the same tick: other mails.)
    const late = () => smtp.received.filter((m) => m.subject.includes('late against the plan'));
    await waitFor(() => late().length >= 1, 20_000, 'the late reminder');
    await settle(0);
    const mail = late()[0]!;
    expect(mail.to.sort()).toEqual([a2.changeLeader, a2.sponsor].sort());
    expect(mail.subject).toBe('Access to Treatment: your baseline data is late against the plan');
    expect(mail.text).toContain('The baseline was due before the kick-off learning session of 2030-04-15');
    expect(mail.text).toContain('Why you got this: you receive this as Change Leader of Agency 2 or Executive Sponsor of Agency 2');

    // Once per late item: the next days' ticks plan and send nothing more.
    clock.advance(DAY);
    await workers.tick();
    clock.advance(DAY);
    await workers.tick();
    await settle(0);
    expect(late()).toHaveLength(1);
    expect(await lateRows()).toHaveLength(1);
    const recorded = (await store.readStream(deliveryStreamId(C))).events.filter((e) => (e.data as { kind: string }).kind === 'late-against-plan');
    expect(recorded.map((e) => [e.type, (e.data as { agencyId: string }).agencyId])).toEqual([['ReminderSent', a2.agencyId]]);
  });
});
