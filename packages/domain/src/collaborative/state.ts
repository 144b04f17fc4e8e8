import type { CatalogueEntry } from '../measures/catalogue';
import type { CollaborativeEvent } from './events';

export interface Cohort {
  cohortId: string;
  sequence: number;
  startsOn: string;
  capacity: number;
  members: string[];
}

interface Known {
  collaborativeId: string;
  /** The convener's organisation name: peer mentors come from collaboratives of the same convener (issue 16). */
  convener: string;
  startsOn: string;
  endsOn: string;
  focusMeasures: string[];
  /** The measure catalogue (issue 15). */
  catalogue: CatalogueEntry[];
  /** Chart phases started, as `measureId/startsWith`. */
  chartPhases: string[];
  cohorts: Record<string, Cohort>;
  /** agencyId -> cohortId */
  enrolment: Record<string, string>;
  coaches: string[];
  expenditures: string[];
}

export type CollaborativeState = { status: 'none' } | (Known & { status: 'active' }) | (Known & { status: 'closed' });
export type OpenCollaborative = Extract<CollaborativeState, { status: 'active' }>;

export const initialCollaborativeState = (): CollaborativeState => ({ status: 'none' });

export const evolveCollaborative = (state: CollaborativeState, event: CollaborativeEvent): CollaborativeState => {
  const { type, data } = event;
  if (type === 'CollaborativeLaunched')
    return {
      status: 'active',
      collaborativeId: data.collaborativeId,
      convener: data.convener.organizationName,
      startsOn: data.startsOn,
      endsOn: data.endsOn,
      focusMeasures: data.focusMeasures,
      catalogue: data.catalogue,
      chartPhases: [],
      cohorts: {},
      enrolment: {},
      coaches: [],
      expenditures: [],
    };
  if (state.status === 'none') return state;
  switch (type) {
    case 'SystemRoleAppointed':
      return data.role === 'coach' && !state.coaches.includes(data.person.personId)
        ? { ...state, coaches: [...state.coaches, data.person.personId] }
        : state;
    case 'CohortOpened':
      return {
        ...state,
        cohorts: {
          ...state.cohorts,
          [data.cohortId]: { cohortId: data.cohortId, sequence: data.sequence, startsOn: data.startsOn, capacity: data.capacity, members: [] },
        },
      };
    case 'AgencyEnrolledInCohort': {
      const cohort = state.cohorts[data.cohortId];
      if (!cohort) return state;
      return {
        ...state,
        cohorts: { ...state.cohorts, [data.cohortId]: { ...cohort, members: [...cohort.members, data.agencyId] } },
        enrolment: { ...state.enrolment, [data.agencyId]: data.cohortId },
      };
    }
    case 'ExpenditureRecorded':
      return { ...state, expenditures: [...state.expenditures, data.expenditureId] };
    case 'MeasureDefined':
      return { ...state, catalogue: [...state.catalogue, data.measure] };
    case 'ChartPhaseStarted':
      return { ...state, chartPhases: [...(state.chartPhases ?? []), `${data.measureId}/${data.startsWith}`] };
    case 'MeasureRetired':
      return { ...state, catalogue: state.catalogue.map((m) => (m.id === data.measureId ? { ...m, retired: true } : m)) };
    case 'CollaborativeClosed':
      return { ...state, status: 'closed' };
    default:
      return state;
  }
};
