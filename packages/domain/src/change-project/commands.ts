import { z } from 'zod';
import { measureId } from '../measures/catalogue';
import { MAX_MEASURE_VALUE, MAX_PDSA_CYCLE } from '../shared/bounds';
import { commandSchema, isoDate, text, uuid } from '../shared/schemas';

export const pdsaDecision = z.enum(['adopt', 'adapt', 'abandon']);
export const levelOfCare = z.enum(['outpatient', 'intensive_outpatient', 'residential', 'detoxification', 'opioid_treatment', 'other']);
export const teamMember = z.object({ name: text(200), role: text(200) }).strict();
export const pdsaStep = z.object({ step: text(2000), who: text(200) }).strict();

const projectFields = {
  projectId: uuid,
  collaborativeId: uuid,
  title: text(200),
  aim: text(2000),
  /** The SMART aim's measure: an id of the collaborative's catalogue (`continuation` reads as continuation_30). */
  measure: measureId,
  baselineValue: z.number().min(-MAX_MEASURE_VALUE).max(MAX_MEASURE_VALUE),
  targetValue: z.number().min(-MAX_MEASURE_VALUE).max(MAX_MEASURE_VALUE),
  targetDate: isoDate,
  /** When the project began (issue 16: a project already running is recorded after the fact); today if absent. */
  startedOn: isoDate.optional(),
  changeIdea: text(2000),
  customers: text(2000).optional(),
  levelOfCare,
  team: z.array(teamMember).min(1).max(30),
};
export const StartChangeProject = commandSchema({ ...projectFields, agencyId: uuid });
/** Issue 16: a project of the collaborative's system-level Change Team on the payer's own processes (no agency). */
export const StartSystemChangeProject = commandSchema(projectFields);

export const LogPDSACycle = commandSchema({
  projectId: uuid,
  cycleNumber: z.number().int().min(1).max(MAX_PDSA_CYCLE),
  beginsOn: isoDate,
  endsOn: isoDate,
  changeTested: text(2000),
  prediction: text(2000),
  steps: z.array(pdsaStep).min(1).max(50),
  result: text(5000),
  decision: pdsaDecision,
}).refine((c) => c.beginsOn <= c.endsOn, { message: 'endsOn must not be before beginsOn', path: ['endsOn'] });

export const CompleteChangeProject = commandSchema({
  projectId: uuid,
  actualEndOn: isoDate,
  lessons: text(5000),
  impact: text(5000),
  sustainPlan: text(5000),
});

export const AbandonChangeProject = commandSchema({ projectId: uuid, abandonedOn: isoDate, reason: text(2000) });

type D<T extends z.ZodType> = z.infer<T>;
export type ChangeProjectCommand =
  | { type: 'StartChangeProject'; data: D<typeof StartChangeProject> }
  | { type: 'StartSystemChangeProject'; data: D<typeof StartSystemChangeProject> }
  | { type: 'LogPDSACycle'; data: D<typeof LogPDSACycle> }
  | { type: 'CompleteChangeProject'; data: D<typeof CompleteChangeProject> }
  | { type: 'AbandonChangeProject'; data: D<typeof AbandonChangeProject> };
