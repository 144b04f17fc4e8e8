import type { MeasureValues } from '../measures/values';
import type { Period } from '../shared/schemas';
import type { ParticipationEvent } from './events';

interface Ids {
  collaborativeId: string;
  agencyId: string;
}
interface Enrolled extends Ids {
  cohortId: string;
  coachId: string | null;
  peerMentorId: string | null;
  walkThroughSubmitted: boolean;
  baseline: Period | null;
  /** Reporting periods submitted (months YYYY-MM and quarters YYYY-Qn). */
  months: string[];
  /** Saved drafts by period (`baseline` or a period key), until submitted. */
  drafts: Record<string, { values: MeasureValues; baselinePeriod?: Period }>;
}

export type ParticipationState =
  | { status: 'none' }
  | (Ids & { status: 'applied'; reviewers: string[] })
  | (Ids & { status: 'declined' })
  | (Enrolled & { status: 'admitted' | 'withdrawn' | 'completed' });

export type AdmittedParticipation = Extract<ParticipationState, { status: 'admitted' | 'withdrawn' | 'completed' }>;

const without = <T>(r: Record<string, T>, key: string): Record<string, T> => Object.fromEntries(Object.entries(r).filter(([k]) => k !== key));

export const initialParticipationState = (): ParticipationState => ({ status: 'none' });

export const evolveParticipation = (state: ParticipationState, event: ParticipationEvent): ParticipationState => {
  const { type, data } = event;
  switch (type) {
    case 'ApplicationSubmitted':
      return { status: 'applied', collaborativeId: data.collaborativeId, agencyId: data.agencyId, reviewers: [] };
    case 'ApplicationScored':
      return state.status === 'applied' ? { ...state, reviewers: [...state.reviewers, data.reviewerId] } : state;
    case 'ApplicationDeclined':
      return { status: 'declined', collaborativeId: data.collaborativeId, agencyId: data.agencyId };
    case 'AgencyAdmitted':
      return {
        status: 'admitted',
        collaborativeId: data.collaborativeId,
        agencyId: data.agencyId,
        cohortId: data.cohortId,
        coachId: null,
        peerMentorId: null,
        walkThroughSubmitted: false,
        baseline: null,
        months: [],
        drafts: {},
      };
  }
  if (state.status !== 'admitted' && state.status !== 'withdrawn' && state.status !== 'completed') return state;
  switch (type) {
    case 'AgencyWithdrawn':
      return { ...state, status: 'withdrawn' };
    case 'ParticipationCompleted':
      return { ...state, status: 'completed' };
    case 'CoachAssigned':
      return { ...state, coachId: data.coachId };
    case 'PeerMentorAssigned':
      return { ...state, peerMentorId: data.mentorAgencyId };
    case 'WalkThroughSubmitted':
      return { ...state, walkThroughSubmitted: true };
    case 'BaselineRecorded':
      return { ...state, baseline: data.period, drafts: without(state.drafts, 'baseline') };
    case 'BaselineCorrected':
      return { ...state, baseline: data.period };
    case 'MonthlyMeasuresRecorded':
      return { ...state, months: [...state.months, data.month], drafts: without(state.drafts, data.month) };
    case 'MeasuresSubmitted':
      return { ...state, months: [...state.months, data.period], drafts: without(state.drafts, data.period) };
    case 'MeasuresDraftSaved':
      return { ...state, drafts: { ...state.drafts, [data.period]: { values: data.values, ...(data.baselinePeriod ? { baselinePeriod: data.baselinePeriod } : {}) } } };
    default:
      return state;
  }
};
