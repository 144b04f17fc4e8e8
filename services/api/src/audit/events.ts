// Reading the log for audits: the effective time of an event, the whole feed up to a bound, and
// the JSON shape of an event with its metadata.
import type { EventStore, RecordedEvent } from '@convene/eventstore';
import { z } from 'zod';

/** When it happened: the command's clock (`occurredAt`) when recorded, else the commit time. */
export function occurredAt(event: RecordedEvent): Date {
  const at = event.metadata.occurredAt;
  if (typeof at === 'string') {
    const d = new Date(at);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return event.recordedAt;
}

/**
 * Every settled event of these types, in global order (paged through readAll); with
 * `collaborativeId`, only those whose data names it, found in SQL through an index (issue 11.12).
 */
export async function readWholeFeed(store: EventStore, options: { types?: string[]; collaborativeId?: string; batch?: number } = {}): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  let after = 0;
  for (;;) {
    const { events, next } = await store.readAll({
      after,
      limit: options.batch ?? 1000,
      ...(options.types ? { types: options.types } : {}),
      ...(options.collaborativeId ? { collaborativeId: options.collaborativeId } : {}),
    });
    out.push(...events);
    if (events.length === 0) return out;
    after = next;
  }
}

export const AuditEventSchema = z
  .object({
    position: z.number().int().describe('Global position (sparse, increasing)'),
    streamId: z.string(),
    streamVersion: z.number().int(),
    eventId: z.string(),
    type: z.string(),
    schemaVersion: z.number().int(),
    data: z.unknown(),
    metadata: z.object({
      actorId: z.string(),
      actorRole: z.string(),
      occurredAt: z.string().describe('The command clock'),
      recordedAt: z.string().describe('The commit time'),
      correlationId: z.string().nullable(),
      causationId: z.string().nullable(),
      requestId: z.string().nullable().describe("The server's unique id of the request"),
      clientRequestId: z.string().nullable().describe('The X-Request-Id the client sent, when it had the accepted format'),
      commandType: z.string().nullable(),
    }),
  })
  .meta({ id: 'AuditEvent' });
export type AuditEvent = z.infer<typeof AuditEventSchema>;

const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function toAuditEvent(e: RecordedEvent): AuditEvent {
  return {
    position: e.globalPosition,
    streamId: e.streamId,
    streamVersion: e.streamVersion,
    eventId: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    metadata: {
      actorId: String(e.metadata.actorId),
      actorRole: String(e.metadata.actorRole),
      occurredAt: occurredAt(e).toISOString(),
      recordedAt: e.recordedAt.toISOString(),
      correlationId: strOrNull(e.metadata.correlationId),
      causationId: strOrNull(e.metadata.causationId),
      requestId: strOrNull(e.metadata.requestId),
      clientRequestId: strOrNull(e.metadata.clientRequestId),
      commandType: strOrNull(e.metadata.commandType),
    },
  };
}
