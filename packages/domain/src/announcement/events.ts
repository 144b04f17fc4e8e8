import { z } from 'zod';
import { eventSchema, storableString, uuid } from '../shared/schemas';
import { announcementAudiences, announcementRecipient } from './commands';

/** Sent: what, to which audience, and exactly whom it resolved to (the worker mails each once). */
export const AnnouncementSent = eventSchema({
  announcementId: uuid,
  collaborativeId: uuid,
  subject: storableString().max(200),
  body: storableString().max(20000),
  audience: z.enum(announcementAudiences),
  cohortId: uuid.optional(),
  recipients: z.array(announcementRecipient).min(1),
});

export type AnnouncementEvent = { type: 'AnnouncementSent'; data: z.infer<typeof AnnouncementSent> };

export const announcementEvents = {
  AnnouncementSent: { schema: AnnouncementSent, schemaVersion: 1 },
};
