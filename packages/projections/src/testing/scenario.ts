// Test and benchmark data: plausible command histories (tests run them through the real deciders).
import { executeCommand, isDomainError } from '@convene/domain';
import type { EventStore } from '@convene/eventstore';

export interface ScenarioCommand {
  type: string;
  data: unknown;
  now: string;
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uuid v4-shaped id from a number space and index (stable across runs). */
export const uid = (space: number, n: number) => {
  const hex = n.toString(16).padStart(12, '0');
  return `${space.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
};

export const monthAfter = (month: string, k: number): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const t = y * 12 + (m - 1) + k;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
};

const person = (id: string, name: string) => ({ personId: id, name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org` });

/** Counts for a month with a no-show rate around `noShow` and waiting days around `days`. */
export function monthCounts(r: () => number, noShow: number, days: number) {
  const intakeScheduled = 20 + Math.floor(r() * 60);
  const fpa = 10 + Math.floor(r() * 40);
  const admitted = 5 + Math.floor(r() * 30);
  const retained30 = Math.floor(admitted * (0.5 + r() * 0.4));
  const clientsTreated = 5 + Math.floor(r() * 30);
  return {
    admissions: admitted + Math.floor(r() * 5),
    intakeScheduled,
    intakeNoShows: Math.min(intakeScheduled, Math.round(intakeScheduled * Math.max(0, noShow + (r() - 0.5) * 0.1))),
    firstPostAdmissionScheduled: fpa,
    firstPostAdmissionNoShows: Math.floor(fpa * noShow * r()),
    admittedInWindow: admitted,
    retained30,
    retained60: Math.floor(retained30 * (0.6 + r() * 0.4)),
    clientsTreated,
    totalDaysToTreatment: Math.round(clientsTreated * Math.max(1, days + (r() - 0.5) * 6)),
  };
}

export interface ScenarioOptions {
  collaborative: number;
  agencies: number;
  months: number;
  seed: number;
}

/**
 * One collaborative: launch, a coach, cohorts, then per agency the application, admission, roles,
 * walk-through, baseline, monthly measures, a change project with PDSA cycles, a site visit, and
 * meetings with attendance and minutes. Returns the collaborative's commands and one list per agency.
 */
export function scenario(o: ScenarioOptions): { setup: ScenarioCommand[]; perAgency: ScenarioCommand[][]; meetings: ScenarioCommand[]; collaborativeId: string; cohortIds: string[] } {
  const r = rng(o.seed);
  const c = uid(o.collaborative, 0);
  const coach = uid(o.collaborative, 1);
  const cohortIds = [uid(o.collaborative, 2), uid(o.collaborative, 3)];
  const start = '2024-01';
  const at = (month: string, day = 15) => `${month}-${String(day).padStart(2, '0')}T12:00:00.000Z`;
  const setup: ScenarioCommand[] = [
    {
      type: 'LaunchCollaborative',
      now: at(start, 1),
      data: {
        collaborativeId: c, name: `Collaborative ${o.collaborative}`, aim: 'Cut days from first contact to treatment',
        convener: { organizationName: 'State SUD agency', contact: person(uid(o.collaborative, 4), 'Con Vener') },
        focusMeasures: ['waiting_time', 'intake_no_show', 'first_post_admission_no_show', 'admissions', 'continuation'],
        startsOn: '2024-01-01', endsOn: '2027-12-31', meetingCadence: 'monthly',
        measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
      },
    },
    { type: 'AppointSystemRole', now: at(start, 1), data: { collaborativeId: c, role: 'coach', person: person(coach, 'Coach Carter') } },
    ...cohortIds.map((cohortId, i) => ({
      type: 'OpenCohort', now: at(start, 1),
      data: { collaborativeId: c, cohortId, name: `Cohort ${i + 1}`, startsOn: '2024-01-01', capacity: 100 },
    })),
    { type: 'RecordExpenditure', now: at(start, 2), data: { collaborativeId: c, expenditureId: uid(o.collaborative, 5), amountCents: 125_000, category: 'coaching', spentOn: '2024-01-02' } },
  ];
  const perAgency: ScenarioCommand[][] = [];
  for (let i = 0; i < o.agencies; i++) {
    const a = uid(o.collaborative, 1000 + i);
    const ids = { collaborativeId: c, agencyId: a };
    const cohortId = cohortIds[i % cohortIds.length]!;
    const list: ScenarioCommand[] = [
      { type: 'SubmitApplication', now: at(start, 2), data: { ...ids, agencyName: `Agency ${i}`, contact: { name: `Contact ${i}`, email: `c${i}@example.org` }, proposal: 'We will cut our wait' } },
      { type: 'ScoreApplication', now: at(start, 3), data: { ...ids, reviewerId: coach, scores: [{ criterion: 'fit', score: 1 + Math.floor(r() * 9) }] } },
    ];
    if (r() < 0.1) {
      list.push({ type: 'DeclineApplication', now: at(start, 4), data: { ...ids, reason: 'Not this round' } });
      perAgency.push(list);
      continue;
    }
    list.push(
      { type: 'AdmitAgency', now: at(start, 4), data: { ...ids, cohortId } },
      { type: 'AssignAgencyRole', now: at(start, 5), data: { ...ids, role: 'executive_sponsor', person: person(uid(o.collaborative, 5000 + i), `Sponsor ${i}`) } },
      { type: 'AssignAgencyRole', now: at(start, 5), data: { ...ids, role: 'change_leader', person: person(uid(o.collaborative, 6000 + i), `Leader ${i}`) } },
      { type: 'AssignCoach', now: at(start, 5), data: { ...ids, coachId: coach } },
      { type: 'SubmitWalkThrough', now: at(start, 6), data: { ...ids, walkedThroughOn: '2024-01-06', findings: 'Long phone queue' } },
      { type: 'RecordBaseline', now: at('2024-03', 1), data: { ...ids, period: { from: '2024-01-01', to: '2024-02-29' }, counts: monthCounts(r, 0.35, 30) } },
    );
    const project = uid(o.collaborative, 7000 + i);
    for (let k = 0; k < o.months; k++) {
      const m = monthAfter('2024-03', k);
      const progress = k / Math.max(1, o.months);
      list.push({ type: 'RecordMonthlyMeasures', now: at(monthAfter(m, 1), 2), data: { ...ids, month: m, counts: monthCounts(r, 0.35 - 0.15 * progress, 30 - 10 * progress) } });
      if (k === 0)
        list.push({
          type: 'StartChangeProject', now: at(m, 3),
          data: { projectId: project, ...ids, title: 'Same-day intake', aim: 'Cut intake no-shows', measure: 'intake_no_show', baselineValue: 0.35, targetValue: 0.2, targetDate: '2027-06-30', changeIdea: 'Call the day before', levelOfCare: 'outpatient', team: [{ name: `Leader ${i}`, role: 'lead' }] },
        });
      if (k >= 1 && k <= 3)
        list.push({
          type: 'LogPDSACycle', now: at(m, 20),
          data: { projectId: project, cycleNumber: k, beginsOn: `${m}-01`, endsOn: `${m}-14`, changeTested: 'Reminder call', prediction: 'Fewer no-shows', steps: [{ step: 'Call', who: 'Front desk' }], result: 'Fewer no-shows', decision: k === 3 ? 'adopt' : 'adapt' },
        });
      if (k === 4) list.push({ type: 'CompleteChangeProject', now: at(m, 25), data: { projectId: project, actualEndOn: `${m}-25`, lessons: 'Call early', impact: 'No-shows down', sustainPlan: 'Keep calling' } });
      if (k === 2) {
        const visit = uid(o.collaborative, 8000 + i);
        list.push(
          { type: 'ScheduleSiteVisit', now: at(m, 1), data: { visitId: visit, ...ids, coachId: coach, scheduledAt: at(m, 10), agenda: 'Walk the intake' } },
          { type: 'CompleteSiteVisit', now: at(m, 11), data: { visitId: visit, completedOn: `${m}-10`, summary: 'Went well' } },
        );
      }
    }
    if (r() < 0.1) list.push({ type: 'WithdrawAgency', now: at(monthAfter('2024-03', o.months), 5), data: { ...ids, withdrawnOn: `${monthAfter('2024-03', o.months)}-05` } });
    perAgency.push(list);
  }
  // A meeting per cohort with attendance and minutes (run after the admissions).
  const meetings: ScenarioCommand[] = [];
  cohortIds.forEach((cohortId, ci) => {
    const meetingId = uid(o.collaborative, 9000 + ci);
    const invited = perAgency.map((_, i) => uid(o.collaborative, 1000 + i)).filter((_, i) => i % cohortIds.length === ci);
    if (invited.length === 0) return;
    meetings.push(
      { type: 'ScheduleMeeting', now: at('2024-02', 1), data: { meetingId, collaborativeId: c, kind: 'kick_off_learning_session', modality: 'video', startsAt: at('2024-02', 20), durationMinutes: 90, callIn: 'https://meet.example.org/k', agenda: 'Kick-off', invitedAgencyIds: invited } },
      { type: 'RecordAttendance', now: at('2024-02', 21), data: { meetingId, attendance: invited.map((agencyId, k) => ({ agencyId, present: k % 4 !== 3, attendees: [] })) } },
      { type: 'PublishMinutes', now: at('2024-02', 22), data: { meetingId, minutes: 'We met.' } },
    );
  });
  return { setup, perAgency, meetings, collaborativeId: c, cohortIds };
}

/** Executes a command with the real deciders; a refused command (DomainError) is skipped and reported false. */
export async function run(store: EventStore, command: ScenarioCommand): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      await executeCommand(store, { type: command.type, data: command.data }, { now: command.now, actorId: 'tester', actorRole: 'convener_staff', correlationId: crypto.randomUUID() });
      return true;
    } catch (error) {
      if (isDomainError(error)) return false;
      if ((error as { name?: string }).name === 'ConcurrencyError' && attempt < 20) continue;
      throw error;
    }
  }
}
