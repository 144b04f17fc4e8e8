import { z } from 'zod';
import { eventSchema, storedIsoDate as isoDate, storedIsoDateTime as isoDateTime, text, uuid } from '../shared/schemas';
import { planAudiences, planEntryKinds, planTemplateIds } from './templates';

const offset = z.object({ month: z.number().int(), day: z.number().int() }).strict();
const dates = { date: isoDate, startsAt: isoDateTime.optional(), endsOn: isoDate.optional() };
export const planEntry = z
  .object({
    entryId: uuid,
    step: z.string().min(1).max(200),
    kind: z.enum(planEntryKinds),
    title: text(200),
    offset,
    ...dates,
    durationMinutes: z.number().int().min(1).optional(),
    modality: z.enum(['in_person', 'video', 'phone']).optional(),
    audience: z.enum(planAudiences),
    preparation: z.array(text(500)),
    agencyId: uuid.optional(),
    period: z.string().max(10).optional(),
  })
  .strict();
const scope = { collaborativeId: uuid, cohortId: uuid.optional() };

/** The entries are stored as proposed: a later change of the template does not change a proposed plan. */
export const PlanProposed = eventSchema({
  ...scope,
  template: z.enum(planTemplateIds),
  startsOn: isoDate,
  location: text(500),
  callIn: text(500),
  /** The scope's participating agencies when proposed (invited to its meetings by default). */
  agencyIds: z.array(uuid),
  entries: z.array(planEntry),
});
/** An entry adopted: a meeting or visit entry was scheduled (same id) in the same transaction. */
export const PlanEntryAdopted = eventSchema({
  collaborativeId: uuid,
  entryId: uuid,
  ...dates,
  meetingId: uuid.optional(),
  visitId: uuid.optional(),
});
export const PlanEntryMoved = eventSchema({ collaborativeId: uuid, entryId: uuid, previousDate: isoDate, ...dates, reason: text(2000).optional() });
export const PlanEntryDropped = eventSchema({ collaborativeId: uuid, entryId: uuid, reason: text(2000).optional() });
export const PlanRebased = eventSchema({
  ...scope,
  previousStartsOn: isoDate,
  startsOn: isoDate,
  /** The tentative entries' new dates (adopted and dropped entries do not move). */
  moved: z.array(z.object({ entryId: uuid, ...dates, period: z.string().max(10).optional() }).strict()),
});

type D<T extends z.ZodType> = z.infer<T>;
export type PlanEntryRecord = D<typeof planEntry>;
export type PlanEvent =
  | { type: 'PlanProposed'; data: D<typeof PlanProposed> }
  | { type: 'PlanEntryAdopted'; data: D<typeof PlanEntryAdopted> }
  | { type: 'PlanEntryMoved'; data: D<typeof PlanEntryMoved> }
  | { type: 'PlanEntryDropped'; data: D<typeof PlanEntryDropped> }
  | { type: 'PlanRebased'; data: D<typeof PlanRebased> };

const v1 = (schema: z.ZodType) => ({ schema, schemaVersion: 1 });
export const planEvents = {
  PlanProposed: v1(PlanProposed),
  PlanEntryAdopted: v1(PlanEntryAdopted),
  PlanEntryMoved: v1(PlanEntryMoved),
  PlanEntryDropped: v1(PlanEntryDropped),
  PlanRebased: v1(PlanRebased),
};
