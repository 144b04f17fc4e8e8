// Participation read schemas: an agency in a collaborative.
import { z } from 'zod';
import { ChangeProjectSchema } from '../change-projects/schemas';
import { nullableString } from '../http/read-routes';
import { ProgressItemSchema } from '../reports/schemas';
import { SiteVisitSchema } from '../site-visits/schemas';

export const PersonSchema = z.object({ personId: z.string(), name: z.string(), email: z.string() });
export const AgencyDetailSchema = ProgressItemSchema.extend({
  collaborativeId: z.string(),
  appliedAt: nullableString,
  contact: z.object({ name: z.string(), email: z.string(), phone: z.string().optional() }).nullable(),
  roles: z.object({ executive_sponsor: PersonSchema.optional(), change_leader: PersonSchema.optional(), change_team_member: z.array(PersonSchema).optional() }),
  coachId: nullableString,
  peerMentorAgencyId: nullableString,
  coachingNotes: z.number().int(),
  withdrawnOn: nullableString,
  completedOn: nullableString,
  changeProjects: z.array(ChangeProjectSchema),
  siteVisits: z.array(SiteVisitSchema),
}).meta({ id: 'AgencyDetail' });
