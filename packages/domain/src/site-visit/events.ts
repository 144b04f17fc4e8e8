import { z } from 'zod';
import { eventSchema, storedIsoDate as isoDate, storedIsoDateTime as isoDateTime, text, uuid } from '../shared/schemas';

const ids = { visitId: uuid, collaborativeId: uuid, agencyId: uuid };
export const SiteVisitScheduled = eventSchema({ ...ids, coachId: uuid, scheduledAt: isoDateTime, agenda: text(5000) });
export const SiteVisitRescheduled = eventSchema({ ...ids, previousScheduledAt: isoDateTime, scheduledAt: isoDateTime, reason: text(2000).optional() });
export const SiteVisitCancelled = eventSchema({ ...ids, reason: text(2000) });
export const SiteVisitCompleted = eventSchema({ ...ids, completedOn: isoDate, summary: text(20000) });

type D<T extends z.ZodType> = z.infer<T>;
export type SiteVisitEvent =
  | { type: 'SiteVisitScheduled'; data: D<typeof SiteVisitScheduled> }
  | { type: 'SiteVisitRescheduled'; data: D<typeof SiteVisitRescheduled> }
  | { type: 'SiteVisitCancelled'; data: D<typeof SiteVisitCancelled> }
  | { type: 'SiteVisitCompleted'; data: D<typeof SiteVisitCompleted> };

export const siteVisitEvents = {
  SiteVisitScheduled: { schema: SiteVisitScheduled, schemaVersion: 1 },
  SiteVisitRescheduled: { schema: SiteVisitRescheduled, schemaVersion: 1 },
  SiteVisitCancelled: { schema: SiteVisitCancelled, schemaVersion: 1 },
  SiteVisitCompleted: { schema: SiteVisitCompleted, schemaVersion: 1 },
};
