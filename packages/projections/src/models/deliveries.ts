// The delivery log: what the workers sent to whom and when (ReminderSent, MinutesSent,
// FollowUpSent, MessageSent on the `delivery-<collaborativeId>` streams). Recipients' e-mails are personal.
import type { RecordedEvent } from '@convene/eventstore';
import type { Projection, RowRef, RowStore } from '../runtime/types';

interface Delivered {
  deliveryKey: string;
  kind: string;
  collaborativeId: string;
  subjectId: string;
  agencyId?: string;
  recipients: { personId?: string; email: string; role: string }[];
  rejected?: string[];
  subject: string;
  sentAt: string;
  meetingId?: string;
  visitId?: string;
  nextMeetingId?: string;
  months?: string[];
}

// MessageSent (issue 18): kinds without an event of their own (a visit's summary, an announcement).
const eventTypes = ['ReminderSent', 'MinutesSent', 'FollowUpSent', 'MessageSent'];

const refs = (event: RecordedEvent): RowRef[] => [{ table: 'deliveries', id: event.eventId }];

function evolve(store: RowStore, event: RecordedEvent): void {
  const d = event.data as Delivered;
  store.put('deliveries', {
    id: event.eventId, collaborative_id: d.collaborativeId, event_type: event.type, kind: d.kind, delivery_key: d.deliveryKey, subject_id: d.subjectId,
    agency_id: d.agencyId ?? null, meeting_id: d.meetingId ?? null, visit_id: d.visitId ?? null, recipients: d.recipients, rejected: d.rejected ?? [],
    subject: d.subject, sent_at: d.sentAt, months: d.months ?? null,
  });
}

export const deliveriesProjection: Projection = {
  name: 'deliveries',
  version: 1,
  holdsPersonalData: true,
  eventTypes,
  refs,
  evolve,
  tables: [
    {
      name: 'deliveries',
      columns: {
        collaborative_id: 'text', event_type: 'text', kind: 'text', delivery_key: 'text', subject_id: 'text', agency_id: 'text', meeting_id: 'text',
        visit_id: 'text', recipients: 'jsonb', rejected: 'jsonb', subject: 'text', sent_at: 'text', months: 'jsonb',
      },
      indexes: [['collaborative_id', 'sent_at']],
    },
  ],
};
