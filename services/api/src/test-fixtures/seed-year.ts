// The seed's year of one collaborative as HTTP calls, in order: launch, roles, a first cohort,
// applications, scoring, admissions, agency roles, walk-through, baseline, a kick-off meeting with
// attendance and minutes, three months of measures, a change project with three PDSA cycles, a
// site visit scheduled and completed, a second cohort whose agency gets a peer mentor, completion.
// Each step says when it happens (the command clock) and who sends it, so any replay (e2e tests,
// the audit team) can run it against its own app.
import type { FastifyInstance } from 'fastify';
import type { CommandType } from '@convene/domain';
import { SEED_IDS, type SeedActor, type SeedIds, type SeedStep } from './seed-ids';

export { SEED_IDS, type SeedActor, type SeedIds, type SeedStep } from './seed-ids';
// The steps outside the year lived here first; still exported from here for existing importers.
export { correctionSteps, heldSteps, networkSteps, SYSTEM_PROJECT_ID } from './seed-outside-year';

/** A day means 09:00 UTC that day. */
const toIso = (at: string) => (at.length === 10 ? `${at}T09:00:00.000Z` : new Date(at).toISOString());

const person = (personId: string, name: string) => ({ personId, name, email: `${name.toLowerCase().replaceAll(' ', '.')}@example.org` });

export function seedYearSteps(ids: SeedIds = SEED_IDS): SeedStep[] {
  const C = `/v1/collaboratives/${ids.collaborative}`;
  const A = (agencyId: string) => `${C}/agencies/${agencyId}`;
  const A1 = A(ids.agency1);
  const P = `/v1/change-projects/${ids.project}`;
  const step = (
    name: string,
    command: CommandType,
    at: string,
    as: SeedActor,
    url: string,
    body: Record<string, unknown>,
    status: 200 | 201 = 200,
    method: 'POST' | 'PUT' = 'POST',
  ): SeedStep => ({ name, command, at: toIso(at), as, method, url, body, status });
  const counts = (treated: number, days: number, scheduled: number, noShows: number) => ({
    clientsTreated: treated,
    totalDaysToTreatment: days,
    medianDaysToTreatment: Math.round(days / Math.max(treated, 1)),
    intakeScheduled: scheduled,
    intakeNoShows: noShows,
    admissions: treated,
  });
  const application = (agencyId: string, agencyName: string) => ({
    agencyId,
    agencyName,
    contact: { name: `${agencyName} Director`, email: 'director@example.org', phone: '555-0100' },
    proposal: `${agencyName} will cut days from first contact to treatment and intake no-shows.`,
  });

  return [
    step('launch the collaborative', 'LaunchCollaborative', '2025-01-06', 'admin', '/v1/collaboratives', {
      collaborativeId: ids.collaborative,
      name: 'Access to Treatment 2025',
      aim: 'Cut days from first contact to treatment and intake no-shows',
      convener: { organizationName: 'State Division of Substance Use Services', contact: person(ids.convenerContact, 'Casey Convener') },
      focusMeasures: ['waiting_time', 'intake_no_show'],
      startsOn: '2025-02-01',
      endsOn: '2025-12-31',
      meetingCadence: 'monthly',
      measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
    }, 201),
    step('appoint the executive sponsor', 'AppointSystemRole', '2025-01-06', 'admin', `${C}/system-roles`, { role: 'executive_sponsor', person: person(ids.sponsor, 'Sam Sponsor') }),
    step('appoint the change leader', 'AppointSystemRole', '2025-01-06', 'admin', `${C}/system-roles`, { role: 'change_leader', person: person(ids.changeLeader, 'Lee Leader') }),
    step('appoint the data coordinator', 'AppointSystemRole', '2025-01-06', 'admin', `${C}/system-roles`, { role: 'data_coordinator', person: person(ids.dataCoordinator, 'Dana Data') }),
    step('appoint a coach', 'AppointSystemRole', '2025-01-06', 'admin', `${C}/system-roles`, { role: 'coach', person: person(ids.coach, 'Chris Coach') }),
    step('open the first cohort', 'OpenCohort', '2025-01-07', 'admin', `${C}/cohorts`, { cohortId: ids.cohort1, name: 'Cohort 1', startsOn: '2025-03-01', capacity: 8 }, 201),
    step('agency 1 applies', 'SubmitApplication', '2025-01-15', 'agency', `${C}/applications`, application(ids.agency1, 'Riverside Recovery'), 201),
    step('agency 2 applies', 'SubmitApplication', '2025-01-16', 'admin', `${C}/applications`, application(ids.agency2, 'Hillside Health'), 201),
    step('score agency 1', 'ScoreApplication', '2025-01-20', 'admin', `${A1}/application/scores`, {
      reviewerId: ids.reviewer,
      scores: [{ criterion: 'Leadership commitment', score: 9 }, { criterion: 'Data capacity', score: 7 }],
      notes: 'Strong sponsor',
    }),
    step('score agency 2', 'ScoreApplication', '2025-01-20', 'admin', `${A(ids.agency2)}/application/scores`, {
      reviewerId: ids.reviewer,
      scores: [{ criterion: 'Leadership commitment', score: 7 }, { criterion: 'Data capacity', score: 8 }],
    }),
    step('admit agency 1', 'AdmitAgency', '2025-01-24', 'admin', `${A1}/admission`, { cohortId: ids.cohort1 }),
    step('admit agency 2', 'AdmitAgency', '2025-01-24', 'admin', `${A(ids.agency2)}/admission`, { cohortId: ids.cohort1 }),
    step('agency 1 names its executive sponsor', 'AssignAgencyRole', '2025-01-27', 'agency', `${A1}/roles`, { role: 'executive_sponsor', person: person(ids.agencySponsor, 'Avery Sponsor') }),
    step('agency 1 names its change leader', 'AssignAgencyRole', '2025-01-27', 'agency', `${A1}/roles`, { role: 'change_leader', person: person(ids.agencyChangeLeader, 'Morgan Leader') }),
    step('agency 1 names a change team member', 'AssignAgencyRole', '2025-01-27', 'agency', `${A1}/roles`, { role: 'change_team_member', person: person(ids.agencyTeamMember, 'Jordan Team') }),
    step('assign the coach to agency 1', 'AssignCoach', '2025-01-28', 'admin', `${A1}/coach`, { coachId: ids.coach }, 200, 'PUT'),
    step('record the kick-off budget', 'RecordExpenditure', '2025-01-30', 'admin', `${C}/expenditures`, { expenditureId: ids.expenditure, amountCents: 250000, category: 'meetings', spentOn: '2025-01-30', note: 'Kick-off venue' }, 201),
    step('agency 1 submits its walk-through', 'SubmitWalkThrough', '2025-02-10', 'agency', `${A1}/walk-through`, { walkedThroughOn: '2025-02-07', findings: 'Callers wait for a call back; intake paperwork is duplicated.' }),
    step('agency 1 records its baseline', 'RecordBaseline', '2025-02-12', 'agency', `${A1}/baseline`, {
      period: { from: '2024-12-01', to: '2025-01-31' },
      counts: counts(40, 1228, 90, 34),
    }),
    step('schedule the kick-off learning session', 'ScheduleMeeting', '2025-02-14', 'admin', `${C}/meetings`, {
      meetingId: ids.kickOff,
      kind: 'kick_off_learning_session',
      modality: 'in_person',
      startsAt: '2025-03-03T15:00:00Z',
      durationMinutes: 360,
      location: 'State Office Building, Room 4',
      agenda: 'NIATx principles; walk-through findings; choosing a first change',
      invitedAgencyIds: [ids.agency1, ids.agency2],
    }, 201),
    step('record the kick-off attendance', 'RecordAttendance', '2025-03-03T21:00Z', 'coach', `/v1/meetings/${ids.kickOff}/attendance`, {
      attendance: [
        { agencyId: ids.agency1, present: true, attendees: ['Avery Sponsor', 'Morgan Leader'] },
        { agencyId: ids.agency2, present: false, attendees: [] },
      ],
    }),
    step('publish the kick-off minutes', 'PublishMinutes', '2025-03-04', 'coach', `/v1/meetings/${ids.kickOff}/minutes`, { minutes: 'Agencies chose first changes; next call on 1 April.' }),
    step('agency 1 starts a change project', 'StartChangeProject', '2025-03-05', 'agency', `${A1}/change-projects`, {
      projectId: ids.project,
      title: 'Same-day intake',
      aim: 'Cut days from first contact to treatment from 30.7 to 19 by June',
      measure: 'waiting_time',
      baselineValue: 30.7,
      targetValue: 19,
      targetDate: '2025-06-30',
      changeIdea: 'Offer a walk-in intake every morning',
      customers: 'Callers asking for treatment',
      levelOfCare: 'outpatient',
      team: [{ name: 'Morgan Leader', role: 'Change Leader' }, { name: 'Jordan Team', role: 'Intake counselor' }],
    }, 201),
    step('PDSA cycle 1', 'LogPDSACycle', '2025-03-20', 'agency', `${P}/pdsa-cycles`, {
      cycleNumber: 1, beginsOn: '2025-03-06', endsOn: '2025-03-19', changeTested: 'Walk-in intake on Mondays',
      prediction: 'Half of Monday callers start the same week', steps: [{ step: 'Announce walk-in hours', who: 'Front desk' }],
      result: 'A third started the same week', decision: 'adapt',
    }),
    step('agency 1 records March', 'RecordMonthlyMeasures', '2025-04-03', 'agency', `${A1}/measures`, { month: '2025-03', counts: counts(22, 580, 48, 15) }),
    step('PDSA cycle 2', 'LogPDSACycle', '2025-04-04', 'agency', `${P}/pdsa-cycles`, {
      cycleNumber: 2, beginsOn: '2025-03-20', endsOn: '2025-04-03', changeTested: 'Walk-in intake every morning',
      prediction: 'Most callers start within a week', steps: [{ step: 'Extend walk-in to all mornings', who: 'Intake team' }],
      result: 'Median wait fell to 12 days', decision: 'adapt',
    }),
    step('schedule a site visit', 'ScheduleSiteVisit', '2025-04-07', 'coach', `${A1}/site-visits`, {
      visitId: ids.siteVisit, coachId: ids.coach, scheduledAt: '2025-04-15T14:00:00Z', agenda: 'Walk the intake process; review run charts',
    }, 201),
    step('complete the site visit', 'CompleteSiteVisit', '2025-04-16', 'coach', `/v1/site-visits/${ids.siteVisit}/completion`, {
      completedOn: '2025-04-15', summary: 'Walk-in intake works; paperwork still duplicated.',
    }),
    step('PDSA cycle 3', 'LogPDSACycle', '2025-04-25', 'agency', `${P}/pdsa-cycles`, {
      cycleNumber: 3, beginsOn: '2025-04-04', endsOn: '2025-04-24', changeTested: 'Walk-in intake plus one-page paperwork',
      prediction: 'Days to treatment under 20', steps: [{ step: 'Replace intake forms', who: 'Morgan Leader' }],
      result: 'Days to treatment 18.9', decision: 'adopt',
    }),
    step('agency 1 records April', 'RecordMonthlyMeasures', '2025-05-02', 'agency', `${A1}/measures`, { month: '2025-04', counts: counts(25, 480, 50, 11) }),
    step('agency 1 completes its change project', 'CompleteChangeProject', '2025-05-05', 'agency', `${P}/completion`, {
      actualEndOn: '2025-05-02', lessons: 'Small tests moved us faster than planning', impact: 'Days to treatment 30.7 -> 18.9', sustainPlan: 'Walk-in intake is policy; monthly review',
    }),
    step('agency 1 records May', 'RecordMonthlyMeasures', '2025-06-03', 'coach', `${A1}/measures`, { month: '2025-05', counts: counts(27, 470, 52, 10) }),
    step('the coach notes assistance', 'RecordCoachingNote', '2025-06-04', 'coach', `${A1}/coaching-notes`, { coachId: ids.coach, coachedOn: '2025-06-04', assistance: 'Reviewed run charts; planned sustain.' }),
    step('open the second cohort', 'OpenCohort', '2025-06-10', 'admin', `${C}/cohorts`, { cohortId: ids.cohort2, name: 'Cohort 2', startsOn: '2025-08-01', capacity: 8 }, 201),
    step('agency 3 applies', 'SubmitApplication', '2025-06-20', 'admin', `${C}/applications`, application(ids.agency3, 'Lakeside Clinic'), 201),
    step('admit agency 3 to the second cohort', 'AdmitAgency', '2025-07-01', 'admin', `${A(ids.agency3)}/admission`, { cohortId: ids.cohort2 }),
    step('agency 1 mentors agency 3', 'AssignPeerMentor', '2025-07-02', 'admin', `${A(ids.agency3)}/peer-mentor`, { mentorAgencyId: ids.agency1 }, 200, 'PUT'),
    step('agency 1 completes', 'CompleteParticipation', '2025-12-15', 'admin', `${A1}/completion`, { completedOn: '2025-12-15' }),
  ];
}

export interface SeedKeys {
  admin: string;
  coach: string;
  agency: string;
}

export interface SeedResult {
  step: SeedStep;
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | number | undefined>;
}

/**
 * Sends the steps through app.inject with the keys of each actor, moving the clock first.
 * Stops at the first answer that is not the expected status (returned last).
 */
export async function runSeedYear(
  app: FastifyInstance,
  options: { keys: SeedKeys; setClock: (at: Date) => void; steps?: SeedStep[] },
): Promise<SeedResult[]> {
  const results: SeedResult[] = [];
  for (const step of options.steps ?? seedYearSteps()) {
    options.setClock(new Date(step.at));
    const response = await app.inject({
      method: step.method,
      url: step.url,
      headers: { authorization: `Bearer ${options.keys[step.as]}`, 'idempotency-key': `seed-${results.length}` },
      payload: step.body,
    });
    results.push({ step, status: response.statusCode, body: response.json(), headers: response.headers });
    if (response.statusCode !== step.status) break;
  }
  return results;
}
