import { z } from 'zod';
import type { DeliveryKind } from './keys';

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
export const MinutesSent = z.object({ ...delivered, meetingId: z.uuid() }).strict();
export const FollowUpSent = z.object({ ...delivered, meetingId: z.uuid(), nextMeetingId: z.uuid().optional() }).strict();
/** Issue 18: a Change Leader was told of their agency's meeting packet (the document to download). */
export const PacketSent = z.object({ ...delivered, meetingId: z.uuid(), packetId: z.uuid(), documentId: z.uuid() }).strict();

export const deliveryEventSchemas = {
  ReminderSent: { schema: ReminderSent, schemaVersion: 1 },
  MinutesSent: { schema: MinutesSent, schemaVersion: 1 },
  FollowUpSent: { schema: FollowUpSent, schemaVersion: 1 },
  PacketSent: { schema: PacketSent, schemaVersion: 1 },
};
export type DeliveryEventType = keyof typeof deliveryEventSchemas;
export const deliveryEventTypes = Object.keys(deliveryEventSchemas) as DeliveryEventType[];

export const deliveryEventTypeOf = (kind: DeliveryKind): DeliveryEventType =>
  kind === 'minutes' ? 'MinutesSent' : kind === 'follow-up' ? 'FollowUpSent' : kind === 'packet-notice' ? 'PacketSent' : 'ReminderSent';
