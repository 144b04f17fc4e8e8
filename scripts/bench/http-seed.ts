// The HTTP benchmark's world: 3 collaboratives of 100 admitted agencies each (baseline and one
// month recorded, a change project, a coach), a few monthly calls held with minutes published, and
// the API keys the load uses (one per agency, a coach key per 10 agencies). Seeded through the
// domain's own executeCommand (so every event is one a decider would write), with a `now` in the
// past so that the meetings have started by the time the load runs.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createApiKey } from '@convene/api';
import { executeCommand } from '@convene/domain';
import { createEventStore, isConcurrencyError } from '@convene/eventstore';

export const COLLABORATIVES = 3;
export const AGENCIES_PER_COLLABORATIVE = 100;
export const MEETINGS_PER_COLLABORATIVE = 4;
const AGENCIES_PER_COACH = 10;

export interface Agency {
  collaborativeId: string;
  agencyId: string;
  projectId: string;
  coachId: string;
  agencyKey: string;
  coachKey: string;
}
export interface World {
  agencies: Agency[];
  meetings: { meetingId: string; collaborativeId: string; agencyIds: string[]; coachKey: string }[];
}

const person = (name: string) => ({ personId: randomUUID(), name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org` });
export const counts = (i: number) => ({
  admissions: 30 + (i % 9), intakeScheduled: 60, intakeNoShows: 10 + (i % 7), firstPostAdmissionScheduled: 40,
  firstPostAdmissionNoShows: 8, admittedInWindow: 30, retained30: 21, retained60: 15, clientsTreated: 33, totalDaysToTreatment: 400 + i,
});

/** Runs `f` over `items` with `n` at a time. */
async function parallel<T>(items: T[], n: number, f: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await f(items[next++]!);
  }));
}

export async function seedWorld(pool: pg.Pool): Promise<World> {
  const store = createEventStore({ pool, notify: false });
  const day = 86_400_000;
  const seedNow = new Date(Date.now() - 60 * day).toISOString();
  const meta = { now: seedNow, actorId: 'bench', actorRole: 'admin', correlationId: 'bench-seed' };
  // Every participation command guards the collaborative's version, so eight seeding at once
  // (admissions move it) can exhaust executeCommand's retries: try again.
  const run = async (type: string, data: Record<string, unknown>): Promise<unknown> => {
    for (let i = 0; ; i++) {
      try {
        return await executeCommand(store, { type, data }, meta);
      } catch (error) {
        if (i > 20 || !isConcurrencyError(error)) throw error;
      }
    }
  };
  const world: World = { agencies: [], meetings: [] };

  for (let k = 0; k < COLLABORATIVES; k++) {
    const collaborativeId = randomUUID();
    const cohortId = randomUUID();
    await run('LaunchCollaborative', {
      collaborativeId, name: `Collaborative ${k + 1}`, aim: 'Cut days to treatment',
      convener: { organizationName: 'State SUD agency', contact: person('Con Vener') },
      focusMeasures: ['waiting_time', 'intake_no_show', 'admissions'], startsOn: '2000-01-01', endsOn: '2030-12-31',
      meetingCadence: 'monthly', measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
    });
    await run('OpenCohort', { collaborativeId, cohortId, name: 'Cohort 1', startsOn: '2000-01-01', capacity: AGENCIES_PER_COLLABORATIVE });
    const coaches: { coachId: string; key: string; agencyIds: string[] }[] = [];
    for (let c = 0; c < AGENCIES_PER_COLLABORATIVE / AGENCIES_PER_COACH; c++) {
      const coach = person(`Coach ${k}-${c}`);
      await run('AppointSystemRole', { collaborativeId, role: 'coach', person: coach });
      coaches.push({ coachId: coach.personId, key: '', agencyIds: [] });
    }
    const agencyIds = Array.from({ length: AGENCIES_PER_COLLABORATIVE }, () => randomUUID());
    agencyIds.forEach((a, i) => coaches[Math.floor(i / AGENCIES_PER_COACH)]!.agencyIds.push(a));
    for (const c of coaches) {
      c.key = (await createApiKey(pool, { name: `bench coach ${c.coachId}`, role: 'coach', actorId: c.coachId, collaborativeIds: [collaborativeId], agencyIds: c.agencyIds })).key;
    }
    await parallel(agencyIds.map((agencyId, i) => ({ agencyId, i })), 8, async ({ agencyId, i }) => {
      const ids = { collaborativeId, agencyId };
      const coach = coaches[Math.floor(i / AGENCIES_PER_COACH)]!;
      const projectId = randomUUID();
      await run('SubmitApplication', { ...ids, agencyName: `Agency ${k}-${i}`, contact: { name: `Contact ${i}`, email: `c${i}@example.org` }, proposal: 'Cut the wait' });
      await run('AdmitAgency', { ...ids, cohortId });
      await run('AssignCoach', { ...ids, coachId: coach.coachId });
      await run('RecordBaseline', { ...ids, period: { from: '2000-01-01', to: '2000-02-29' }, counts: counts(i) });
      await run('RecordMonthlyMeasures', { ...ids, month: '2000-03', counts: counts(i + 1) });
      await run('StartChangeProject', {
        projectId, ...ids, title: 'Same-day intake', aim: 'Cut no-shows', measure: 'intake_no_show', baselineValue: 0.3,
        targetValue: 0.2, targetDate: '2030-06-30', changeIdea: 'Reminder calls', levelOfCare: 'outpatient', team: [{ name: `Leader ${i}`, role: 'lead' }],
      });
      const agencyKey = (await createApiKey(pool, { name: `bench agency ${agencyId}`, role: 'agency', collaborativeIds: [collaborativeId], agencyIds: [agencyId] })).key;
      world.agencies.push({ ...ids, projectId, coachId: coach.coachId, agencyKey, coachKey: coach.key });
    });
    for (let m = 0; m < MEETINGS_PER_COLLABORATIVE; m++) {
      const meetingId = randomUUID();
      await run('ScheduleMeeting', {
        meetingId, collaborativeId, kind: 'regular_call', modality: 'video', startsAt: new Date(Date.now() - (30 - m) * day).toISOString(),
        durationMinutes: 60, callIn: 'https://meet.example.org/call', agenda: 'Monthly call', invitedAgencyIds: agencyIds,
      });
      world.meetings.push({ meetingId, collaborativeId, agencyIds, coachKey: coaches[m % coaches.length]!.key });
    }
  }
  // Minutes are published once the calls have taken place (the load corrects them).
  const later = { ...meta, now: new Date().toISOString() };
  for (const m of world.meetings) await executeCommand(store, { type: 'PublishMinutes', data: { meetingId: m.meetingId, minutes: 'We met.' } }, later);
  await store.close();
  return world;
}
