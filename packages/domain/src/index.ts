// @convene/domain: aggregates (commands, events, deciders), registries and the command handler.
export { collaborative } from './collaborative';
export { participation } from './participation';
export { changeProject } from './change-project';
export { siteVisit } from './site-visit';
export { meeting } from './meeting';
export { creditHoursEarned, PRESENTER_CAP } from './meeting/invitees';
export { meetingInvitees } from './meeting/state';
export { document, documentTargetStream, documentTargetKinds, type DocumentTargetKind } from './document';
export type { CollaborativeState, Cohort, CollaborativeCommand, CollaborativeEvent } from './collaborative';
export type { ParticipationState, ParticipationCommand, ParticipationEvent } from './participation';
export type { ChangeProjectState, ChangeProjectCommand, ChangeProjectEvent } from './change-project';
export type { SiteVisitState, SiteVisitCommand, SiteVisitEvent } from './site-visit';
export type { MeetingState, MeetingCommand, MeetingEvent } from './meeting';
export type { DocumentState, DocumentCommand, DocumentEvent } from './document';
export { plan, planTemplates, planTemplateIds, planEntries, entryIdOf, lateAgainstPlan, planEntryKinds, planAudiences, schedulesOnAdoption, type PlanState, type PlanCommand, type PlanEvent, type PlanEntryState, type PlanScope, type LateItem, type PlanTemplateId } from './plan';
export {
  announcement, announcementAudiences, agencyAudiences, announcementRecipient, announcementRequest,
  type AnnouncementAudience, type AnnouncementRecipient, type AnnouncementState, type AnnouncementCommand, type AnnouncementEvent,
} from './announcement';
export { organisation, organisationKind, type OrganisationKind } from './organisation';
export { personAggregate } from './person';
export { mentoring, mentoringMode } from './mentoring';
export type { OrganisationState, OrganisationCommand, OrganisationEvent } from './organisation';
export type { PersonState, PersonCommand, PersonEvent } from './person';
export type { MentoringState, MentoringCommand, MentoringEvent } from './mentoring';

export * from './registry';
export * from './shared';
export * from './measures';
export * from './application/port';
export * from './application/execute';
export * from './application/stream-cache';
export * from './application/plan-view';
export * from './application/in-memory-port';
export * from './personal-data';
// Whole-history rule checks, for the tests of other packages (the API's two-process race test).
export { checkHistory, checkState } from './application/invariants';
