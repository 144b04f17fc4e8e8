import type { ChangeProjectEvent } from './events';

interface Known {
  projectId: string;
  collaborativeId: string;
  /** Null for a system-level project (issue 16). */
  agencyId: string | null;
  cycles: number;
  lastDecision: 'adopt' | 'adapt' | 'abandon' | null;
  lastCycleEndsOn: string | null;
  /** The last cycle's first day: the next cycle does not begin before it. */
  lastCycleBeginsOn: string | null;
}
export type ChangeProjectState = { status: 'none' } | (Known & { status: 'active' | 'completed' | 'abandoned' });

export const initialChangeProjectState = (): ChangeProjectState => ({ status: 'none' });

export const evolveChangeProject = (state: ChangeProjectState, event: ChangeProjectEvent): ChangeProjectState => {
  const { type, data } = event;
  if (type === 'ChangeProjectStarted')
    return {
      status: 'active',
      projectId: data.projectId,
      collaborativeId: data.collaborativeId,
      agencyId: data.agencyId ?? null,
      cycles: 0,
      lastDecision: null,
      lastCycleEndsOn: null,
      lastCycleBeginsOn: null,
    };
  if (state.status === 'none') return state;
  switch (type) {
    case 'PDSACycleLogged':
      return { ...state, cycles: data.cycleNumber, lastDecision: data.decision, lastCycleEndsOn: data.endsOn, lastCycleBeginsOn: data.beginsOn };
    case 'ChangeProjectCompleted':
      return { ...state, status: 'completed' };
    case 'ChangeProjectAbandoned':
      return { ...state, status: 'abandoned' };
    default:
      return state;
  }
};
