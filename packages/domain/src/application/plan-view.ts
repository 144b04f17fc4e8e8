// The states a plan read needs, folded from their streams: the plan, its collaborative and the
// participations of the collaborative's agencies. The API's plan read and the worker's
// late-against-plan reminder both read through here and judge with `lateAgainstPlan`.
import type { CollaborativeState } from '../collaborative/state';
import type { ParticipationState } from '../participation/state';
import { lateAgainstPlan, type LateItem } from '../plan/lateness';
import type { PlanState } from '../plan/state';
import { streamIds } from '../shared/ids';
import { loadCached } from './execute';
import type { EventStorePort } from './port';
import type { StreamStateCache } from './stream-cache';

export interface PlanView {
  plan: PlanState;
  /** The plan stream's version (0: no plan). */
  version: number;
  collaborative: CollaborativeState;
  participations: Record<string, ParticipationState>;
  late: LateItem[];
}

/** Every state read current (a cache only saves re-reading the events it has folded). */
export async function loadPlanView(port: EventStorePort, collaborativeId: string, now: string, cache: StreamStateCache | false = false): Promise<PlanView> {
  const [plan, collab] = await Promise.all([
    loadCached(port, cache, 'plan', streamIds.plan(collaborativeId), true),
    loadCached(port, cache, 'collaborative', streamIds.collaborative(collaborativeId), true),
  ]);
  const collaborative = collab.state as CollaborativeState;
  const agencies = collaborative.status === 'none' ? [] : Object.keys(collaborative.enrolment);
  const loaded = await Promise.all(agencies.map((a) => loadCached(port, cache, 'participation', streamIds.participation(collaborativeId, a), true)));
  const participations = Object.fromEntries(agencies.map((a, i) => [a, loaded[i]!.state as ParticipationState]));
  const state = plan.state as PlanState;
  return { plan: state, version: plan.version, collaborative, participations, late: lateAgainstPlan(state, collaborative, participations, now) };
}
