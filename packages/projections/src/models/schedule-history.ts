// Schedule v4 (issue 13): a meeting's minutes history and what was sent about a meeting or a visit
// are child rows, one per event, instead of arrays on the meeting or visit row. The row rewrote
// every entry on each correction or delivery (about 100 deliveries per message), so its write cost
// grew with its history; a child row is written once and never loaded by the projector.
//
// Each child row's id is its event's id and `position` the event's global position: the order the
// reads list them in, and what a read compares with its parent row's `position` (the last event
// applied to it, written in the same batch as each child) to leave out children committed after
// the parent row it read.
import type { RecordedEvent } from '@convene/eventstore';
import type { Row, TableSpec } from '../runtime/types';

export const DELIVERY_TYPES = new Set(['ReminderSent', 'MinutesSent', 'FollowUpSent', 'MessageSent']);

/** The subset of a delivery event a meeting or visit shows: no recipient addresses (the deliveries log has them). */
export interface DeliveryData {
  kind: string;
  agencyId?: string;
  meetingId?: string;
  visitId?: string;
  recipients: { role: string }[];
  rejected?: unknown[];
  subject: string;
  sentAt: string;
}

export const meetingMinutesTable: TableSpec = {
  name: 'meeting_minutes',
  // action: published or corrected; by: the actor recorded with the event.
  columns: { meeting_id: 'text', position: 'bigint', action: 'text', minutes: 'text', reason: 'text', at: 'text', by: 'jsonb' },
  indexes: [['meeting_id', 'position']],
};

const deliveryColumns = {
  position: 'bigint', type: 'text', kind: 'text', agency_id: 'text', subject: 'text', sent_at: 'text',
  recipients: 'integer', recipient_roles: 'text[]', rejected: 'integer',
} as const;

export const meetingDeliveriesTable: TableSpec = {
  name: 'meeting_deliveries',
  columns: { meeting_id: 'text', ...deliveryColumns },
  indexes: [['meeting_id', 'position']],
};

export const siteVisitDeliveriesTable: TableSpec = {
  name: 'site_visit_deliveries',
  columns: { visit_id: 'text', ...deliveryColumns },
  indexes: [['visit_id', 'position']],
};

export const scheduleHistoryTables = [meetingMinutesTable, meetingDeliveriesTable, siteVisitDeliveriesTable];

/** The row of a MinutesPublished or MinutesCorrected event. */
export function minutesRow(event: RecordedEvent, meetingId: string, entry: { action: 'published' | 'corrected'; minutes: string; reason: string | null; at: string; by: unknown }): Row {
  return { id: event.eventId, meeting_id: meetingId, position: event.globalPosition, ...entry };
}

/** The row of a delivery event about a meeting (`meeting_id`) or a visit (`visit_id`). */
export function deliveryRow(event: RecordedEvent, d: DeliveryData, parent: { meeting_id: string } | { visit_id: string }): Row {
  return {
    id: event.eventId, ...parent, position: event.globalPosition, type: event.type, kind: d.kind, agency_id: d.agencyId ?? null,
    subject: d.subject, sent_at: d.sentAt, recipients: d.recipients.length, recipient_roles: [...new Set(d.recipients.map((r) => r.role))].sort(),
    rejected: (d.rejected ?? []).length,
  };
}
