import { z } from 'zod';
import { storedMeasureValues as values } from '../measures/values';
import { eventSchema, person, storedIsoDate as isoDate, storedMonth as month, storedPeriod as period, text, uuid } from '../shared/schemas';
import { agencyRole, contact, criterionScore, progressScore, submissionPeriod } from './commands';

const ids = { collaborativeId: uuid, agencyId: uuid };
export const ApplicationSubmitted = eventSchema({ ...ids, agencyName: text(200), contact, proposal: text(20000), submittedAt: z.iso.datetime({ offset: true }) });
export const ApplicationScored = eventSchema({ ...ids, reviewerId: uuid, scores: z.array(criterionScore).min(1), total: z.number().int().min(0), notes: text(5000).optional() });
export const AgencyAdmitted = eventSchema({ ...ids, cohortId: uuid });
export const ApplicationDeclined = eventSchema({ ...ids, reason: text(2000) });
export const AgencyWithdrawn = eventSchema({ ...ids, withdrawnOn: isoDate, reason: text(2000).optional() });
export const AgencyRoleAssigned = eventSchema({ ...ids, role: agencyRole, person });
export const CoachAssigned = eventSchema({ ...ids, coachId: uuid });
// Issue 16: mentorCollaborativeId is set only for a mentor from another collaborative (additive: stored events read as before).
export const PeerMentorAssigned = eventSchema({ ...ids, mentorAgencyId: uuid, mentorCohortId: uuid, mentorCollaborativeId: uuid.optional() });
export const WalkThroughSubmitted = eventSchema({ ...ids, walkedThroughOn: isoDate, findings: text(20000) });
// v2 (issue 15): values by catalogue measure id; v1 carried the fixed NIATx counts (upcast).
export const BaselineRecorded = eventSchema({ ...ids, period, values });
export const MonthlyMeasuresRecorded = eventSchema({ ...ids, month, values });
export const MonthlyMeasuresCorrected = eventSchema({ ...ids, month, values, reason: text(2000) });
export const MeasuresDraftSaved = eventSchema({ ...ids, period: submissionPeriod, baselinePeriod: period.optional(), values });
export const MeasuresSubmitted = eventSchema({ ...ids, period: z.string(), values });
export const MeasuresCorrected = eventSchema({ ...ids, period: z.string(), values, reason: text(2000) });
export const BaselineCorrected = eventSchema({ ...ids, period, values, reason: text(2000) });
export const ProgressAssessed = eventSchema({ ...ids, period: submissionPeriod, coachId: uuid, score: progressScore, comment: text(5000), assessedAt: z.iso.datetime({ offset: true }) });
export const CoachingNoteRecorded = eventSchema({ ...ids, coachId: uuid, coachedOn: isoDate, assistance: text(20000) });
export const ParticipationCompleted = eventSchema({ ...ids, completedOn: isoDate });

type D<T extends z.ZodType> = z.infer<T>;
export type ParticipationEvent =
  | { type: 'ApplicationSubmitted'; data: D<typeof ApplicationSubmitted> }
  | { type: 'ApplicationScored'; data: D<typeof ApplicationScored> }
  | { type: 'AgencyAdmitted'; data: D<typeof AgencyAdmitted> }
  | { type: 'ApplicationDeclined'; data: D<typeof ApplicationDeclined> }
  | { type: 'AgencyWithdrawn'; data: D<typeof AgencyWithdrawn> }
  | { type: 'AgencyRoleAssigned'; data: D<typeof AgencyRoleAssigned> }
  | { type: 'CoachAssigned'; data: D<typeof CoachAssigned> }
  | { type: 'PeerMentorAssigned'; data: D<typeof PeerMentorAssigned> }
  | { type: 'WalkThroughSubmitted'; data: D<typeof WalkThroughSubmitted> }
  | { type: 'BaselineRecorded'; data: D<typeof BaselineRecorded> }
  | { type: 'MonthlyMeasuresRecorded'; data: D<typeof MonthlyMeasuresRecorded> }
  | { type: 'MonthlyMeasuresCorrected'; data: D<typeof MonthlyMeasuresCorrected> }
  | { type: 'MeasuresDraftSaved'; data: D<typeof MeasuresDraftSaved> }
  | { type: 'MeasuresSubmitted'; data: D<typeof MeasuresSubmitted> }
  | { type: 'MeasuresCorrected'; data: D<typeof MeasuresCorrected> }
  | { type: 'BaselineCorrected'; data: D<typeof BaselineCorrected> }
  | { type: 'ProgressAssessed'; data: D<typeof ProgressAssessed> }
  | { type: 'CoachingNoteRecorded'; data: D<typeof CoachingNoteRecorded> }
  | { type: 'ParticipationCompleted'; data: D<typeof ParticipationCompleted> };

const v1 = (schema: z.ZodType) => ({ schema, schemaVersion: 1 });
export const participationEvents = {
  ApplicationSubmitted: v1(ApplicationSubmitted),
  ApplicationScored: v1(ApplicationScored),
  AgencyAdmitted: v1(AgencyAdmitted),
  ApplicationDeclined: v1(ApplicationDeclined),
  AgencyWithdrawn: v1(AgencyWithdrawn),
  AgencyRoleAssigned: v1(AgencyRoleAssigned),
  CoachAssigned: v1(CoachAssigned),
  PeerMentorAssigned: v1(PeerMentorAssigned),
  WalkThroughSubmitted: v1(WalkThroughSubmitted),
  BaselineRecorded: { schema: BaselineRecorded, schemaVersion: 2 },
  MonthlyMeasuresRecorded: { schema: MonthlyMeasuresRecorded, schemaVersion: 2 },
  MonthlyMeasuresCorrected: { schema: MonthlyMeasuresCorrected, schemaVersion: 2 },
  MeasuresDraftSaved: v1(MeasuresDraftSaved),
  MeasuresSubmitted: v1(MeasuresSubmitted),
  MeasuresCorrected: v1(MeasuresCorrected),
  BaselineCorrected: v1(BaselineCorrected),
  ProgressAssessed: v1(ProgressAssessed),
  CoachingNoteRecorded: v1(CoachingNoteRecorded),
  ParticipationCompleted: v1(ParticipationCompleted),
};
