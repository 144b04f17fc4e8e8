// Tests only: the API over an event store with crypto-shredding, and a small seeded year
// (the API team's seed-year fixture had not landed when this was written).
import { executeCommand } from '@convene/domain';
import { createEventStore, type EventStore } from '@convene/eventstore';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import { createApiKey, type CreateApiKeyInput } from '../auth/keys';
import { loadConfig } from '../config';

export interface AuditTestApp {
  app: FastifyInstance;
  database: TestDatabase;
  store: EventStore;
  keys: { admin: string; auditor: string; analyst: string; coach: string };
  createKey(input: CreateApiKeyInput): Promise<string>;
  close(): Promise<void>;
}

export async function createAuditTestApp(): Promise<AuditTestApp> {
  const database = await createTestDatabase({ poolSize: 30 });
  const store = createEventStore({ pool: database.pool });
  const config = loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000' });
  const app = await buildApp({ config, pool: database.pool, db: database.db, eventStore: store });
  await app.ready();
  const createKey = async (input: CreateApiKeyInput) => (await createApiKey(database.pool, input)).key;
  return {
    app,
    database,
    store,
    keys: {
      admin: await createKey({ name: 'admin', role: 'admin' }),
      auditor: await createKey({ name: 'auditor', role: 'auditor' }),
      analyst: await createKey({ name: 'analyst', role: 'analyst' }),
      coach: await createKey({ name: 'coach', role: 'coach' }),
    },
    createKey,
    async close() {
      await app.close();
      await store.close();
      await database.drop();
    },
  };
}

const id = (n: number, block = 'a') => `0196${block.repeat(4)}-0000-7000-8000-${n.toString().padStart(12, '0')}`;
export const SEED = {
  collaborativeId: id(1),
  cohortId: id(2),
  agencies: [id(11), id(12), id(13)],
  projects: [id(21), id(22), id(23)],
  kickOffMeetingId: id(31),
  ada: { personId: id(41), name: 'Ada Quintero-Lovelace', email: 'ada.ql@riverside.example' },
  casey: { personId: id(42), name: 'Casey Convener', email: 'casey@state.example' },
  contactEmail: 'intake.lead@riverside.example',
  contactName: 'Robin Intake',
  kickOff: '2025-03-03',
  end: '2025-12-31',
};

/** A collaborative's year: applications, admission, baselines, kick-off, monthly measures, completed projects. */
export async function seedYear(store: EventStore): Promise<{ events: number }> {
  let events = 0;
  const run = async (now: string, type: string, data: Record<string, unknown>) => {
    const result = await executeCommand(store, { type, data }, {
      now: `${now}T10:00:00.000Z`, actorId: 'seed', actorRole: 'admin', correlationId: `seed-${type}-${events}`,
    });
    events += result.events.length + result.also.reduce((n, a) => n + a.events.length, 0);
  };
  const c = SEED.collaborativeId;
  await run('2025-01-02', 'LaunchCollaborative', {
    collaborativeId: c, name: 'Access to treatment', aim: 'Cut days from first contact to treatment',
    convener: { organizationName: 'State SUD agency', contact: SEED.casey }, focusMeasures: ['waiting_time', 'intake_no_show'],
    startsOn: '2025-01-01', endsOn: SEED.end, meetingCadence: 'monthly',
    measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
  });
  await run('2025-01-03', 'OpenCohort', { collaborativeId: c, cohortId: SEED.cohortId, name: 'Cohort 1', startsOn: SEED.kickOff, capacity: 10 });
  for (const [i, agencyId] of SEED.agencies.entries()) {
    const contact = i === 0 ? { name: SEED.contactName, email: SEED.contactEmail } : { name: `Contact ${i}`, email: `contact${i}@agency.example` };
    await run('2025-01-10', 'SubmitApplication', { collaborativeId: c, agencyId, agencyName: `Agency ${i + 1}`, contact, proposal: 'We will cut our wait' });
    await run('2025-01-20', 'AdmitAgency', { collaborativeId: c, agencyId, cohortId: SEED.cohortId });
    const leader = i === 0 ? SEED.ada : { personId: id(50 + i), name: `Leader ${i}`, email: `leader${i}@agency.example` };
    await run('2025-01-21', 'AssignAgencyRole', { collaborativeId: c, agencyId, role: 'change_leader', person: leader });
    await run('2025-02-10', 'SubmitWalkThrough', { collaborativeId: c, agencyId, walkedThroughOn: '2025-02-05', findings: 'Long phone queue' });
    await run('2025-03-01', 'RecordBaseline', {
      collaborativeId: c, agencyId, period: { from: '2025-01-01', to: '2025-02-28' },
      counts: { clientsTreated: 20 + i, totalDaysToTreatment: 600 + 10 * i, intakeScheduled: 40 + i, intakeNoShows: 15 + i },
    });
  }
  await run('2025-02-20', 'ScheduleMeeting', {
    meetingId: SEED.kickOffMeetingId, collaborativeId: c, kind: 'kick_off_learning_session', modality: 'in_person',
    startsAt: `${SEED.kickOff}T08:00:00.000Z`, durationMinutes: 120, location: 'State office', agenda: 'Kick-off', invitedAgencyIds: SEED.agencies,
  });
  await run(SEED.kickOff, 'RecordAttendance', {
    meetingId: SEED.kickOffMeetingId,
    attendance: SEED.agencies.map((agencyId, i) => ({ agencyId, present: true, attendees: i === 0 ? [SEED.ada.name, 'Sam Other'] : ['Someone'] })),
  });
  for (const [i, agencyId] of SEED.agencies.entries()) {
    const projectId = SEED.projects[i]!;
    await run('2025-03-10', 'StartChangeProject', {
      projectId, collaborativeId: c, agencyId, title: 'Same-day intake', aim: 'Cut waiting time to 10 days by June', measure: 'waiting_time',
      baselineValue: 30, targetValue: 10, targetDate: '2025-06-30', changeIdea: 'Walk-in intake hours', levelOfCare: 'outpatient',
      team: [{ name: i === 0 ? SEED.ada.name : `Leader ${i}`, role: 'change leader' }],
    });
    await run('2025-04-15', 'LogPDSACycle', {
      projectId, cycleNumber: 1, beginsOn: '2025-03-15', endsOn: '2025-04-14', changeTested: 'Walk-in Tuesdays',
      prediction: 'Fewer days', steps: [{ step: 'Open walk-in', who: i === 0 ? SEED.ada.name : 'Front desk' }], result: 'Days fell', decision: 'adopt',
    });
  }
  for (const [m, month] of ['2025-03', '2025-04', '2025-05', '2025-06'].entries()) {
    for (const [i, agencyId] of SEED.agencies.entries()) {
      await run(`${month}-28`, 'RecordMonthlyMeasures', {
        collaborativeId: c, agencyId, month,
        counts: { clientsTreated: 8 + i + m, totalDaysToTreatment: (8 + i + m) * (25 - 4 * m), intakeScheduled: 20 + 3 * i, intakeNoShows: 1 + i },
      });
    }
  }
  for (const projectId of SEED.projects) {
    await run('2025-07-01', 'CompleteChangeProject', { projectId, actualEndOn: '2025-06-30', lessons: 'Walk-ins work', impact: 'Days halved', sustainPlan: 'Keep walk-ins' });
  }
  return { events };
}
