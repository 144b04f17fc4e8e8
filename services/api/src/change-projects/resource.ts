// The change-project resource: one shape for its GET, the collaborative's list and the agency detail.
import { z } from 'zod';

const nullableString = z.string().nullable();
const ChangeProjectFields = z
  .object({
    projectId: z.string(), collaborativeId: z.string(),
    agencyId: nullableString.describe("null for a project of the collaborative's system-level Change Team"),
    owner: z.enum(['agency', 'system']).describe("Issue 16: an agency's project, or the system-level Change Team's (the payer's own processes)"),
    title: z.string(), aim: z.string(), measure: z.string(),
    baselineValue: z.number(), targetValue: z.number(), targetDate: z.string(), changeIdea: z.string(), levelOfCare: z.string(),
    status: z.enum(['active', 'completed', 'abandoned']), startedAt: z.string(), cycles: z.number().int(), lastDecision: nullableString, endedOn: nullableString,
    lessons: nullableString, impact: nullableString, sustainPlan: nullableString, abandonReason: nullableString,
  });

export const PdsaCycleSchema = z
  .object({
    cycleNumber: z.number().int(), beginsOn: z.string(), endsOn: z.string(), changeTested: z.string(), prediction: z.string(),
    steps: z.array(z.object({ step: z.string(), who: z.string() })), result: z.string(), decision: z.string(), loggedAt: z.string(),
  })
  .meta({ id: 'PdsaCycle' });

export const ChangeProjectSchema = ChangeProjectFields.extend({
  customers: nullableString,
  team: z.array(z.object({ name: z.string(), role: z.string() })).describe('Names are personal data'),
  timeline: z.array(PdsaCycleSchema).describe('PDSA cycles in order'),
}).meta({
  id: 'ChangeProject',
  description: 'A change project: SMART aim, team and its PDSA cycles (plan, do, study, act).',
  examples: [{
    projectId: '0190f5c2-7a00-7000-8000-000000000301', collaborativeId: '0190f5c2-7a00-7000-8000-000000000001', agencyId: '0190f5c2-7a00-7000-8000-000000001000', owner: 'agency',
    title: 'Same-day intake', aim: 'Cut intake no-shows from 30% to 15% by June', measure: 'intake_no_show', baselineValue: 0.3, targetValue: 0.15,
    targetDate: '2025-06-30', changeIdea: 'Offer an intake appointment on the day of the first call', levelOfCare: 'outpatient', status: 'active',
    startedAt: '2025-02-03T15:00:00.000Z', cycles: 1, lastDecision: 'adapt', endedOn: null, lessons: null, impact: null, sustainPlan: null, abandonReason: null,
    customers: 'Adults calling for outpatient care', team: [{ name: 'Dana Ortiz', role: 'Change leader' }],
    timeline: [{
      cycleNumber: 1, beginsOn: '2025-02-10', endsOn: '2025-02-21', changeTested: 'Same-day slots on Mondays', prediction: 'No-shows halve on Mondays',
      steps: [{ step: 'Hold two slots open', who: 'Dana Ortiz' }], result: 'Monday no-shows 18%', decision: 'adapt', loggedAt: '2025-02-24T10:00:00.000Z',
    }],
  }],
});
