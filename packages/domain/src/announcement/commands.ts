import { z } from 'zod';
import { commandSchema, text, uuid } from '../shared/schemas';

// Announcements (issue 18): the convener sends an update to an audience of the collaborative, by
// e-mail, recorded with the recipients it was resolved to when it was sent.

/** Who an announcement goes to; the agency audiences take an optional cohort filter. */
export const announcementAudiences = ['all_agencies', 'cohort', 'executive_sponsors', 'change_leaders', 'stakeholders', 'mentors'] as const;
export type AnnouncementAudience = (typeof announcementAudiences)[number];
/** Audiences of agencies' people, which a cohort narrows. */
export const agencyAudiences: readonly AnnouncementAudience[] = ['all_agencies', 'cohort', 'executive_sponsors', 'change_leaders', 'mentors'];

/** One resolved recipient: a person of the directory (agency roles, the convener's staff), with what they are. */
export const announcementRecipient = z
  .object({
    personId: uuid.optional(),
    name: z.string().max(200),
    email: z.email(),
    /** change_leader, executive_sponsor, agency_contact, convener_contact, coach, data_coordinator, ... */
    role: z.string().min(1).max(50),
    agencyId: uuid.optional(),
    /** The agency's (or the convener's) name, for the "why you got this" line. */
    organisation: z.string().max(200).optional(),
  })
  .strict();
export type AnnouncementRecipient = z.infer<typeof announcementRecipient>;

/** What a client sends (services/api/src/announcements: the API adds the recipients it resolves). */
export const announcementRequest = {
  announcementId: uuid,
  collaborativeId: uuid,
  subject: text(200),
  body: text(20000),
  audience: z.enum(announcementAudiences).describe('all_agencies, cohort (needs cohortId), executive_sponsors, change_leaders, stakeholders (the convener and its staff), mentors (the peer mentors of the agencies taking part, wherever they took part, completed ones included)'),
  cohortId: uuid.optional().describe('Narrows an agency audience to one cohort; required by `cohort`; not allowed with `stakeholders`'),
};

export const SendAnnouncement = commandSchema({
  ...announcementRequest,
  /** Resolved by the API from the read models when it is sent; never a client's input. */
  recipients: z.array(announcementRecipient).max(10000),
});

type D<T extends z.ZodType> = z.infer<T>;
export type AnnouncementCommand = { type: 'SendAnnouncement'; data: D<typeof SendAnnouncement> };
