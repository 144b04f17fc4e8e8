import { streamIds } from '../shared/ids';
import type { AggregateDefinition, ContextRef } from '../shared/types';
import * as c from './commands';
import type { SiteVisitCommand } from './commands';
import { decideSiteVisit, type SiteVisitContext } from './decide';
import { siteVisitEvents, type SiteVisitEvent } from './events';
import { evolveSiteVisit, initialSiteVisitState, type SiteVisitState } from './state';

const target = (d: { visitId: string }) => streamIds.siteVisit(d.visitId);
const collab = (collaborativeId: string): ContextRef => ({ key: 'collaborative', aggregate: 'collaborative', streamId: streamIds.collaborative(collaborativeId) });
const fromState = (_: unknown, s: SiteVisitState): ContextRef[] => (s.status === 'none' ? [] : [collab(s.collaborativeId)]);

export const siteVisit: AggregateDefinition<SiteVisitState, SiteVisitCommand, SiteVisitEvent, SiteVisitContext> = {
  name: 'sitevisit',
  initialState: initialSiteVisitState,
  evolve: evolveSiteVisit,
  decide: decideSiteVisit,
  commands: {
    ScheduleSiteVisit: {
      schema: c.ScheduleSiteVisit,
      operationId: 'scheduleSiteVisit',
      description: 'A coach schedules a site visit to an agency',
      streamId: target,
      context: (d) => [
        collab(d.collaborativeId),
        { key: 'participation', aggregate: 'participation', streamId: streamIds.participation(d.collaborativeId, d.agencyId) },
      ],
    },
    RecordHeldSiteVisit: {
      schema: c.RecordHeldSiteVisit,
      operationId: 'recordHeldSiteVisit',
      description: 'Record a site visit that already took place, with its summary report',
      streamId: target,
      context: (d) => [
        collab(d.collaborativeId),
        { key: 'participation', aggregate: 'participation', streamId: streamIds.participation(d.collaborativeId, d.agencyId) },
      ],
    },
    RescheduleSiteVisit: { schema: c.RescheduleSiteVisit, operationId: 'rescheduleSiteVisit', description: 'Move a scheduled site visit', streamId: target, context: fromState },
    CancelSiteVisit: { schema: c.CancelSiteVisit, operationId: 'cancelSiteVisit', description: 'Cancel a scheduled site visit', streamId: target, context: fromState },
    CompleteSiteVisit: { schema: c.CompleteSiteVisit, operationId: 'completeSiteVisit', description: 'Complete a site visit with its summary report', streamId: target, context: fromState },
  },
  events: siteVisitEvents,
};

export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
