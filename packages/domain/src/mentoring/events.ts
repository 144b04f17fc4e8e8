import { z } from 'zod';
import { eventSchema, storedIsoDate, storedIsoDateTime, text, uuid } from '../shared/schemas';
import { mentoringMode } from './commands';

// `notes` is free text about people's work: sealed under the mentee collaborative's key (personalFreeText).
export const MentoringContactLogged = eventSchema({
  mentorAgencyId: uuid,
  contactId: uuid,
  collaborativeId: uuid,
  menteeAgencyId: uuid,
  contactedOn: storedIsoDate,
  mode: mentoringMode,
  topic: text(500),
  notes: text(20000).optional(),
});
export const RecruitmentCredited = eventSchema({
  mentorAgencyId: uuid,
  mentorCollaborativeId: uuid,
  collaborativeId: uuid,
  applicantAgencyId: uuid,
  creditedAt: storedIsoDateTime,
});

type D<T extends z.ZodType> = z.infer<T>;
export type MentoringEvent =
  | { type: 'MentoringContactLogged'; data: D<typeof MentoringContactLogged> }
  | { type: 'RecruitmentCredited'; data: D<typeof RecruitmentCredited> };

const v1 = (schema: z.ZodType) => ({ schema, schemaVersion: 1 });
export const mentoringEvents = {
  MentoringContactLogged: v1(MentoringContactLogged),
  RecruitmentCredited: v1(RecruitmentCredited),
};
