import { z } from 'zod';
import { commandSchema, isoDate, isoDateTime, text, uuid } from '../shared/schemas';
import { planTemplateIds } from './templates';

export const planTemplate = z.enum(planTemplateIds);
const scope = { collaborativeId: uuid, cohortId: uuid.optional().describe('The cohort the plan is for; absent: the collaborative itself') };
const entry = { collaborativeId: uuid, entryId: uuid };

/** Proposes the template's entries (tentative) for the collaborative or one of its cohorts. */
export const ProposePlan = commandSchema({
  ...scope,
  template: planTemplate,
  startsOn: isoDate.optional().describe("The plan's first day; default the cohort's (or the collaborative's) start"),
  location: text(500).describe('Where the in-person meetings take place (kick-off, Change Leader meeting, completion conference)'),
  callIn: text(500).describe('Call-in details of the video meetings'),
});
/** Adopts every tentative entry of the scope: meetings and visits are scheduled. */
export const AdoptPlan = commandSchema({ ...scope });
export const AdoptPlanEntry = commandSchema({
  ...entry,
  invitedAgencyIds: z.array(uuid).max(500).refine((a) => new Set(a).size === a.length, { message: 'agencies must be unique' }).optional()
    .describe("Meetings: the agencies invited; default the plan scope's participating agencies"),
  coachId: uuid.optional().describe("Site visits: the visiting coach; default the agency's assigned coach"),
});
export const MovePlanEntry = commandSchema({
  ...entry,
  startsAt: isoDateTime.optional().describe('Meetings and visits: the new start'),
  date: isoDate.optional().describe('Deadlines and windows: the new (first) day'),
  reason: text(2000).optional(),
});
export const DropPlanEntry = commandSchema({ ...entry, reason: text(2000).optional() });
/** Moves the scope's start: tentative entries move with it, adopted ones stay where they were scheduled. */
export const RebasePlan = commandSchema({ ...scope, startsOn: isoDate });

type D<T extends z.ZodType> = z.infer<T>;
export type PlanCommand =
  | { type: 'ProposePlan'; data: D<typeof ProposePlan> }
  | { type: 'AdoptPlan'; data: D<typeof AdoptPlan> }
  | { type: 'AdoptPlanEntry'; data: D<typeof AdoptPlanEntry> }
  | { type: 'MovePlanEntry'; data: D<typeof MovePlanEntry> }
  | { type: 'DropPlanEntry'; data: D<typeof DropPlanEntry> }
  | { type: 'RebasePlan'; data: D<typeof RebasePlan> };
