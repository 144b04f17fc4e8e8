import { z } from 'zod';

// Events that record what the workers sent. They live on the stream `delivery-<collaborativeId>`
// (stream type "delivery"), appended with the delivery key as idempotency key.

export const deliveryStreamId = (collaborativeId: string) => `delivery-${collaborativeId}`;
export const deliveryIdempotencyKey = (key: string) => `delivery-${key}`;

const recipient = z
  .object({ personId: z.string().optional(), email: z.email(), role: z.string() })
  .strict();

const delivered = {
  deliveryKey: z.string().min(1),
  kind: z.string(),
  collaborativeId: z.uuid(),
  subjectId: z.string(),
  agencyId: z.uuid().optional(),
  recipients: z.array(recipient).min(1),
  // Recipients whose address the mail server refused: {personId?, email, role} since issue 12 (sealed
  // under the person's key, see the domain's personal-data descriptor); bare addresses before.
  rejected: z.array(z.union([z.string(), recipient])).default([]),
  subject: z.string(),
  messageId: z.string().optional(),
  sentAt: z.iso.datetime({ offset: true }),
};

export const ReminderSent = z.object({ ...delivered, meetingId: z.uuid().optional(), visitId: z.uuid().optional(), months: z.array(z.string()).optional() }).strict();
/** `correction`: the version of the MinutesCorrected event in the meeting's stream, when these are corrected minutes (issue 18). */
export const MinutesSent = z.object({ ...delivered, meetingId: z.uuid(), correction: z.number().int().positive().optional() }).strict();
export const FollowUpSent = z.object({ ...delivered, meetingId: z.uuid(), nextMeetingId: z.uuid().optional() }).strict();

/** What kinds without an event of their own record (issue 18): a site visit's summary, an announcement. */
/** `documentId`: the document the message announces (a Change Leader's meeting packet, issue 18). */
export const MessageSent = z.object({ ...delivered, meetingId: z.uuid().optional(), visitId: z.uuid().optional(), announcementId: z.uuid().optional(), documentId: z.uuid().optional() }).strict();

export const deliveryEventSchemas = {
  ReminderSent: { schema: ReminderSent, schemaVersion: 1 },
  MinutesSent: { schema: MinutesSent, schemaVersion: 1 },
  FollowUpSent: { schema: FollowUpSent, schemaVersion: 1 },
  MessageSent: { schema: MessageSent, schemaVersion: 1 },
};
export type DeliveryEventType = keyof typeof deliveryEventSchemas;
export const deliveryEventTypes = Object.keys(deliveryEventSchemas) as DeliveryEventType[];
