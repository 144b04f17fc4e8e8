import type { PlanEntryRecord, PlanEvent } from './events';
import type { PlanTemplateId } from './templates';

export type PlanEntryStatus = 'tentative' | 'adopted' | 'dropped';
export interface PlanEntryState extends PlanEntryRecord {
  status: PlanEntryStatus;
  /** The scope's key: a cohort id, or `collaborative`. */
  scope: string;
  /** Moved by hand: a new start shifts it by the same number of days instead of re-reading the template. */
  moved: boolean;
}
export interface PlanScope {
  scope: string;
  cohortId?: string;
  template: PlanTemplateId;
  startsOn: string;
  location: string;
  callIn: string;
  agencyIds: string[];
}
export type PlanState =
  | { status: 'none' }
  | { status: 'proposed'; collaborativeId: string; scopes: Record<string, PlanScope>; entries: Record<string, PlanEntryState> };

export const initialPlanState = (): PlanState => ({ status: 'none' });

const withEntry = (state: Extract<PlanState, { status: 'proposed' }>, entryId: string, change: (e: PlanEntryState) => PlanEntryState): PlanState => {
  const e = state.entries[entryId];
  return e ? { ...state, entries: { ...state.entries, [entryId]: change(e) } } : state;
};
const dates = (d: { date: string; startsAt?: string | undefined; endsOn?: string | undefined }) => ({
  date: d.date,
  ...(d.startsAt ? { startsAt: d.startsAt } : {}),
  ...(d.endsOn ? { endsOn: d.endsOn } : {}),
});

export const evolvePlan = (state: PlanState, event: PlanEvent): PlanState => {
  const { type, data } = event;
  if (type === 'PlanProposed') {
    const scope = data.cohortId ?? 'collaborative';
    const base = state.status === 'proposed' ? state : { status: 'proposed' as const, collaborativeId: data.collaborativeId, scopes: {}, entries: {} };
    const entries = { ...base.entries };
    for (const e of data.entries) entries[e.entryId] = { ...e, status: 'tentative', scope, moved: false };
    const { collaborativeId: _c, entries: _e, ...rest } = data;
    return { ...base, scopes: { ...base.scopes, [scope]: { scope, ...rest } }, entries };
  }
  if (state.status === 'none') return state;
  switch (type) {
    case 'PlanEntryAdopted':
      return withEntry(state, data.entryId, (e) => ({ ...e, status: 'adopted' }));
    case 'PlanEntryMoved':
      return withEntry(state, data.entryId, (e) => {
        const { startsAt: _s, endsOn: _e, ...rest } = e;
        return { ...rest, ...dates({ ...data, endsOn: data.endsOn }), moved: true };
      });
    case 'PlanEntryDropped':
      return withEntry(state, data.entryId, (e) => ({ ...e, status: 'dropped' }));
    case 'PlanRebased': {
      const scope = data.cohortId ?? 'collaborative';
      const current = state.scopes[scope];
      let next: PlanState = current ? { ...state, scopes: { ...state.scopes, [scope]: { ...current, startsOn: data.startsOn } } } : state;
      for (const m of data.moved)
        next = withEntry(next as Extract<PlanState, { status: 'proposed' }>, m.entryId, (e) => {
          const { startsAt: _s, endsOn: _e, ...rest } = e;
          return { ...rest, ...dates(m), ...(m.period ? { period: m.period } : {}) };
        });
      return next;
    }
    default:
      return state;
  }
};
