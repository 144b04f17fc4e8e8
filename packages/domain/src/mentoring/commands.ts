import { z } from 'zod';
import { commandSchema, isoDate, text, uuid } from '../shared/schemas';

/**
 * Issue 16 peer mentoring: what a mentor (an agency, i.e. an organisation, of an earlier cohort or
 * collaborative) does for its mentees, kept in the mentor's own stream so that the mentor's agency
 * key writes only there.
 */
export const mentoringMode = z.enum(['in_person', 'video', 'phone', 'email']);

export const LogMentoringContact = commandSchema({
  mentorAgencyId: uuid,
  contactId: uuid,
  /** The mentee's collaborative and agency. */
  collaborativeId: uuid,
  menteeAgencyId: uuid,
  /** When it took place: today or earlier, within the mentee's collaborative. */
  contactedOn: isoDate,
  mode: mentoringMode,
  topic: text(500),
  notes: text(20000).optional(),
});
export const CreditRecruitment = commandSchema({
  mentorAgencyId: uuid,
  /** A collaborative where the mentor was admitted or completed. */
  mentorCollaborativeId: uuid,
  /** The applicant's collaborative and agency. */
  collaborativeId: uuid,
  applicantAgencyId: uuid,
});

type D<T extends z.ZodType> = z.infer<T>;
export type MentoringCommand =
  | { type: 'LogMentoringContact'; data: D<typeof LogMentoringContact> }
  | { type: 'CreditRecruitment'; data: D<typeof CreditRecruitment> };
