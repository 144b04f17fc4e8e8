// Every domain command as one HTTP operation: method, resource path under /v1, the bounded
// context (plugin) that serves it, the id it creates, and the roles (besides admin) allowed to
// send it. Body schemas, operationIds and descriptions come from the domain's commandRegistry.
import type { CommandType } from '@convene/domain';
import type { Role } from '../auth/keys';

export type BoundedContext = 'collaboratives' | 'participation' | 'changeProjects' | 'siteVisits' | 'meetings' | 'documents' | 'plans' | 'announcements' | 'organisations' | 'people';

export interface CommandRouteSpec {
  method: 'POST' | 'PUT';
  /** Fastify path; its `:params` are fields of the command data. */
  path: string;
  context: BoundedContext;
  /** The id a creation generates (uuid v7) when the client does not supply it, and where it lives. */
  creates?: { field: string; location: (ids: Record<string, string>) => string };
  /** Roles allowed besides admin. */
  roles: Role[];
  /**
   * Sent as multipart/form-data with a file, not as JSON: its bounded context's own route streams
   * the file into the object store and builds the command (services/api/src/documents/upload.ts);
   * the command plugin registers no JSON route for it.
   */
  multipart?: true;
  /** Its bounded context registers its route (multipart uploads; a removal that deletes the file after the event). */
  ownRoute?: true;
  /** Fields the API fills in, never a client (an announcement's resolved recipients): left out of the body schema. */
  serverFields?: string[];
  /** Agency keys may send it only for a resource of their own agency, not a collaborative-wide one. */
  agencyKeysOwnAgencyOnly?: true;
  /**
   * Issue 16 peer mentoring: the command is the act of the agency named by this field (the mentor),
   * for a mentee of any collaborative. An agency key may send it for its own agency only; whether that
   * agency is the mentee's mentor is the domain's rule. Other keys are scoped by the mentee's collaborative.
   */
  actingAgencyField?: string;
  /** Only an admin key of every collaborative (null scope) may send it: it belongs to no one collaborative. */
  globalAdminOnly?: true;
}

const C = '/v1/collaboratives/:collaborativeId';
const A = `${C}/agencies/:agencyId`;
const P = '/v1/change-projects/:projectId';
const V = '/v1/site-visits/:visitId';
const M = '/v1/meetings/:meetingId';
const D = '/v1/documents/:documentId';
const O = '/v1/organisations/:organisationId';
const PE = '/v1/people/:personId';
const MT = '/v1/mentors/:mentorAgencyId';

export const commandRoutes = {
  LaunchCollaborative: {
    method: 'POST', path: '/v1/collaboratives', context: 'collaboratives', roles: [],
    creates: { field: 'collaborativeId', location: (i) => `/v1/collaboratives/${i.collaborativeId}` },
  },
  AppointSystemRole: { method: 'POST', path: `${C}/system-roles`, context: 'collaboratives', roles: [] },
  OpenCohort: {
    method: 'POST', path: `${C}/cohorts`, context: 'collaboratives', roles: [],
    creates: { field: 'cohortId', location: (i) => `/v1/collaboratives/${i.collaborativeId}/cohorts/${i.cohortId}` },
  },
  RecordExpenditure: {
    method: 'POST', path: `${C}/expenditures`, context: 'collaboratives', roles: [],
    creates: { field: 'expenditureId', location: (i) => `/v1/collaboratives/${i.collaborativeId}/expenditures/${i.expenditureId}` },
  },
  DefineMeasure: { method: 'POST', path: `${C}/catalogue/measures`, context: 'collaboratives', roles: [] },
  RetireMeasure: { method: 'POST', path: `${C}/catalogue/measures/:measureId/retirement`, context: 'collaboratives', roles: [] },
  StartChartPhase: { method: 'POST', path: `${C}/catalogue/measures/:measureId/phases`, context: 'collaboratives', roles: [] },
  CloseCollaborative: { method: 'POST', path: `${C}/closure`, context: 'collaboratives', roles: [] },
  // Issue 16 corrections, each its own event with a reason.
  CorrectCollaborativeDates: { method: 'POST', path: `${C}/dates/corrections`, context: 'collaboratives', roles: [] },
  ChangeMeetingCadence: { method: 'PUT', path: `${C}/meeting-cadence`, context: 'collaboratives', roles: [] },
  RemoveSystemRole: { method: 'POST', path: `${C}/system-roles/removals`, context: 'collaboratives', roles: [] },
  CorrectExpenditure: { method: 'POST', path: `${C}/expenditures/:expenditureId/corrections`, context: 'collaboratives', roles: [] },
  VoidExpenditure: { method: 'POST', path: `${C}/expenditures/:expenditureId/void`, context: 'collaboratives', roles: [] },
  SetBudget: { method: 'PUT', path: `${C}/budgets/:category`, context: 'collaboratives', roles: [] },

  SubmitApplication: {
    method: 'POST', path: `${C}/applications`, context: 'participation', roles: ['agency'],
    creates: { field: 'agencyId', location: (i) => `/v1/collaboratives/${i.collaborativeId}/agencies/${i.agencyId}` },
  },
  ScoreApplication: { method: 'POST', path: `${A}/application/scores`, context: 'participation', roles: [] },
  AdmitAgency: { method: 'POST', path: `${A}/admission`, context: 'participation', roles: [] },
  DeclineApplication: { method: 'POST', path: `${A}/application/decline`, context: 'participation', roles: [] },
  WithdrawAgency: { method: 'POST', path: `${A}/withdrawal`, context: 'participation', roles: ['agency'] },
  AssignAgencyRole: { method: 'POST', path: `${A}/roles`, context: 'participation', roles: ['coach', 'agency'] },
  AssignCoach: { method: 'PUT', path: `${A}/coach`, context: 'participation', roles: [] },
  AssignPeerMentor: { method: 'PUT', path: `${A}/peer-mentor`, context: 'participation', roles: [] },
  SubmitWalkThrough: { method: 'POST', path: `${A}/walk-through`, context: 'participation', roles: ['coach', 'agency'] },
  RecordBaseline: { method: 'POST', path: `${A}/baseline`, context: 'participation', roles: ['coach', 'agency'] },
  RecordMonthlyMeasures: { method: 'POST', path: `${A}/measures`, context: 'participation', roles: ['coach', 'agency'] },
  CorrectMonthlyMeasures: { method: 'POST', path: `${A}/measures/corrections`, context: 'participation', roles: ['coach', 'agency'] },
  SaveMeasuresDraft: { method: 'PUT', path: `${A}/submissions/drafts`, context: 'participation', roles: ['coach', 'agency'] },
  SubmitMeasures: { method: 'POST', path: `${A}/submissions`, context: 'participation', roles: ['coach', 'agency'] },
  CorrectBaseline: { method: 'POST', path: `${A}/baseline/corrections`, context: 'participation', roles: ['coach', 'agency'] },
  CorrectMeasures: { method: 'POST', path: `${A}/submissions/corrections`, context: 'participation', roles: ['coach', 'agency'] },
  AssessProgress: { method: 'POST', path: `${A}/assessments`, context: 'participation', roles: ['coach'] },
  RecordCoachingNote: { method: 'POST', path: `${A}/coaching-notes`, context: 'participation', roles: ['coach'] },
  CompleteParticipation: { method: 'POST', path: `${A}/completion`, context: 'participation', roles: [] },
  CorrectBaselinePeriod: { method: 'POST', path: `${A}/baseline/period-corrections`, context: 'participation', roles: ['coach', 'agency'] },
  CorrectWalkThrough: { method: 'POST', path: `${A}/walk-through/corrections`, context: 'participation', roles: ['coach', 'agency'] },
  CorrectApplicationScore: { method: 'POST', path: `${A}/application/scores/corrections`, context: 'participation', roles: [] },
  RemoveAgencyRole: { method: 'POST', path: `${A}/roles/removals`, context: 'participation', roles: ['coach', 'agency'] },

  StartChangeProject: {
    method: 'POST', path: `${A}/change-projects`, context: 'changeProjects', roles: ['coach', 'agency'],
    creates: { field: 'projectId', location: (i) => `/v1/change-projects/${i.projectId}` },
  },
  // Issue 16: the system-level Change Team's projects; agency keys act only on their own agency's.
  StartSystemChangeProject: {
    method: 'POST', path: `${C}/system-change-projects`, context: 'changeProjects', roles: ['coach'],
    creates: { field: 'projectId', location: (i) => `/v1/change-projects/${i.projectId}` },
  },
  LogPDSACycle: { method: 'POST', path: `${P}/pdsa-cycles`, context: 'changeProjects', roles: ['coach', 'agency'], agencyKeysOwnAgencyOnly: true },
  CompleteChangeProject: { method: 'POST', path: `${P}/completion`, context: 'changeProjects', roles: ['coach', 'agency'], agencyKeysOwnAgencyOnly: true },
  AbandonChangeProject: { method: 'POST', path: `${P}/abandonment`, context: 'changeProjects', roles: ['coach', 'agency'], agencyKeysOwnAgencyOnly: true },

  ScheduleSiteVisit: {
    method: 'POST', path: `${A}/site-visits`, context: 'siteVisits', roles: ['coach'],
    creates: { field: 'visitId', location: (i) => `/v1/site-visits/${i.visitId}` },
  },
  RecordHeldSiteVisit: {
    method: 'POST', path: `${A}/held-site-visits`, context: 'siteVisits', roles: ['coach'],
    creates: { field: 'visitId', location: (i) => `/v1/site-visits/${i.visitId}` },
  },
  RescheduleSiteVisit: { method: 'POST', path: `${V}/reschedule`, context: 'siteVisits', roles: ['coach'] },
  CancelSiteVisit: { method: 'POST', path: `${V}/cancellation`, context: 'siteVisits', roles: ['coach'] },
  CompleteSiteVisit: { method: 'POST', path: `${V}/completion`, context: 'siteVisits', roles: ['coach'] },

  ScheduleMeeting: {
    method: 'POST', path: `${C}/meetings`, context: 'meetings', roles: ['coach'],
    creates: { field: 'meetingId', location: (i) => `/v1/meetings/${i.meetingId}` },
  },
  RecordHeldMeeting: {
    method: 'POST', path: `${C}/held-meetings`, context: 'meetings', roles: ['coach'],
    creates: { field: 'meetingId', location: (i) => `/v1/meetings/${i.meetingId}` },
  },
  RescheduleMeeting: { method: 'POST', path: `${M}/reschedule`, context: 'meetings', roles: ['coach'] },
  CancelMeeting: { method: 'POST', path: `${M}/cancellation`, context: 'meetings', roles: ['coach'] },
  AssignPresenters: { method: 'PUT', path: `${M}/presenters`, context: 'meetings', roles: ['coach'] },
  RecordAttendance: { method: 'POST', path: `${M}/attendance`, context: 'meetings', roles: ['coach'] },
  PublishMinutes: { method: 'POST', path: `${M}/minutes`, context: 'meetings', roles: ['coach'] },
  CorrectMinutes: { method: 'POST', path: `${M}/minutes/corrections`, context: 'meetings', roles: ['coach'] },
  // Issue 18: the worker renders and stores the packets; they are listed in the meeting's binder.
  PrepareMeetingPacket: {
    method: 'POST', path: `${M}/packets`, context: 'meetings', roles: ['coach'],
    creates: { field: 'packetId', location: (i) => `/v1/meetings/${i.meetingId}` },
  },

  // Issue 18: the timeline plan (the convener's; admin keys). Adoption schedules meetings and visits.
  ProposePlan: { method: 'POST', path: `${C}/plan/proposals`, context: 'plans', roles: [] },
  AdoptPlan: { method: 'POST', path: `${C}/plan/adoption`, context: 'plans', roles: [] },
  AdoptPlanEntry: { method: 'POST', path: `${C}/plan/entries/:entryId/adoption`, context: 'plans', roles: [] },
  MovePlanEntry: { method: 'POST', path: `${C}/plan/entries/:entryId/move`, context: 'plans', roles: [] },
  DropPlanEntry: { method: 'POST', path: `${C}/plan/entries/:entryId/drop`, context: 'plans', roles: [] },
  RebasePlan: { method: 'POST', path: `${C}/plan/rebase`, context: 'plans', roles: [] },
  // Issue 16: people at meetings. An agency key registers its own people only (meetings/registration-routes.ts).
  InviteToMeeting: { method: 'POST', path: `${M}/invitations`, context: 'meetings', roles: ['coach'] },
  SetMeetingProgramme: { method: 'PUT', path: `${M}/programme`, context: 'meetings', roles: ['coach'] },
  SetMeetingCreditHours: { method: 'PUT', path: `${M}/credit-hours`, context: 'meetings', roles: ['coach'] },
  RegisterForMeeting: { method: 'POST', path: `${M}/registrations`, context: 'meetings', roles: ['coach', 'agency'], ownRoute: true },
  CancelMeetingRegistration: { method: 'POST', path: `${M}/registrations/cancellation`, context: 'meetings', roles: ['coach', 'agency'], ownRoute: true },
  RecordPersonAttendance: { method: 'POST', path: `${M}/person-attendance`, context: 'meetings', roles: ['coach'] },

  // Who may change which document is checked against its target's scope (documents/access.ts).
  AttachDocument: {
    method: 'POST', path: `${C}/documents`, context: 'documents', roles: ['coach', 'agency'], multipart: true, ownRoute: true, agencyKeysOwnAgencyOnly: true,
    creates: { field: 'documentId', location: (i) => `/v1/documents/${i.documentId}` },
  },
  ReplaceDocument: { method: 'PUT', path: `${D}/content`, context: 'documents', roles: ['coach', 'agency'], multipart: true, ownRoute: true, agencyKeysOwnAgencyOnly: true },
  RemoveDocument: { method: 'POST', path: `${D}/removal`, context: 'documents', roles: ['coach', 'agency'], ownRoute: true, agencyKeysOwnAgencyOnly: true },

  // Its route resolves the audience from the read models and adds the recipients (announcements/routes.ts).
  SendAnnouncement: {
    method: 'POST', path: `${C}/announcements`, context: 'announcements', roles: [], ownRoute: true, serverFields: ['recipients'],
    creates: { field: 'announcementId', location: (i) => `/v1/collaboratives/${i.collaborativeId}/announcements/${i.announcementId}` },
  },
  // Issue 16: organisations and people are shared by every collaborative of the convener, so they
  // belong to no collaborative's scope: only an admin key of every collaborative writes them.
  RegisterOrganisation: {
    method: 'POST', path: '/v1/organisations', context: 'organisations', roles: [], globalAdminOnly: true,
    creates: { field: 'organisationId', location: (i) => `/v1/organisations/${i.organisationId}` },
  },
  UpdateOrganisation: { method: 'POST', path: `${O}/details`, context: 'organisations', roles: [], globalAdminOnly: true },
  AddSite: {
    method: 'POST', path: `${O}/sites`, context: 'organisations', roles: [], globalAdminOnly: true,
    creates: { field: 'siteId', location: (i) => `/v1/organisations/${i.organisationId}` },
  },
  RegisterPerson: {
    method: 'POST', path: '/v1/people', context: 'people', roles: [], globalAdminOnly: true,
    creates: { field: 'personId', location: (i) => `/v1/people/${i.personId}` },
  },
  ChangePersonContact: { method: 'POST', path: `${PE}/contact`, context: 'people', roles: [], globalAdminOnly: true },
  MovePerson: { method: 'PUT', path: `${PE}/organisation`, context: 'people', roles: [], globalAdminOnly: true },
  LogMentoringContact: {
    method: 'POST', path: `${MT}/contacts`, context: 'organisations', roles: ['agency'], actingAgencyField: 'mentorAgencyId',
    creates: { field: 'contactId', location: (i) => `/v1/organisations/${i.mentorAgencyId}/mentoring-contacts` },
  },
  CreditRecruitment: { method: 'POST', path: `${MT}/recruits`, context: 'organisations', roles: [] },
} satisfies Record<CommandType, CommandRouteSpec>;

/** Path parameter names, in order. */
export const pathParams = (path: string): string[] => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);

/** `/v1/x/:id` -> `/v1/x/{id}` (as in the OpenAPI document). */
export const openApiPath = (path: string): string => path.replace(/:(\w+)/g, '{$1}');
