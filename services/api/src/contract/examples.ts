// The documented examples of every operation (issue 17, "the contract"): request bodies, path
// parameters and required query parameters. They tell one story on fixed ids (a collaborative, its
// cohort, agencies, a change project, a meeting, a site visit), so that Swagger UI's "Try it out"
// sends bodies the API accepts, and services/api/src/contract/examples.int.test.ts posts them all
// in that order. Dates are in 2025 (the seed year): on today's clock a few commands are refused by
// a domain rule (a meeting scheduled in the past: 422 `scheduled_in_past`), never by validation.
import { entryIdOf, type CommandType } from '@convene/domain';
import { correctionExamples } from './correction-examples';
import { EXAMPLE_IDS, EXAMPLE_MEASURES } from './example-ids';
import { measureExamples } from './measure-examples';
import { meetingExamples } from './meeting-examples';

export { EXAMPLE_IDS, EXAMPLE_MEASURES } from './example-ids';

/**
 * The fields of the document upload (multipart/form-data, AttachDocument), sent before the file
 * part; the API generates the documentId and fills in what it measured of the file.
 */
export const DOCUMENT_UPLOAD_EXAMPLE = {
  targetKind: 'agency',
  targetId: EXAMPLE_IDS.agency,
  description: 'Walk-through of intake: findings and flowchart',
  documentDate: '2025-02-07',
} as const;

const I = EXAMPLE_IDS;
/** Plan entries of the story's collaborative (ids derived from the plan's scope and step, as the API derives them). */
export const EXAMPLE_PLAN_ENTRIES = {
  kickOff: entryIdOf(I.collaborative, 'collaborative', 'kick-off'),
  call06: entryIdOf(I.collaborative, 'collaborative', 'call-06'),
  call07: entryIdOf(I.collaborative, 'collaborative', 'call-07'),
} as const;
const person = (personId: string, name: string) => ({ personId, name, email: `${name.toLowerCase().replace(' ', '.')}@example.org` });

const M = EXAMPLE_MEASURES;

/**
 * One body per JSON command (the meetings', measures' and corrections' in their own modules; the
 * story's order is examples.int.test.ts's). Every command but the two
 * document uploads (AttachDocument, ReplaceDocument): those are multipart/form-data (the fields,
 * then the file; the API fills in the file's name, type, size and hash), so they have no JSON body
 * to give an example of (DOCUMENT_UPLOAD_EXAMPLE holds the upload's fields).
 */
export const COMMAND_EXAMPLES: Record<Exclude<CommandType, 'AttachDocument' | 'ReplaceDocument'>, Record<string, unknown>> = {
  LaunchCollaborative: {
    collaborativeId: I.collaborative,
    name: 'Access to Treatment 2025',
    aim: 'Cut days from first contact to treatment and intake no-shows',
    convener: { organizationName: 'State Division of Substance Use Services', contact: person(I.person, 'Casey Convener') },
    focusMeasures: ['waiting_time', 'intake_no_show'],
    startsOn: '2025-02-01',
    endsOn: '2025-12-31',
    meetingCadence: 'monthly',
    measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
    timeZone: 'America/Chicago',
  },
  AppointSystemRole: { role: 'coach', person: person(I.coach, 'Chris Coach') },
  OpenCohort: { cohortId: I.cohort, name: 'Cohort 1', startsOn: '2025-03-01', capacity: 8 },
  RecordExpenditure: { expenditureId: I.expenditure, amountCents: 250000, category: 'meetings', spentOn: '2025-01-30', note: 'Kick-off venue' },
  SubmitApplication: {
    agencyId: I.agency,
    agencyName: 'Riverside Recovery',
    contact: { name: 'Riverside Director', email: 'director@example.org', phone: '555-0100' },
    proposal: 'Riverside Recovery will cut days from first contact to treatment and intake no-shows.',
  },
  // Issue 16: the applicant's organisation keeps its agencyId; a person of it; a stakeholder.
  RegisterOrganisation: { organisationId: I.agency, kind: 'provider', name: 'Riverside Recovery', city: 'Springfield', state: 'IL' },
  UpdateOrganisation: { name: 'Riverside Recovery Services' },
  AddSite: { siteId: I.site, name: 'Main Street clinic', address: '12 Main Street, Springfield', levelsOfCare: ['outpatient', 'intensive_outpatient'] },
  RegisterPerson: { personId: I.person, organisationId: I.agency, name: 'Morgan Leader', email: 'morgan.leader@example.org', title: 'Clinical director' },
  ChangePersonContact: { name: 'Morgan Leader', email: 'morgan.leader@example.org', phone: '555-0101' },
  MovePerson: { organisationId: null },
  ScoreApplication: {
    reviewerId: I.reviewer,
    scores: [{ criterion: 'Leadership commitment', score: 9 }, { criterion: 'Data capacity', score: 7 }],
    notes: 'Strong sponsor',
  },
  AdmitAgency: { cohortId: I.cohort },
  AssignAgencyRole: { role: 'change_leader', person: person(I.person, 'Morgan Leader') },
  AssignCoach: { coachId: I.coach },
  SubmitWalkThrough: { walkedThroughOn: '2025-02-07', findings: 'Callers wait for a call back; intake paperwork is duplicated.' },
  RecordHeldSiteVisit: {
    visitId: I.visit3,
    coachId: I.coach,
    heldAt: '2025-02-04T14:00:00Z',
    agenda: 'Meet the change team; walk through a caller\'s first contact',
    completedOn: '2025-02-04',
    summary: 'Met the change team; the walk-through is planned for the 7th.',
  },
  StartChangeProject: {
    projectId: I.project,
    title: 'Same-day intake',
    aim: 'Cut days from first contact to treatment from 30.7 to 19 by June',
    measure: 'waiting_time',
    baselineValue: 30.7,
    targetValue: 19,
    targetDate: '2025-06-30',
    changeIdea: 'Offer a walk-in intake every morning',
    customers: 'Callers asking for treatment',
    levelOfCare: 'outpatient',
    team: [{ name: 'Morgan Leader', role: 'Change Leader' }],
  },
  LogPDSACycle: {
    cycleNumber: 1,
    beginsOn: '2025-03-06',
    endsOn: '2025-03-19',
    changeTested: 'Walk-in intake on Mondays',
    prediction: 'Half of Monday callers start the same week',
    steps: [{ step: 'Announce walk-in hours', who: 'Front desk' }],
    result: 'Two thirds started the same week',
    decision: 'adopt',
  },
  ScheduleSiteVisit: { visitId: I.visit, coachId: I.coach, scheduledAt: '2025-04-15T14:00:00Z', agenda: 'Walk the intake process; review run charts' },
  RescheduleSiteVisit: { scheduledAt: '2025-04-16T14:00:00Z', reason: 'The change leader is away on the 15th' },
  CompleteSiteVisit: { completedOn: '2025-04-16', summary: 'Walk-in intake works; paperwork still duplicated.' },
  RecordCoachingNote: { coachId: I.coach, coachedOn: '2025-06-04', assistance: 'Reviewed run charts; planned how to sustain the change.' },
  SendAnnouncement: {
    announcementId: I.announcement,
    subject: 'Learning session moved to 12 June',
    body: 'The June learning session moves to 12 June, same time and room. Please bring your run charts.',
    audience: 'change_leaders',
    cohortId: I.cohort,
  },
  CompleteChangeProject: {
    actualEndOn: '2025-05-02',
    lessons: 'Small tests moved us faster than planning',
    impact: 'Days to treatment 30.7 -> 18.9',
    sustainPlan: 'Walk-in intake is policy; monthly review',
  },
  AssignPeerMentor: { mentorAgencyId: I.agency },
  LogMentoringContact: {
    contactId: I.contact,
    collaborativeId: I.collaborative,
    menteeAgencyId: I.agency2,
    contactedOn: '2025-07-09',
    mode: 'video',
    topic: 'Walk-in intake: how we staff the mornings',
    notes: 'Shared our front-desk script and the run chart.',
  },
  CreditRecruitment: { mentorCollaborativeId: I.collaborative, collaborativeId: I.collaborative, applicantAgencyId: I.agency3 },
  DeclineApplication: { reason: 'The cohort is full; please apply to the next one' },
  WithdrawAgency: { withdrawnOn: '2025-09-30', reason: 'Merged with another provider' },
  AbandonChangeProject: { abandonedOn: '2025-05-10', reason: 'The clinic closed its evening hours' },
  CancelSiteVisit: { reason: 'The coach is ill' },
  CompleteParticipation: { completedOn: '2025-12-15' },
  CloseCollaborative: { closedOn: '2025-12-31', reason: 'The year is over' },
  RemoveDocument: { reason: 'Superseded by the revised agenda' },
  ProposePlan: { template: 'niatx-year', location: 'State Office Building, room 4', callIn: 'https://meet.example.org/niatx' },
  AdoptPlanEntry: {},
  MovePlanEntry: { startsAt: '2025-07-22T16:00:00Z', reason: 'The 15th is a state holiday' },
  DropPlanEntry: { reason: 'Replaced by the Change Leader meeting' },
  RebasePlan: { startsOn: '2025-02-03' },
  AdoptPlan: {},
  ...meetingExamples,
  ...measureExamples,
  ...correctionExamples(),
};

/** Path ids that are not the story's main ones, per command (the other agencies, the abandoned project...). */
export const COMMAND_PATH_EXAMPLES: Partial<Record<CommandType, Record<string, string>>> = {
  AssignPeerMentor: { agencyId: I.agency2 },
  WithdrawAgency: { agencyId: I.agency2 },
  DeclineApplication: { agencyId: I.agency3 },
  LogMentoringContact: { mentorAgencyId: I.agency },
  CreditRecruitment: { mentorAgencyId: I.agency },
  AbandonChangeProject: { projectId: I.project2 },
  RetireMeasure: { measureId: M.retired },
  CancelSiteVisit: { visitId: I.visit2 },
  CancelMeeting: { meetingId: I.meeting2 },
  MovePlanEntry: { entryId: EXAMPLE_PLAN_ENTRIES.call06 },
  DropPlanEntry: { entryId: EXAMPLE_PLAN_ENTRIES.call07 },
};

/**
 * Bodies of the operations that are not domain commands, by operationId. The webhook target is
 * example.com (it resolves, and is no internal address): where no DNS answers, the API refuses it
 * with 400 `webhook_target_refused` (issue 12.9's check of the target), as any unresolvable URL.
 */
export const OPERATION_EXAMPLES: Record<string, unknown> = {
  createWebhook: { url: 'https://example.com/webhooks/convene', types: ['MeetingScheduled', 'MinutesPublished'], collaborativeId: I.collaborative, description: 'Our intranet calendar' },
  createCalendarFeed: { scope: 'agency', agencyId: I.agency, name: 'Riverside meetings and visits' },
  erasePersonalData: { personId: I.person },
};

/** Path parameter examples by name (an operation's own, above, win). */
export const PATH_EXAMPLES: Record<string, string> = {
  collaborativeId: I.collaborative,
  cohortId: I.cohort,
  agencyId: I.agency,
  coachId: I.coach,
  projectId: I.project,
  visitId: I.visit,
  meetingId: I.meeting,
  expenditureId: I.expenditure,
  category: 'meetings',
  measureId: M.charted,
  chart: `${M.charted}.svg`,
  documentId: I.document,
  entryId: EXAMPLE_PLAN_ENTRIES.kickOff,
  announcementId: I.announcement,
  organisationId: I.agency,
  personId: I.person,
  mentorAgencyId: I.agency,
  subscriptionId: I.webhook,
  feedId: I.feed,
  token: 'the-token-of-the-create-answer.ics',
  aggregate: 'collaborative',
  id: I.collaborative,
  name: 'schedule',
};

/** Path ids of other operations, by operationId. */
export const OPERATION_PATH_EXAMPLES: Record<string, Record<string, string>> = {
  retryDeadLetter: { id: 'delivery-example-id' },
};

/** Required query parameters, by name. */
export const QUERY_EXAMPLES: Record<string, string> = {
  from: '2025-03-01',
  to: '2025-04-01',
};
