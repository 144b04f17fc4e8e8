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
  /** Reviewers who scored the application (kept after the decision: a score can still be corrected). */
  reviewers: string[];
  /** Agency roles held, as `role|personId` (issue 16: a removal names a holder). */
  roles: string[];
  /** Projects started for the agency since issue 16 (older ones are found by the completion's lookup). */
  projects: string[];
}

export type ParticipationState =
  | { status: 'none' }
  | (Ids & { status: 'applied'; reviewers: string[] })
  | (Ids & { status: 'declined'; reviewers: string[] })
  | (Enrolled & { status: 'admitted' | 'withdrawn' | 'completed' });

export type AdmittedParticipation = Extract<ParticipationState, { status: 'admitted' | 'withdrawn' | 'completed' }>;

const without = <T>(r: Record<string, T>, key: string): Record<string, T> => Object.fromEntries(Object.entries(r).filter(([k]) => k !== key));

const reviewersOf = (s: ParticipationState): string[] => ('reviewers' in s ? s.reviewers : []);
/** Sponsor and change leader are one per agency: a new one replaces the holder. */
const singleRoles = ['executive_sponsor', 'change_leader'];

export const initialParticipationState = (): ParticipationState => ({ status: 'none' });

export const evolveParticipation = (state: ParticipationState, event: ParticipationEvent): ParticipationState => {
  const { type, data } = event;
  switch (type) {
    case 'ApplicationSubmitted':
      return { status: 'applied', collaborativeId: data.collaborativeId, agencyId: data.agencyId, reviewers: [] };
    case 'ApplicationScored':
      return state.status === 'applied' ? { ...state, reviewers: [...state.reviewers, data.reviewerId] } : state;
    case 'ApplicationDeclined':
      return { status: 'declined', collaborativeId: data.collaborativeId, agencyId: data.agencyId, reviewers: reviewersOf(state) };
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
        reviewers: reviewersOf(state),
        roles: [],
        projects: [],
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
    case 'AgencyRoleAssigned': {
      const roles = state.roles ?? [];
      const kept = singleRoles.includes(data.role) ? roles.filter((r) => !r.startsWith(`${data.role}|`)) : roles;
      const held = `${data.role}|${data.person.personId}`;
      return { ...state, roles: kept.includes(held) ? kept : [...kept, held] };
    }
    case 'AgencyRoleRemoved':
      return { ...state, roles: (state.roles ?? []).filter((r) => r !== `${data.role}|${data.personId}`) };
    case 'BaselinePeriodCorrected':
      return { ...state, baseline: data.period };
    case 'AgencyChangeProjectOpened':
      return { ...state, projects: [...(state.projects ?? []), data.projectId] };
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
