// Network read schemas (issue 16): organisations with their history, mentees, contacts, spread.
import { z } from 'zod';
import { organisationKind } from '@convene/domain';
import { nullableString } from '../http/read-routes';

const Site = z.object({ siteId: z.string(), name: z.string(), address: nullableString, levelsOfCare: z.array(z.string()) });
const membershipStatus = z.enum(['applied', 'admitted', 'declined', 'withdrawn', 'completed']);

export const OrganisationSchema = z
  .object({
    organisationId: z.string().describe("For an agency, its agencyId"),
    kind: organisationKind,
    name: z.string(),
    city: nullableString,
    state: nullableString,
    registered: z.boolean().describe('false: known only from an application (the one-time registry); RegisterOrganisation with its id registers it'),
    sites: z.array(Site),
    firstSeenOn: nullableString.describe('First application or registration'),
  })
  .meta({ id: 'Organisation' });

export const MembershipSchema = z.object({
  collaborativeId: z.string(), collaborativeName: nullableString, agencyName: z.string().describe('The name it applied under'),
  status: membershipStatus, cohortId: nullableString, cohortName: nullableString,
  appliedOn: nullableString, admittedOn: nullableString, declinedOn: nullableString, withdrawnOn: nullableString, completedOn: nullableString,
  peerMentor: z.object({ agencyId: z.string(), collaborativeId: z.string(), assignedOn: nullableString }).nullable(),
});

export const OrganisationDetailSchema = OrganisationSchema.extend({
  history: z.array(MembershipSchema).describe('Its participation in every collaborative (those of a scoped key), oldest application first'),
  mentoring: z.object({
    mentees: z.array(z.object({
      collaborativeId: z.string(), collaborativeName: nullableString, agencyId: z.string(), agencyName: z.string(), status: z.string(), assignedOn: nullableString,
      fromCollaborativeId: z.string().describe('The collaborative the mentor came through'),
    })),
    contacts: z.number().int(),
    lastContactOn: nullableString,
    recruits: z.array(z.object({ collaborativeId: z.string(), agencyId: z.string(), creditedAt: z.string() })),
  }),
}).meta({ id: 'OrganisationDetail' });

export const MentoringContactSchema = z
  .object({
    contactId: z.string(), collaborativeId: z.string(), menteeAgencyId: z.string(), contactedOn: z.string(), mode: z.string(), topic: z.string(),
    notes: nullableString.optional().describe('Free text (personal data): left out for analysts'), recordedAt: z.string(),
  })
  .meta({ id: 'MentoringContact' });

const Coverage = z.object({
  providers: z.number().int().describe('Provider organisations known to the network'),
  everEnrolled: z.number().int().describe('Providers admitted to at least one collaborative'),
  completed: z.number().int().describe('Providers that completed at least one collaborative'),
  mentors: z.number().int().describe('Providers that have mentored'),
  activeMentors: z.number().int().describe('Providers mentoring an agency still active'),
});
export const SpreadSchema = z
  .object({
    interval: z.enum(['month', 'quarter']),
    network: Coverage,
    collaboratives: z.array(z.object({
      collaborativeId: z.string(), name: z.string(), startsOn: z.string(), endsOn: z.string(), applied: z.number().int(), enrolled: z.number().int(),
      active: z.number().int(), completed: z.number().int(), withdrawn: z.number().int(), mentees: z.number().int(), mentors: z.number().int(),
      mentorsFromEarlierCollaboratives: z.number().int(),
    })),
    overTime: z.array(Coverage.extend({ period: z.string(), endsOn: z.string() })).describe('Cumulative coverage at the end of each period'),
  })
  .meta({ id: 'Spread' });
