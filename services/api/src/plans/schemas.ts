// Plan read schemas: a collaborative's timeline plan with its entries and what is late against it.
import { planAudiences, planEntryKinds, planTemplateIds } from '@convene/domain';
import { z } from 'zod';

const nullableString = z.string().nullable();
const C = '0190a000-0000-7000-8000-000000000001';
const A = '0190a000-0000-7000-8000-000000001000';
const E = '5f0f6c1e-2b8e-5b1a-9c43-0b9e2a7d1f01';

export const PlanEntrySchema = z
  .object({
    entryId: z.string().describe('Also the id of the meeting or site visit its adoption schedules'),
    scope: z.string().describe('`collaborative`, or the cohort id of a cohort\'s plan'),
    step: z.string().describe('The template step: `kick-off`, `call-05`, `visit-03/<agencyId>`, `data-01`...'),
    kind: z.enum(planEntryKinds),
    title: z.string(),
    status: z.enum(['tentative', 'adopted', 'dropped']),
    month: z.number().int().describe('Month of the plan (1 = the month of its start)'),
    day: z.number().int().describe('Day within that month of the plan'),
    date: z.string().describe('Its day (a deadline\'s due day, a window\'s first day)'),
    startsAt: nullableString.describe('Meetings and visits: when they start (UTC until moved)'),
    endsOn: nullableString.describe('Windows: the last day'),
    durationMinutes: z.number().int().nullable(),
    modality: z.enum(['in_person', 'video', 'phone']).nullable(),
    audience: z.enum(planAudiences),
    preparation: z.array(z.string()).describe('What is due before it'),
    agencyId: nullableString.describe('Site visits: the agency visited'),
    period: nullableString.describe('Data due: the month (yyyy-mm) or quarter (yyyy-Qn)'),
    moved: z.boolean().describe('Moved by hand (a new start shifts it by as many days)'),
    meetingId: nullableString.describe('Adopted meeting entries: the meeting scheduled'),
    visitId: nullableString.describe('Adopted visit entries: the site visit scheduled'),
  })
  .meta({ id: 'PlanEntry' });

export const LateItemSchema = z
  .object({
    itemId: z.string().describe('Stable: the worker reminds once per item'),
    kind: z.enum(['baseline_missing', 'walk_through_missing', 'data_missing']),
    agencyId: z.string(),
    entryId: z.string().describe('The entry it is late against: the kick-off, the walk-through due date, the data due date'),
    lateSince: z.string(),
    period: nullableString,
    description: z.string(),
  })
  .meta({ id: 'LateAgainstPlan', description: 'Something an agency owes by the plan and has not done: the baseline by the kick-off, the walk-through by its due day, a month (or quarter) of data by its due day' });

export const PlanSchema = z
  .object({
    collaborativeId: z.string(),
    version: z.number().int().describe('Version of the plan stream (If-Match of the plan commands)'),
    asOf: z.string().describe('The time lateness was judged at'),
    scopes: z.array(z.object({ scope: z.string(), cohortId: nullableString, template: z.enum(planTemplateIds), startsOn: z.string(), location: z.string(), callIn: z.string() })),
    entries: z.array(PlanEntrySchema),
    late: z.array(LateItemSchema),
  })
  .meta({
    id: 'Plan',
    description: 'The timeline plan of a collaborative (and its cohorts): entries by date with their status, and what is late against them. Agency keys see the shared entries, their own visits and their own lateness only.',
    examples: [{
      collaborativeId: C, version: 3, asOf: '2025-04-16T09:00:00.000Z',
      scopes: [{ scope: 'collaborative', cohortId: null, template: 'niatx-year', startsOn: '2025-01-01', location: 'State capitol, room 4', callIn: 'https://meet.example.org/niatx' }],
      entries: [{
        entryId: E, scope: 'collaborative', step: 'kick-off', kind: 'kick_off_learning_session', title: 'Kick-off learning session', status: 'adopted', month: 4, day: 15, date: '2025-04-15',
        startsAt: '2025-04-15T16:00:00.000Z', endsOn: null, durationMinutes: 420, modality: 'in_person', audience: 'change_teams',
        preparation: ['Baseline data recorded', 'Walk-through submitted', 'Storyboard of the agency and its aim'], agencyId: null, period: null, moved: false, meetingId: E, visitId: null,
      }],
      late: [{ itemId: `baseline_missing/${A}/${E}`, kind: 'baseline_missing', agencyId: A, entryId: E, lateSince: '2025-04-15T16:00:00.000Z', period: null, description: 'The baseline was due before the kick-off learning session of 2025-04-15' }],
    }],
  });
