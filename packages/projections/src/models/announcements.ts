// Announcements (issue 18): what the convener sent, to which audience and to which agencies, for
// the agencies' feed. The body is free text (personal data rules: an erasure rebuilds it); the
// recipients' addresses stay in the event (the feed shows whom by agency and role only).
import type { RecordedEvent } from '@convene/eventstore';
import type { Projection, RowRef, RowStore } from '../runtime/types';

interface Sent {
  announcementId: string;
  collaborativeId: string;
  subject: string;
  body: string;
  audience: string;
  cohortId?: string;
  recipients: { role: string; agencyId?: string }[];
}

const refs = (event: RecordedEvent): RowRef[] => [{ table: 'announcements', id: (event.data as Sent).announcementId }];

function evolve(store: RowStore, event: RecordedEvent): void {
  const d = event.data as Sent;
  const occurred = event.metadata.occurredAt;
  // Which roles of which agency it went to: an agency's feed shows its own (agency id -> roles).
  const byAgency: Record<string, string[]> = {};
  for (const r of d.recipients) if (r.agencyId) byAgency[r.agencyId] = [...new Set([...(byAgency[r.agencyId] ?? []), r.role])].sort();
  store.put('announcements', {
    id: d.announcementId, collaborative_id: d.collaborativeId, subject: d.subject, body: d.body, audience: d.audience, cohort_id: d.cohortId ?? null,
    agency_ids: Object.keys(byAgency).sort(), agency_roles: byAgency, recipient_count: d.recipients.length,
    staff_roles: [...new Set(d.recipients.filter((r) => !r.agencyId).map((r) => r.role))].sort(),
    sent_at: typeof occurred === 'string' ? occurred : event.recordedAt.toISOString(),
  });
}

export const announcementsProjection: Projection = {
  name: 'announcements',
  version: 1,
  holdsPersonalData: true,
  eventTypes: ['AnnouncementSent'],
  refs,
  evolve,
  tables: [
    {
      name: 'announcements',
      columns: {
        collaborative_id: 'text', subject: 'text', body: 'text', audience: 'text', cohort_id: 'text', agency_ids: 'text[]', agency_roles: 'jsonb',
        staff_roles: 'jsonb', recipient_count: 'integer', sent_at: 'text',
      },
      indexes: [['collaborative_id', 'sent_at']],
    },
  ],
};
