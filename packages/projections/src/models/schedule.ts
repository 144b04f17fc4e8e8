import type { RecordedEvent } from '@convene/eventstore';
import type { Projection, RowRef, RowStore } from '../runtime/types';
import { typed } from './events';

const eventTypes = [
  'SiteVisitScheduled', 'SiteVisitRescheduled', 'SiteVisitCancelled', 'SiteVisitCompleted',
  'MeetingScheduled', 'MeetingRescheduled', 'MeetingCancelled', 'PresentersAssigned', 'AttendanceRecorded', 'MinutesPublished', 'MinutesCorrected',
  'ExpenditureRecorded',
];

function refs(event: RecordedEvent): RowRef[] {
  const e = typed(event);
  if ('visitId' in e.data) return [{ table: 'site_visits', id: e.data.visitId }];
  if ('meetingId' in e.data) return [{ table: 'meetings', id: e.data.meetingId }];
  if (e.type === 'ExpenditureRecorded') return [{ table: 'expenditures', id: e.data.expenditureId }];
  return [];
}

function evolve(store: RowStore, event: RecordedEvent): void {
  const e = typed(event);
  const at = event.recordedAt.toISOString();
  const change = (table: 'site_visits' | 'meetings', id: string, patch: (row: Record<string, unknown>) => Record<string, unknown>) => {
    const row = store.get(table, id);
    if (row) store.put(table, { ...row, ...patch(row), updated_at: at });
  };
  switch (e.type) {
    case 'SiteVisitScheduled': {
      const d = e.data;
      store.put('site_visits', {
        id: d.visitId, collaborative_id: d.collaborativeId, agency_id: d.agencyId, coach_id: d.coachId, scheduled_at: d.scheduledAt,
        agenda: d.agenda, status: 'scheduled', reschedules: 0, completed_on: null, summary: null, cancel_reason: null, updated_at: at,
      });
      return;
    }
    case 'SiteVisitRescheduled':
      return change('site_visits', e.data.visitId, (r) => ({ scheduled_at: e.data.scheduledAt, reschedules: Number(r.reschedules ?? 0) + 1 }));
    case 'SiteVisitCancelled':
      return change('site_visits', e.data.visitId, () => ({ status: 'cancelled', cancel_reason: e.data.reason }));
    case 'SiteVisitCompleted':
      return change('site_visits', e.data.visitId, () => ({ status: 'completed', completed_on: e.data.completedOn, summary: e.data.summary }));
    case 'MeetingScheduled': {
      const d = e.data;
      store.put('meetings', {
        id: d.meetingId, collaborative_id: d.collaborativeId, kind: d.kind, modality: d.modality, starts_at: d.startsAt,
        duration_minutes: d.durationMinutes, location: d.location ?? null, call_in: d.callIn ?? null, agenda: d.agenda,
        invited_agency_ids: [...d.invitedAgencyIds], presenter_agency_ids: [], status: 'scheduled', attendance: null,
        present_count: null, absent_count: null, minutes_status: 'none', minutes: null, minutes_published_at: null, updated_at: at,
      });
      return;
    }
    case 'MeetingRescheduled':
      return change('meetings', e.data.meetingId, () => ({ starts_at: e.data.startsAt }));
    case 'MeetingCancelled':
      return change('meetings', e.data.meetingId, () => ({ status: 'cancelled' }));
    case 'PresentersAssigned':
      return change('meetings', e.data.meetingId, () => ({ presenter_agency_ids: [...e.data.agencyIds] }));
    case 'AttendanceRecorded':
      return change('meetings', e.data.meetingId, (r) => {
        const attendance: Record<string, { present: boolean; attendees: string[] }> = { ...((r.attendance as object | null) ?? {}) };
        for (const a of e.data.attendance) attendance[a.agencyId] = { present: a.present, attendees: a.attendees };
        const entries = Object.values(attendance);
        return { attendance, present_count: entries.filter((a) => a.present).length, absent_count: entries.filter((a) => !a.present).length };
      });
    case 'MinutesPublished':
      return change('meetings', e.data.meetingId, () => ({ minutes_status: 'published', minutes: e.data.minutes, minutes_published_at: at }));
    case 'MinutesCorrected':
      return change('meetings', e.data.meetingId, () => ({ minutes_status: 'corrected', minutes: e.data.minutes }));
    case 'ExpenditureRecorded': {
      const d = e.data;
      store.put('expenditures', {
        id: d.expenditureId, collaborative_id: d.collaborativeId, category: d.category, amount_cents: d.amountCents,
        spent_on: d.spentOn, note: d.note ?? null, recorded_at: at,
      });
      return;
    }
    default:
      return;
  }
}

/** Site-visit schedule, meeting calendar (attendance, minutes status) and expenditures. */
export const scheduleProjection: Projection = {
  name: 'schedule',
  version: 1,
  holdsPersonalData: true,
  eventTypes,
  refs,
  evolve,
  tables: [
    {
      name: 'site_visits',
      columns: {
        collaborative_id: 'text', agency_id: 'text', coach_id: 'text', scheduled_at: 'text', agenda: 'text', status: 'text',
        reschedules: 'integer', completed_on: 'text', summary: 'text', cancel_reason: 'text', updated_at: 'text',
      },
      indexes: [['collaborative_id', 'scheduled_at']],
    },
    {
      name: 'meetings',
      columns: {
        collaborative_id: 'text', kind: 'text', modality: 'text', starts_at: 'text', duration_minutes: 'integer', location: 'text',
        call_in: 'text', agenda: 'text', invited_agency_ids: 'text[]', presenter_agency_ids: 'text[]', status: 'text', attendance: 'jsonb',
        present_count: 'integer', absent_count: 'integer', minutes_status: 'text', minutes: 'text', minutes_published_at: 'text', updated_at: 'text',
      },
      indexes: [['collaborative_id', 'starts_at']],
    },
    {
      name: 'expenditures',
      columns: { collaborative_id: 'text', category: 'text', amount_cents: 'bigint', spent_on: 'text', note: 'text', recorded_at: 'text' },
      indexes: [['collaborative_id', 'category']],
    },
  ],
};
