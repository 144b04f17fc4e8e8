// Calendar and calendar-feed schemas.
import { z } from 'zod';

const nullableString = z.string().nullable();
export const CalendarItemSchema = z
  .object({
    id: z.string().describe('Stable across updates: meeting-<id>, site-visit-<id>, baseline-due-<cohortId>, data-due-<collaborativeId>-<month or quarter> (due dates of an agency or coach calendar end -agency-<id> or -coach-<id>)'),
    type: z.enum(['meeting', 'site_visit', 'baseline_due', 'data_due']),
    title: z.string(),
    startsAt: z.string().describe('UTC; a due date is the whole day starting at this midnight'),
    endsAt: nullableString, allDay: z.boolean(),
    status: z.enum(['scheduled', 'cancelled', 'completed', 'open', 'met']).describe('Due dates: met once every agency expected has delivered'),
    resource: nullableString.describe('Path of the meeting or site visit'),
    agencyIds: z.array(z.string()), description: nullableString, location: nullableString, callIn: nullableString,
    meetingKind: nullableString, coachId: nullableString, cohortId: nullableString, month: nullableString.describe('A monthly due date\'s month'),
    period: nullableString.describe('A data due date\'s period: its month (YYYY-MM) or, for a catalogue with quarterly measures, its quarter (YYYY-Qn); null otherwise'),
    agencies: z.array(z.object({ agencyId: z.string(), agencyName: z.string(), met: z.boolean() })).describe('Due dates: each agency expected and whether it delivered'),
    sequence: z.number().int(), updatedAt: nullableString,
  })
  .meta({ id: 'CalendarItem' });

export const CalendarSchema = z
  .object({
    collaborativeId: z.string(), collaborativeName: nullableString, scope: z.enum(['collaborative', 'agency', 'coach']), subjectId: nullableString,
    from: z.string(), to: z.string(), items: z.array(CalendarItemSchema),
  })
  .meta({
    id: 'Calendar',
    description: 'Meetings, site visits and due dates (baseline at the cohort kick-off, a period\'s data on the due day of the month after it: months and/or quarters as the catalogue reports) in time order.',
    examples: [{
      collaborativeId: '0190f5c2-7a00-7000-8000-000000000001', collaborativeName: 'Ohio Access Collaborative', scope: 'collaborative', subjectId: null,
      from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z',
      items: [{
        id: 'meeting-0190f5c2-7a00-7000-8000-000000000101', type: 'meeting', title: 'Regular call (video)', startsAt: '2025-03-05T15:00:00.000Z',
        endsAt: '2025-03-05T16:00:00.000Z', allDay: false, status: 'scheduled', resource: '/v1/meetings/0190f5c2-7a00-7000-8000-000000000101',
        agencyIds: ['0190f5c2-7a00-7000-8000-000000001000'], description: 'PDSA cycle 1 results', location: null, callIn: 'https://meet.example.org/niatx',
        meetingKind: 'regular_call', coachId: null, cohortId: null, month: null, period: null, agencies: [], sequence: 0, updatedAt: '2025-02-01T12:00:00.000Z',
      }, {
        id: 'data-due-0190f5c2-7a00-7000-8000-000000000001-2025-02', type: 'data_due', title: 'Monthly data due: 2025-02', startsAt: '2025-03-10T00:00:00.000Z', endsAt: null, allDay: true,
        status: 'open', resource: null, agencyIds: ['0190f5c2-7a00-7000-8000-000000001000'], description: null, location: null, callIn: null,
        meetingKind: null, coachId: null, cohortId: null, month: '2025-02', period: '2025-02',
        agencies: [{ agencyId: '0190f5c2-7a00-7000-8000-000000001000', agencyName: 'Riverside Recovery', met: false }], sequence: 0, updatedAt: null,
      }],
    }],
  });

export const FeedScopeSchema = z.enum(['collaborative', 'agency', 'coach']);
export const FeedSchema = z
  .object({
    feedId: z.string(), collaborativeId: z.string(), scope: FeedScopeSchema, subjectId: nullableString.describe('The agency or coach'), name: z.string(),
    keyId: z.string().describe('The API key it reads with (revoking that key stops the feed too)'), createdAt: z.string(), revokedAt: nullableString,
  })
  .meta({ id: 'CalendarFeed' });
export const CreatedFeedSchema = FeedSchema.extend({
  token: z.string().describe('Shown once; only its hash is stored'),
  url: z.string().describe('The subscription URL (path): give it to Outlook or Google Calendar'),
}).meta({ id: 'CreatedCalendarFeed' });
export const CreateFeedSchema = z
  .strictObject({
    scope: FeedScopeSchema.describe('Whose calendar'),
    agencyId: z.uuid().optional().describe('With scope agency'),
    coachId: z.uuid().optional().describe('With scope coach'),
    name: z.string().trim().min(1).max(200).default('Convene calendar'),
  })
  .superRefine((b, ctx) => {
    if (b.scope === 'agency' && !b.agencyId) ctx.addIssue({ code: 'custom', path: ['agencyId'], message: 'an agency feed needs agencyId' });
    if (b.scope === 'coach' && !b.coachId) ctx.addIssue({ code: 'custom', path: ['coachId'], message: 'a coach feed needs coachId' });
    if (b.scope !== 'agency' && b.agencyId) ctx.addIssue({ code: 'custom', path: ['agencyId'], message: 'only an agency feed takes agencyId' });
    if (b.scope !== 'coach' && b.coachId) ctx.addIssue({ code: 'custom', path: ['coachId'], message: 'only a coach feed takes coachId' });
  })
  .meta({ id: 'CreateCalendarFeed' });
