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

type Open = Known & { status: 'active' | 'closed' };
type ListKey = 'catalogue' | 'chartPhases' | 'coaches' | 'staff' | 'expenditures' | 'voided';

/**
 * The state a fold builds. The state it starts from is never changed (the state cache shares it
 * with commands in flight); the first write copies it, and each list or map the events grow is
 * copied once per fold, then grown in place: folding n events costs O(n), not O(n²) (issue 13: a
 * cold fold of 20,000 enrolments and expenditures took 17 s, each event copying the lists).
 */
class Draft {
  private copy: Open | null = null;
  private readonly own = new Set<string>();
  constructor(private readonly base: Open) {}
  get state(): Open {
    return this.copy ?? this.base;
  }
  private write(): Open {
    return (this.copy ??= { ...this.base });
  }
  /** A field replaced by a value this fold made. */
  set<K extends keyof Open>(key: K, value: Open[K]): void {
    this.write()[key] = value;
    this.own.add(key);
  }
  list<K extends ListKey>(key: K): Open[K] {
    const s = this.write();
    if (!this.own.has(key)) this.set(key, [...s[key]] as Open[K]);
    return s[key];
  }
  enrolment(): Record<string, string> {
    const s = this.write();
    if (!this.own.has('enrolment')) this.set('enrolment', { ...s.enrolment });
    return s.enrolment;
  }
  cohorts(): Record<string, Cohort> {
    const s = this.write();
    if (!this.own.has('cohorts')) this.set('cohorts', { ...s.cohorts });
    return s.cohorts;
  }
  /** A cohort this fold made: its members grow in place. */
  openCohort(cohort: Cohort): void {
    this.cohorts()[cohort.cohortId] = cohort;
    this.own.add(`cohort:${cohort.cohortId}`);
  }
  cohort(cohortId: string): Cohort | undefined {
    const cohorts = this.cohorts();
    const cohort = cohorts[cohortId];
    if (!cohort || this.own.has(`cohort:${cohortId}`)) return cohort;
    this.own.add(`cohort:${cohortId}`);
    return (cohorts[cohortId] = { ...cohort, members: [...cohort.members] });
  }
}

const launched = (data: Extract<CollaborativeEvent, { type: 'CollaborativeLaunched' }>['data']): Open => ({
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
});

const apply = (d: Draft, event: CollaborativeEvent): void => {
  const { type, data } = event;
  switch (type) {
    case 'SystemRoleAppointed': {
      const held = `${data.role}|${data.person.personId}`;
      if (!d.state.staff.includes(held)) d.list('staff').push(held);
      if (data.role === 'coach' && !d.state.coaches.includes(data.person.personId)) d.list('coaches').push(data.person.personId);
      return;
    }
    case 'SystemRoleRemoved':
      d.set('staff', d.state.staff.filter((h) => h !== `${data.role}|${data.personId}`));
      if (data.role === 'coach') d.set('coaches', d.state.coaches.filter((c) => c !== data.personId));
      return;
    case 'CollaborativeDatesCorrected':
      d.set('startsOn', data.startsOn);
      d.set('endsOn', data.endsOn);
      return;
    case 'ExpenditureVoided':
      d.list('voided').push(data.expenditureId);
      return;
    case 'CohortOpened':
      d.openCohort({ cohortId: data.cohortId, sequence: data.sequence, startsOn: data.startsOn, capacity: data.capacity, members: [] });
      return;
    case 'AgencyEnrolledInCohort': {
      const cohort = d.cohort(data.cohortId);
      if (!cohort) return;
      cohort.members.push(data.agencyId);
      d.enrolment()[data.agencyId] = data.cohortId;
      return;
    }
    case 'ExpenditureRecorded':
      d.list('expenditures').push(data.expenditureId);
      return;
    case 'MeasureDefined':
      d.list('catalogue').push(data.measure);
      return;
    case 'ChartPhaseStarted':
      if (!d.state.chartPhases) d.set('chartPhases', []);
      d.list('chartPhases').push(`${data.measureId}/${data.startsWith}`);
      return;
    case 'MeasureRetired':
      d.set('catalogue', d.state.catalogue.map((m) => (m.id === data.measureId ? { ...m, retired: true } : m)));
      return;
    case 'CollaborativeClosed':
      d.set('status', 'closed');
      return;
    default:
      return;
  }
};

/** The state after `events` (see Draft); `state` itself is left as it was. */
export const foldCollaborative = (state: CollaborativeState, events: readonly CollaborativeEvent[]): CollaborativeState => {
  let draft: Draft | null = state.status === 'none' ? null : new Draft(state);
  for (const event of events) {
    if (event.type === 'CollaborativeLaunched') draft = new Draft(launched(event.data));
    else if (draft) apply(draft, event);
  }
  return draft ? draft.state : state;
};

export const evolveCollaborative = (state: CollaborativeState, event: CollaborativeEvent): CollaborativeState => foldCollaborative(state, [event]);
