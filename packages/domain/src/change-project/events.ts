import { z } from 'zod';
import { measureId } from '../measures/catalogue';
import { eventSchema, storedIsoDate as isoDate, text, uuid } from '../shared/schemas';
import { levelOfCare, pdsaDecision, pdsaStep, teamMember } from './commands';

// agencyId is absent from a system-level project's events (issue 16); every earlier event has it.
const ids = { projectId: uuid, collaborativeId: uuid, agencyId: uuid.optional() };
/** Who runs the project: left out by every agency project (and all events before issue 16). */
export const projectOwner = z.object({ kind: z.enum(['agency', 'system']) }).strict();
export const ChangeProjectStarted = eventSchema({
  ...ids,
  title: text(200),
  aim: text(2000),
  /** v2 (issue 15): a catalogue measure id. */
  measure: measureId,
  baselineValue: z.number().finite(),
  targetValue: z.number().finite(),
  targetDate: isoDate,
  // Optional and additive (issue 16): events stored before it read as before, started when recorded.
  startedOn: isoDate.optional(),
  changeIdea: text(2000),
  customers: text(2000).optional(),
  levelOfCare,
  team: z.array(teamMember).min(1),
  owner: projectOwner.optional(),
});
export const PDSACycleLogged = eventSchema({
  ...ids,
  cycleNumber: z.number().int().min(1),
  beginsOn: isoDate,
  endsOn: isoDate,
  changeTested: text(2000),
  prediction: text(2000),
  steps: z.array(pdsaStep).min(1),
  result: text(5000),
  decision: pdsaDecision,
});
export const ChangeProjectCompleted = eventSchema({ ...ids, actualEndOn: isoDate, lessons: text(5000), impact: text(5000), sustainPlan: text(5000) });
export const ChangeProjectAbandoned = eventSchema({ ...ids, abandonedOn: isoDate, reason: text(2000) });

type D<T extends z.ZodType> = z.infer<T>;
export type ChangeProjectEvent =
  | { type: 'ChangeProjectStarted'; data: D<typeof ChangeProjectStarted> }
  | { type: 'PDSACycleLogged'; data: D<typeof PDSACycleLogged> }
  | { type: 'ChangeProjectCompleted'; data: D<typeof ChangeProjectCompleted> }
  | { type: 'ChangeProjectAbandoned'; data: D<typeof ChangeProjectAbandoned> };

export const changeProjectEvents = {
  ChangeProjectStarted: { schema: ChangeProjectStarted, schemaVersion: 2 },
  PDSACycleLogged: { schema: PDSACycleLogged, schemaVersion: 1 },
  ChangeProjectCompleted: { schema: ChangeProjectCompleted, schemaVersion: 1 },
  ChangeProjectAbandoned: { schema: ChangeProjectAbandoned, schemaVersion: 1 },
};
