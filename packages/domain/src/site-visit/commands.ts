import { z } from 'zod';
import { commandSchema, isoDate, isoDateTime, text, uuid } from '../shared/schemas';

export const ScheduleSiteVisit = commandSchema({
  visitId: uuid,
  collaborativeId: uuid,
  agencyId: uuid,
  coachId: uuid,
  scheduledAt: isoDateTime,
  agenda: text(5000),
});
/** A visit that already took place, recorded with its summary report: `heldAt` is when it began. */
export const RecordHeldSiteVisit = commandSchema({
  visitId: uuid,
  collaborativeId: uuid,
  agencyId: uuid,
  coachId: uuid,
  heldAt: isoDateTime,
  agenda: text(5000),
  completedOn: isoDate,
  summary: text(20000),
});
export const RescheduleSiteVisit = commandSchema({ visitId: uuid, scheduledAt: isoDateTime, reason: text(2000).optional() });
export const CancelSiteVisit = commandSchema({ visitId: uuid, reason: text(2000) });
export const CompleteSiteVisit = commandSchema({ visitId: uuid, completedOn: isoDate, summary: text(20000) });

type D<T extends z.ZodType> = z.infer<T>;
export type SiteVisitCommand =
  | { type: 'ScheduleSiteVisit'; data: D<typeof ScheduleSiteVisit> }
  | { type: 'RecordHeldSiteVisit'; data: D<typeof RecordHeldSiteVisit> }
  | { type: 'RescheduleSiteVisit'; data: D<typeof RescheduleSiteVisit> }
  | { type: 'CancelSiteVisit'; data: D<typeof CancelSiteVisit> }
  | { type: 'CompleteSiteVisit'; data: D<typeof CompleteSiteVisit> };
