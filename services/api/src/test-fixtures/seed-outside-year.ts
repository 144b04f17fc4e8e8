// Seed steps outside the year of seed-year.ts (issues 16 and 18): records made after the fact,
// the organisations-and-people network, and the corrections context's budget and system-level
// project. The year's lists and reports leave them out; tests that need every creation add them.
import { SEED_IDS, type SeedIds, type SeedStep } from './seed-ids';

/**
 * Issue 16: a meeting and a visit recorded after the fact (last week's call, a visit a week before),
 * and (issue 18) the kick-off's packet asked for,
 * not part of the year itself (whose lists and reports other tests count); tests that need every
 * creation insert them before agency 1 completes.
 */
export function heldSteps(ids: SeedIds = SEED_IDS): SeedStep[] {
  return [
    {
      name: 'record last week\'s call as held', command: 'RecordHeldMeeting', at: '2025-12-10', as: 'coach', method: 'POST', url: `/v1/collaboratives/${ids.collaborative}/held-meetings`, status: 201,
      body: {
        meetingId: '0190a000-0000-7000-8000-0000000000d1', kind: 'regular_call', modality: 'video', heldAt: '2025-12-03T15:00:00Z', durationMinutes: 60,
        callIn: 'https://meet.example.org/c', agenda: 'Monthly call', invitedAgencyIds: [ids.agency1],
        attendance: [{ agencyId: ids.agency1, present: true, attendees: ['Morgan Leader'] }], minutes: 'Riverside shared its sustain plan.',
      },
    },
    {
      name: 'record a past site visit', command: 'RecordHeldSiteVisit', at: '2025-12-10', as: 'coach', method: 'POST', url: `/v1/collaboratives/${ids.collaborative}/agencies/${ids.agency1}/held-site-visits`, status: 201,
      body: { visitId: '0190a000-0000-7000-8000-0000000000d2', coachId: ids.coach, heldAt: '2025-12-02T14:00:00Z', agenda: 'Sustain plan', completedOn: '2025-12-02', summary: 'Walk-in intake sustained.' },
    },
    {
      // Issue 18: the kick-off's Change Leader packet (rendered by the worker where one runs).
      name: 'prepare the kick-off packet', command: 'PrepareMeetingPacket', at: '2025-12-10', as: 'coach', method: 'POST', url: `/v1/meetings/${ids.kickOff}/packets`, status: 201,
      body: { packetId: '0190a000-0000-7000-8000-0000000000d3' },
    },
  ];
}

/**
 * Issue 16: agency 1 as a registered organisation with a site, its change leader as a registered
 * person, and a contact agency 1 logs as agency 3's peer mentor. Not part of the year (whose lists
 * other tests count); tests that need every creation insert them before agency 1 completes.
 */
export function networkSteps(ids: SeedIds = SEED_IDS): SeedStep[] {
  const at = '2025-12-11';
  return [
    {
      name: "register agency 1's organisation", command: 'RegisterOrganisation', at, as: 'admin', method: 'POST', url: '/v1/organisations', status: 201,
      body: { organisationId: ids.agency1, kind: 'provider', name: 'Riverside Recovery', city: 'Springfield' },
    },
    {
      name: 'add its clinic', command: 'AddSite', at, as: 'admin', method: 'POST', url: `/v1/organisations/${ids.agency1}/sites`, status: 201,
      body: { siteId: '0190a000-0000-7000-8000-0000000000e1', name: 'Main Street clinic', levelsOfCare: ['outpatient'] },
    },
    {
      name: 'register its change leader', command: 'RegisterPerson', at, as: 'admin', method: 'POST', url: '/v1/people', status: 201,
      body: { personId: ids.agencyChangeLeader, organisationId: ids.agency1, name: 'Morgan Leader', email: 'morgan.leader@example.org', title: 'Clinical director' },
    },
    {
      name: 'agency 1 logs a mentoring contact with agency 3', command: 'LogMentoringContact', at, as: 'agency', method: 'POST', url: `/v1/mentors/${ids.agency1}/contacts`, status: 201,
      body: { contactId: '0190a000-0000-7000-8000-0000000000e2', collaborativeId: ids.collaborative, menteeAgencyId: ids.agency3, contactedOn: '2025-12-09', mode: 'phone', topic: 'Walk-in intake' },
    },
  ];
}

/**
 * Issue 16: the system-level Change Team's project with a PDSA cycle, and a budget for the meetings
 * (against the kick-off's expenditure). Outside the year like heldSteps: tests that need every
 * creation, and the read examples, add them.
 */
export const SYSTEM_PROJECT_ID = '0190a000-0000-7000-8000-000000000053';
export function correctionSteps(ids: SeedIds = SEED_IDS): SeedStep[] {
  const C = `/v1/collaboratives/${ids.collaborative}`;
  return [
    {
      name: 'set the meetings budget', command: 'SetBudget', at: '2025-01-31T09:00:00.000Z', as: 'admin', method: 'PUT', url: `${C}/budgets/meetings`, status: 200,
      body: { amountCents: 1000000, reason: 'Approved budget for learning sessions' },
    },
    {
      name: 'the system-level Change Team starts a project', command: 'StartSystemChangeProject', at: '2025-03-06T09:00:00.000Z', as: 'admin', method: 'POST', url: `${C}/system-change-projects`, status: 201,
      body: {
        projectId: SYSTEM_PROJECT_ID, title: 'Pay for same-day intake', aim: "Pay agencies' walk-in intakes within 30 days, down from 75, by September",
        measure: 'waiting_time', baselineValue: 75, targetValue: 30, targetDate: '2025-09-30', startedOn: '2025-03-03',
        changeIdea: 'A billing code for walk-in intake, paid on the weekly run', customers: 'Agencies billing walk-in intakes', levelOfCare: 'other',
        team: [{ name: 'Casey Convener', role: 'Change Leader' }],
      },
    },
    {
      name: "the system-level Change Team's first cycle", command: 'LogPDSACycle', at: '2025-04-02T09:00:00.000Z', as: 'admin', method: 'POST', url: `/v1/change-projects/${SYSTEM_PROJECT_ID}/pdsa-cycles`, status: 200,
      body: {
        cycleNumber: 1, beginsOn: '2025-03-10', endsOn: '2025-03-31', changeTested: 'Weekly payment run for the walk-in code', prediction: 'Half the claims paid within 14 days',
        steps: [{ step: 'Add the code to the fee schedule', who: 'Claims unit' }], result: 'Sixty per cent paid within 14 days', decision: 'adopt',
      },
    },
  ];
}
