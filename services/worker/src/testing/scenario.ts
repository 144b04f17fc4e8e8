import { randomUUID } from 'node:crypto';
import { executeCommand } from '@convene/domain';
import type { EventStore } from '@convene/eventstore';

// Drives the real domain through executeCommand with a controllable clock (tests only).

export const DAY = 86_400_000;

export class TestClock {
  constructor(private current: Date) {}
  now = (): Date => new Date(this.current);
  set(at: Date | string) {
    this.current = new Date(at);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface AgencyInfo {
  agencyId: string;
  name: string;
  changeLeader: string;
  sponsor: string;
}

export function scenario(store: EventStore, clock: TestClock) {
  // Returns once the feed has settled past the appended events: an append begun earlier (the
  // worker recording a sent reminder, say) holds the safe position below them until it commits,
  // and a worker tick right after the command would otherwise plan without them (a CI flake:
  // schedules.int.test.ts planned a reminder for an agency that had just recorded its month).
  const run = async (type: string, data: unknown) => {
    const result = await executeCommand(store, { type, data }, { now: clock.now().toISOString(), actorId: 'test', actorRole: 'convener', correlationId: randomUUID() });
    await waitFor(async () => (await store.safePosition()) > result.lastPosition, 10_000, `${type} settled in the feed`);
    return result;
  };
  const collaborativeId = randomUUID();
  const cohortId = randomUUID();
  const coachId = randomUUID();
  return {
    run,
    collaborativeId,
    coachId,
    async launch(agencyCount: number, options: { startsOn?: string; endsOn?: string; timeZone?: string } = {}): Promise<AgencyInfo[]> {
      await run('LaunchCollaborative', {
        collaborativeId,
        name: 'Access to Treatment',
        aim: 'Cut days from first contact to treatment',
        convener: { organizationName: 'State SUD agency', contact: { personId: randomUUID(), name: 'Connie Vener', email: 'convener@example.org' } },
        focusMeasures: ['waiting_time', 'intake_no_show'],
        startsOn: options.startsOn ?? '2030-01-01',
        endsOn: options.endsOn ?? '2031-12-31',
        meetingCadence: 'monthly',
        measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
        ...(options.timeZone ? { timeZone: options.timeZone } : {}),
      });
      await run('AppointSystemRole', { collaborativeId, role: 'coach', person: { personId: coachId, name: 'Cora Coach', email: 'coach@example.org' } });
      await run('OpenCohort', { collaborativeId, cohortId, name: 'Cohort 1', startsOn: options.startsOn ?? '2030-01-01', capacity: 50 });
      const agencies: AgencyInfo[] = [];
      for (let i = 1; i <= agencyCount; i++) {
        const agencyId = randomUUID();
        const a = { agencyId, name: `Agency ${i}`, changeLeader: `leader${i}@agency${i}.example.org`, sponsor: `sponsor${i}@agency${i}.example.org` };
        await run('SubmitApplication', { collaborativeId, agencyId, agencyName: a.name, contact: { name: `Contact ${i}`, email: `contact${i}@agency${i}.example.org` }, proposal: 'We will cut our wait' });
        await run('AdmitAgency', { collaborativeId, agencyId, cohortId });
        await run('AssignAgencyRole', { collaborativeId, agencyId, role: 'change_leader', person: { personId: randomUUID(), name: `Leader ${i}`, email: a.changeLeader } });
        await run('AssignAgencyRole', { collaborativeId, agencyId, role: 'executive_sponsor', person: { personId: randomUUID(), name: `Sponsor ${i}`, email: a.sponsor } });
        agencies.push(a);
      }
      return agencies;
    },
    /**
     * A collaborative of `agencyCount` agencies and a meeting inviting them all on 2030-03-20 at
     * 15:00, the clock then two hours after its start (attendance and minutes may be recorded).
     */
    async heldMeeting(agencyCount: number, extra: Partial<{ meetingId: string }> = {}) {
      clock.set('2030-03-01T09:00:00Z');
      const agencies = (await this.launch(agencyCount)).map((a) => a.agencyId);
      const meetingId = await this.scheduleMeeting(new Date('2030-03-20T15:00:00Z'), agencies, extra);
      clock.set('2030-03-20T17:00:00Z');
      return { agencies, meetingId };
    },
    async scheduleMeeting(startsAt: Date, invited: string[], extra: Partial<{ meetingId: string; agenda: string }> = {}) {
      const meetingId = extra.meetingId ?? randomUUID();
      await run('ScheduleMeeting', {
        meetingId,
        collaborativeId,
        kind: 'regular_call',
        modality: 'video',
        startsAt: startsAt.toISOString(),
        durationMinutes: 60,
        callIn: 'https://meet.example.org/convene-call',
        agenda: extra.agenda ?? 'Wins, barriers, next PDSA cycles',
        invitedAgencyIds: invited,
      });
      return meetingId;
    },
  };
}

/** Polls until `check` holds (processing by real queues takes real, short time). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
