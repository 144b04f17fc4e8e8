import { z } from 'zod';
import { measureValues } from '../measures/values';
import { periodKey } from '../measures/periods';
import { measureCounts } from '../shared/measures';
import { commandSchema, isoDate, month, period, person, text, uuid } from '../shared/schemas';

const ids = { collaborativeId: uuid, agencyId: uuid };
export const agencyRole = z.enum(['executive_sponsor', 'change_leader', 'change_team_member']);
export const criterionScore = z.object({ criterion: text(200), score: z.number().int().min(0).max(10) }).strict();
export const contact = z.object({ name: text(200), email: z.email(), phone: text(40).optional() }).strict();

export const SubmitApplication = commandSchema({ ...ids, agencyName: text(200), contact, proposal: text(20000) });
export const ScoreApplication = commandSchema({ ...ids, reviewerId: uuid, scores: z.array(criterionScore).min(1).max(20), notes: text(5000).optional() });
export const AdmitAgency = commandSchema({ ...ids, cohortId: uuid });
export const DeclineApplication = commandSchema({ ...ids, reason: text(2000) });
export const WithdrawAgency = commandSchema({ ...ids, withdrawnOn: isoDate, reason: text(2000).optional() });
export const AssignAgencyRole = commandSchema({ ...ids, role: agencyRole, person });
export const AssignCoach = commandSchema({ ...ids, coachId: uuid });
export const AssignPeerMentor = commandSchema({
  ...ids,
  mentorAgencyId: uuid,
  /** Issue 16: the mentor's collaborative, when it is an earlier one of the same convener (left out: this one). */
  mentorCollaborativeId: uuid.optional(),
});
export const SubmitWalkThrough = commandSchema({ ...ids, walkedThroughOn: isoDate, findings: text(20000) });
export const RecordBaseline = commandSchema({ ...ids, period, counts: measureCounts });
export const RecordMonthlyMeasures = commandSchema({ ...ids, month, counts: measureCounts });
export const CorrectMonthlyMeasures = commandSchema({ ...ids, month, counts: measureCounts, reason: text(2000) });
/** A submission's period: a reporting period (YYYY-MM, YYYY-Qn) or `baseline` (then with its span of dates). */
export const submissionPeriod = z.union([periodKey, z.literal('baseline')]);
const submission = { ...ids, period: submissionPeriod, baselinePeriod: period.optional() };
const needsSpan = (d: { period: string; baselinePeriod?: unknown }) => d.period !== 'baseline' || d.baselinePeriod !== undefined;
const spanRule = { message: 'a baseline submission names its baselinePeriod (from, to)', path: ['baselinePeriod'] };
export const SaveMeasuresDraft = commandSchema({ ...submission, values: measureValues }).refine(needsSpan, spanRule);
export const SubmitMeasures = commandSchema({ ...submission, values: measureValues.optional().describe('Values by measure id; left out: the saved draft is submitted') });
export const CorrectBaseline = commandSchema({ ...ids, baselinePeriod: period.optional(), values: measureValues, reason: text(2000) });
export const CorrectMeasures = commandSchema({ ...ids, period: periodKey, values: measureValues, reason: text(2000) });
/** IHI's progress scale for collaboratives: 0.5 (intent) to 5.0 (outstanding sustainable results). */
export const progressScore = z.number().min(0.5).max(5).multipleOf(0.5).describe('IHI progress scale: 0.5, 1.0, ... 5.0');
export const AssessProgress = commandSchema({ ...ids, period: submissionPeriod, coachId: uuid, score: progressScore, comment: text(5000) });
export const RecordCoachingNote = commandSchema({ ...ids, coachId: uuid, coachedOn: isoDate, assistance: text(20000) });
export const CompleteParticipation = commandSchema({ ...ids, completedOn: isoDate });

type D<T extends z.ZodType> = z.infer<T>;
export type ParticipationCommand =
  | { type: 'SubmitApplication'; data: D<typeof SubmitApplication> }
  | { type: 'ScoreApplication'; data: D<typeof ScoreApplication> }
  | { type: 'AdmitAgency'; data: D<typeof AdmitAgency> }
  | { type: 'DeclineApplication'; data: D<typeof DeclineApplication> }
  | { type: 'WithdrawAgency'; data: D<typeof WithdrawAgency> }
  | { type: 'AssignAgencyRole'; data: D<typeof AssignAgencyRole> }
  | { type: 'AssignCoach'; data: D<typeof AssignCoach> }
  | { type: 'AssignPeerMentor'; data: D<typeof AssignPeerMentor> }
  | { type: 'SubmitWalkThrough'; data: D<typeof SubmitWalkThrough> }
  | { type: 'RecordBaseline'; data: D<typeof RecordBaseline> }
  | { type: 'RecordMonthlyMeasures'; data: D<typeof RecordMonthlyMeasures> }
  | { type: 'CorrectMonthlyMeasures'; data: D<typeof CorrectMonthlyMeasures> }
  | { type: 'SaveMeasuresDraft'; data: D<typeof SaveMeasuresDraft> }
  | { type: 'SubmitMeasures'; data: D<typeof SubmitMeasures> }
  | { type: 'CorrectBaseline'; data: D<typeof CorrectBaseline> }
  | { type: 'CorrectMeasures'; data: D<typeof CorrectMeasures> }
  | { type: 'AssessProgress'; data: D<typeof AssessProgress> }
  | { type: 'RecordCoachingNote'; data: D<typeof RecordCoachingNote> }
  | { type: 'CompleteParticipation'; data: D<typeof CompleteParticipation> };
