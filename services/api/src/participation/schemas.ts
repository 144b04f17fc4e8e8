// Participation read schemas: applications (the selection screen), agencies, coaching notes.
import { z } from 'zod';
import { ChangeProjectSchema } from '../change-projects/resource';
import { nullableString } from '../http/read-routes';
import { ProgressItemSchema } from '../reports/schemas';
import { SiteVisitSchema } from '../site-visits/resource';

export const PersonSchema = z.object({ personId: z.string(), name: z.string(), email: z.string() });
const AgencyRef = z.object({ agencyId: z.string(), agencyName: z.string() });

export const AgencyDetailSchema = ProgressItemSchema.extend({
  collaborativeId: z.string(),
  cohortName: nullableString,
  appliedAt: nullableString,
  contact: z.object({ name: z.string(), email: z.string(), phone: z.string().optional() }).nullable(),
  roles: z.object({ executive_sponsor: PersonSchema.optional(), change_leader: PersonSchema.optional(), change_team_member: z.array(PersonSchema).optional() }),
  coachId: nullableString,
  peerMentorAgencyId: nullableString,
  mentees: z.array(AgencyRef).describe('Agencies this agency mentors'),
  walkThrough: z.object({ walkedThroughOn: z.string(), findings: z.string() }).nullable(),
  coachingNotes: z.number().int(),
  withdrawnOn: nullableString,
  completedOn: nullableString,
  changeProjects: z.array(ChangeProjectSchema),
  siteVisits: z.array(SiteVisitSchema),
}).meta({ id: 'AgencyDetail' });

export const AgencyListItemSchema = ProgressItemSchema.extend({
  collaborativeId: z.string(), appliedAt: nullableString, coachId: nullableString, peerMentorAgencyId: nullableString, walkThroughOn: nullableString,
  withdrawnOn: nullableString, completedOn: nullableString,
}).meta({ id: 'AgencySummary' });

export const ApplicationSchema = z
  .object({
    agencyId: z.string(), agencyName: z.string(), status: z.enum(['applied', 'admitted', 'declined']), cohortId: nullableString, submittedAt: z.string(),
    contact: z.object({ name: z.string(), email: z.string(), phone: z.string().optional() }), proposal: z.string(), declineReason: nullableString,
    reviews: z.array(z.object({
      reviewerId: z.string(), scores: z.array(z.object({ criterion: z.string(), score: z.number().int() })), total: z.number().int(), notes: nullableString, scoredAt: z.string(),
    })),
    total: z.number().int().describe('Sum of every reviewer\'s total'),
    averageTotal: z.number().nullable().describe('Mean of the reviewers\' totals (null before any review)'),
    rank: z.number().int().describe('Rank by total among all applications of the collaborative (1 = highest; ties share a rank)'),
  })
  .meta({
    id: 'Application',
    examples: [{
      agencyId: '0190f2b4-8a51-7c3e-9d1a-2b4c6d8e0f30', agencyName: 'Riverside Recovery Center', status: 'applied', cohortId: null, submittedAt: '2025-01-14T16:20:00.000Z',
      contact: { name: 'Jo Park', email: 'jo.park@riverside.example' }, proposal: 'Same-day intake for walk-ins', declineReason: null,
      reviews: [{ reviewerId: '0190f2b4-8a51-7c3e-9d1a-2b4c6d8e0f12', scores: [{ criterion: 'readiness', score: 8 }, { criterion: 'leadership', score: 7 }], total: 15, notes: 'Strong sponsor', scoredAt: '2025-01-20T10:00:00.000Z' }],
      total: 15, averageTotal: 15, rank: 1,
    }],
  });

export const CoachingNoteSchema = z
  .object({ noteId: z.string(), agencyId: z.string(), coachId: z.string(), coachedOn: z.string(), text: z.string(), recordedAt: z.string() })
  .meta({ id: 'CoachingNote' });
