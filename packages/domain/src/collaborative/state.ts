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
  /** System roles held, as `role|personId` (issue 16: a removal names a holder). */
  staff: string[];
  expenditures: string[];
  /** Expenditures voided (issue 16): neither corrected nor voided again. */
  voided: string[];
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
      staff: [],
      expenditures: [],
      voided: [],
    };
  if (state.status === 'none') return state;
  switch (type) {
    case 'SystemRoleAppointed': {
      const held = `${data.role}|${data.person.personId}`;
      const staff = state.staff.includes(held) ? state.staff : [...state.staff, held];
      return data.role === 'coach' && !state.coaches.includes(data.person.personId)
        ? { ...state, staff, coaches: [...state.coaches, data.person.personId] }
        : { ...state, staff };
    }
    case 'SystemRoleRemoved':
      return {
        ...state,
        staff: state.staff.filter((h) => h !== `${data.role}|${data.personId}`),
        coaches: data.role === 'coach' ? state.coaches.filter((c) => c !== data.personId) : state.coaches,
      };
    case 'CollaborativeDatesCorrected':
      return { ...state, startsOn: data.startsOn, endsOn: data.endsOn };
    case 'ExpenditureVoided':
      return { ...state, voided: [...state.voided, data.expenditureId] };
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
