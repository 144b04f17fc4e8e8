import { z } from 'zod';
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
export const AssignPeerMentor = commandSchema({ ...ids, mentorAgencyId: uuid });
export const SubmitWalkThrough = commandSchema({ ...ids, walkedThroughOn: isoDate, findings: text(20000) });
export const RecordBaseline = commandSchema({ ...ids, period, counts: measureCounts });
export const RecordMonthlyMeasures = commandSchema({ ...ids, month, counts: measureCounts });
export const CorrectMonthlyMeasures = commandSchema({ ...ids, month, counts: measureCounts, reason: text(2000) });
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
  | { type: 'RecordCoachingNote'; data: D<typeof RecordCoachingNote> }
  | { type: 'CompleteParticipation'; data: D<typeof CompleteParticipation> };
