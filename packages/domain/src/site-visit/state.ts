import type { SiteVisitEvent } from './events';

interface Known {
  visitId: string;
  collaborativeId: string;
  agencyId: string;
  scheduledAt: string;
}
export type SiteVisitState = { status: 'none' } | (Known & { status: 'scheduled' | 'completed' | 'cancelled' });

export const initialSiteVisitState = (): SiteVisitState => ({ status: 'none' });

export const evolveSiteVisit = (state: SiteVisitState, event: SiteVisitEvent): SiteVisitState => {
  const { type, data } = event;
  if (type === 'SiteVisitScheduled')
    return { status: 'scheduled', visitId: data.visitId, collaborativeId: data.collaborativeId, agencyId: data.agencyId, scheduledAt: data.scheduledAt };
  if (state.status === 'none') return state;
  switch (type) {
    case 'SiteVisitRescheduled':
      return { ...state, scheduledAt: data.scheduledAt };
    case 'SiteVisitCancelled':
      return { ...state, status: 'cancelled' };
    case 'SiteVisitCompleted':
      return { ...state, status: 'completed' };
    default:
      return state;
  }
};
