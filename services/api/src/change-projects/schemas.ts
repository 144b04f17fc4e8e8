// Change-project read schemas (shared with the agency detail).
import { z } from 'zod';
import { nullableString } from '../http/read-routes';

export const ChangeProjectSchema = z
  .object({
    projectId: z.string(), collaborativeId: z.string(), agencyId: z.string(), title: z.string(), aim: z.string(), measure: z.string(),
    baselineValue: z.number(), targetValue: z.number(), targetDate: z.string(), changeIdea: z.string(), levelOfCare: z.string(),
    status: z.string(), startedAt: z.string(), cycles: z.number().int(), lastDecision: nullableString, endedOn: nullableString,
    lessons: nullableString, impact: nullableString, sustainPlan: nullableString, abandonReason: nullableString,
  })
  .meta({ id: 'ChangeProjectView' });
export const TimelineSchema = ChangeProjectSchema.extend({
  timeline: z.array(z.object({
    cycleNumber: z.number().int(), beginsOn: z.string(), endsOn: z.string(), changeTested: z.string(), prediction: z.string(),
    steps: z.array(z.object({ step: z.string(), who: z.string() })), result: z.string(), decision: z.string(), loggedAt: z.string(),
  })),
}).meta({ id: 'ChangeProjectTimeline' });
