// Collaborative read schemas.
import { z } from 'zod';
import { nullableString } from '../http/read-routes';

export const PersonSchema = z.object({ personId: z.string(), name: z.string(), email: z.string() }).meta({ id: 'Person' });

export const CohortSummarySchema = z
  .object({
    cohortId: z.string(), name: z.string(), startsOn: z.string(), sequence: z.number().int(), capacity: z.number().int(), seatsTaken: z.number().int(),
    agenciesByStage: z.record(z.string(), z.number().int()).describe('Agencies of the cohort per stage (admitted, oriented, active, completed, withdrawn)'),
  })
  .meta({ id: 'CohortSummary' });

export const CollaborativeSchema = z
  .object({
    collaborativeId: z.string(), name: z.string(), aim: z.string(), status: z.enum(['open', 'closed']),
    convener: z.object({ organizationName: z.string(), contact: PersonSchema.nullable().describe('null for analysts (personal data)') }),
    startsOn: z.string(), endsOn: z.string(), closedOn: nullableString, closeReason: nullableString, meetingCadence: z.string(),
    timeZone: z.string().describe('IANA time zone every message states its times in (with the UTC offset); UTC when none was set at launch'),
    focusMeasures: z.array(z.string()),
    measureSettings: z.object({ continuationWindowsDays: z.array(z.number().int()), continuationUnitThreshold: z.number().int() }).nullable().describe('null: the template has no continuation measures'),
    systemRoles: z.array(PersonSchema.extend({ role: z.string() })).describe('Who holds each system role (empty for analysts: personal data)'),
    launchedAt: z.string(),
    cohorts: z.array(CohortSummarySchema),
  })
  .meta({
    id: 'Collaborative',
    examples: [{
      collaborativeId: '0190f2b4-8a51-7c3e-9d1a-2b4c6d8e0f10', name: 'Ohio Access 2025', aim: 'Cut days from first call to first treatment by half',
      status: 'open', convener: { organizationName: 'Ohio MHAS', contact: { personId: '0190f2b4-8a51-7c3e-9d1a-2b4c6d8e0f11', name: 'Dana Reyes', email: 'dana.reyes@mha.ohio.gov' } },
      startsOn: '2025-01-06', endsOn: '2025-12-19', closedOn: null, closeReason: null, meetingCadence: 'monthly', timeZone: 'America/New_York', focusMeasures: ['days_to_treatment', 'intake_no_show'],
      measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
      systemRoles: [{ role: 'coach', personId: '0190f2b4-8a51-7c3e-9d1a-2b4c6d8e0f12', name: 'Sam Okafor', email: 'sam@niatx.example' }],
      launchedAt: '2025-01-06T14:02:11.000Z',
      cohorts: [{ cohortId: '0190f2b4-8a51-7c3e-9d1a-2b4c6d8e0f13', name: 'Spring cohort', startsOn: '2025-02-03', sequence: 1, capacity: 12, seatsTaken: 9, agenciesByStage: { active: 8, withdrawn: 1 } }],
    }],
  });

export const CohortSchema = CohortSummarySchema.extend({
  collaborativeId: z.string(),
  members: z.array(z.object({ agencyId: z.string(), agencyName: z.string(), stage: z.string() })).describe('By agency name; an agency key sees itself only (the counts stay whole)'),
}).meta({ id: 'Cohort' });

export const DirectoryEntrySchema = z
  .object({
    kind: z.enum(['staff', 'convener', 'coach', 'reviewer', 'contact', 'agency_role']), role: z.string(), personId: nullableString,
    name: nullableString.describe('null for a coach or reviewer appointed by id only'), email: nullableString, phone: nullableString,
    organisation: nullableString, agencyId: nullableString,
  })
  .meta({ id: 'DirectoryEntry' });

export const ExpenditureSchema = z
  .object({
    expenditureId: z.string(), collaborativeId: z.string(), category: z.string(), amountCents: z.number().int(), spentOn: z.string(),
    note: nullableString.describe('Free text: null for analysts'), recordedAt: z.string(),
    status: z.enum(['recorded', 'corrected', 'voided']).describe('Issue 16: a voided expenditure is listed but not summed'),
    voidReason: nullableString.describe('Free text: null for analysts'),
    corrections: z.array(z.object({
      was: z.object({ amountCents: z.number(), category: z.string(), spentOn: z.string(), note: nullableString }).nullable().describe('The record before the correction; null for the void'),
      reason: nullableString.describe('Free text: null for analysts'), at: z.string(), by: z.object({ actorId: z.string(), actorRole: z.string() }),
    })).describe('Each correction and the void, in order'),
  })
  .meta({ id: 'Expenditure', examples: [{ expenditureId: '0190f2b4-8a51-7c3e-9d1a-2b4c6d8e0f20', collaborativeId: '0190f2b4-8a51-7c3e-9d1a-2b4c6d8e0f10', category: 'travel', amountCents: 48250, spentOn: '2025-03-12', note: 'Coach mileage, Dayton site visit', recordedAt: '2025-03-13T09:30:00.000Z', status: 'recorded', voidReason: null, corrections: [] }] });

// Totals are numbers, not int: amounts stored before the input bounds can sum past 2^53 (then approximate).
export const ExpenditureTotalsSchema = z.object({
  totalCents: z.number(), count: z.number().int(),
  categories: z.array(z.object({ category: z.string(), totalCents: z.number(), count: z.number().int() })),
});

// Totals are numbers, not int: amounts stored before the input bounds can sum past 2^53 (then approximate).
// Issue 16: spent against budget (SetBudget); budget and remaining are null where no budget is set.
export const ExpendituresSchema = z
  .object({
    collaborativeId: z.string(), totalCents: z.number(), budgetCents: z.number().nullable(), remainingCents: z.number().nullable(),
    categories: z.array(z.object({
      category: z.string(), totalCents: z.number(), count: z.number().int(), budgetCents: z.number().nullable(), remainingCents: z.number().nullable().describe('Budget less spent; negative when over budget'),
    })),
  })
  .meta({ id: 'ExpendituresByCategory' });
