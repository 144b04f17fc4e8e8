import type { RecordedEvent } from '@convene/eventstore';
import type { Projection, RowRef, RowStore } from '../runtime/types';
import { typed } from './events';
import { evolveMeetingPeople, meetingPeopleColumns, meetingPeopleEventTypes, meetingPeopleRefs, meetingPeopleTable } from './meeting-people';
import { DELIVERY_TYPES, deliveryRow, minutesRow, scheduleHistoryTables, type DeliveryData } from './schedule-history';

const eventTypes = [
  'SiteVisitScheduled', 'SiteVisitRescheduled', 'SiteVisitCancelled', 'SiteVisitCompleted',
  'MeetingScheduled', 'MeetingRescheduled', 'MeetingCancelled', 'PresentersAssigned', 'AttendanceRecorded', 'MinutesPublished', 'MinutesCorrected',
  'ExpenditureRecorded',
  // Issue 16: expenditures corrected or voided, and a budget per category.
  'ExpenditureCorrected', 'ExpenditureVoided', 'BudgetSet',
  ...meetingPeopleEventTypes,
  // What the worker sent (services/worker/src/delivery-events.ts), shown on the meeting or visit it was about.
  'ReminderSent', 'MinutesSent', 'FollowUpSent', 'MessageSent',
];

// A delivery or minutes event names only the meeting or visit row (to change it when it exists):
// its child row (schedule-history.ts) is new, never loaded.
function refs(event: RecordedEvent): RowRef[] {
  if (DELIVERY_TYPES.has(event.type)) {
    const d = event.data as DeliveryData;
    if (d.meetingId) return [{ table: 'meetings', id: d.meetingId }];
    if (d.visitId) return [{ table: 'site_visits', id: d.visitId }];
    return [];
  }
  const e = typed(event);
  const people = meetingPeopleRefs(e);
  if (people.length > 0) return people;
  if ('visitId' in e.data) return [{ table: 'site_visits', id: e.data.visitId }];
  if ('meetingId' in e.data) return [{ table: 'meetings', id: e.data.meetingId }];
  if (e.type === 'ExpenditureRecorded' || e.type === 'ExpenditureCorrected' || e.type === 'ExpenditureVoided') return [{ table: 'expenditures', id: e.data.expenditureId }];
  if (e.type === 'BudgetSet') return [{ table: 'budgets', id: `${e.data.collaborativeId}_${e.data.category}` }];
  return [];
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** Times are written with any offset; lists and calendars sort on the UTC instant (text order of `Z` times). */
const utc = (time: string) => new Date(time).toISOString();
const plusMinutes = (time: string, minutes: number) => new Date(new Date(time).getTime() + minutes * 60_000).toISOString();

function evolve(store: RowStore, event: RecordedEvent): void {
  // When it happened: the command's time (metadata.occurredAt), else when it was stored.
  const occurred = event.metadata.occurredAt;
  const at = typeof occurred === 'string' ? occurred : event.recordedAt.toISOString();
  // Who did it: the actor the API recorded (its key's actor id and role).
  const by = { actorId: event.metadata.actorId, actorRole: event.metadata.actorRole };
  type Patch = (row: Record<string, unknown>) => Record<string, unknown>;
  // Changes a known row and says whether it was known: a child row is written only with its parent.
  // `position`: the last event applied to the row; a read leaves out child rows past it (schedule-history.ts).
  const changed = (table: 'site_visits' | 'meetings', id: string, patch: Patch): boolean => {
    const row = store.get(table, id);
    if (row) store.put(table, { ...row, ...patch(row), updated_at: at, position: event.globalPosition });
    return !!row;
  };
  const change = (table: 'site_visits' | 'meetings', id: string, patch: Patch): void => void changed(table, id, patch);
  if (DELIVERY_TYPES.has(event.type)) {
    // The meeting or visit row only moves its updated_at (and position); the delivery is a row of its own.
    const d = event.data as DeliveryData;
    if (d.meetingId) {
      if (changed('meetings', d.meetingId, () => ({}))) store.put('meeting_deliveries', deliveryRow(event, d, { meeting_id: d.meetingId }));
    } else if (d.visitId) {
      if (changed('site_visits', d.visitId, () => ({}))) store.put('site_visit_deliveries', deliveryRow(event, d, { visit_id: d.visitId }));
    }
    return;
  }
  const e = typed(event);
  switch (e.type) {
    case 'SiteVisitScheduled': {
      const d = e.data;
      store.put('site_visits', {
        id: d.visitId, collaborative_id: d.collaborativeId, agency_id: d.agencyId, coach_id: d.coachId, scheduled_at: d.scheduledAt,
        scheduled_at_utc: utc(d.scheduledAt), agenda: d.agenda, status: 'scheduled', reschedules: 0, reschedule_history: [], completed_on: null, summary: null, cancel_reason: null,
        cancelled_at: null, completed_by: null, sequence: 0, scheduled_by: by, created_at: at, updated_at: at, position: event.globalPosition,
      });
      return;
    }
    case 'SiteVisitRescheduled':
      return change('site_visits', e.data.visitId, (r) => ({
        scheduled_at: e.data.scheduledAt,
        scheduled_at_utc: utc(e.data.scheduledAt),
        reschedules: Number(r.reschedules ?? 0) + 1,
        reschedule_history: [...list(r.reschedule_history), { from: e.data.previousScheduledAt, to: e.data.scheduledAt, reason: e.data.reason ?? null, at, by }],
        sequence: Number(r.sequence ?? 0) + 1,
      }));
    case 'SiteVisitCancelled':
      return change('site_visits', e.data.visitId, (r) => ({ status: 'cancelled', cancel_reason: e.data.reason, cancelled_at: at, sequence: Number(r.sequence ?? 0) + 1 }));
    case 'SiteVisitCompleted':
      return change('site_visits', e.data.visitId, () => ({ status: 'completed', completed_on: e.data.completedOn, summary: e.data.summary, completed_by: by }));
    case 'MeetingScheduled': {
      const d = e.data;
      store.put('meetings', {
        id: d.meetingId, collaborative_id: d.collaborativeId, kind: d.kind, modality: d.modality, starts_at: d.startsAt,
        starts_at_utc: utc(d.startsAt), ends_at_utc: plusMinutes(d.startsAt, d.durationMinutes),
        duration_minutes: d.durationMinutes, location: d.location ?? null, call_in: d.callIn ?? null, agenda: d.agenda,
        invited_agency_ids: [...d.invitedAgencyIds], presenter_agency_ids: [], status: 'scheduled', attendance: null,
        present_count: null, absent_count: null, minutes_status: 'none', minutes: null, minutes_published_at: null,
        reschedule_history: [], cancel_reason: null, cancelled_at: null, sequence: 0, scheduled_by: by,
        created_at: at, updated_at: at, position: event.globalPosition,
        // Issue 16 (absent from events stored before it: empty, as those meetings had none).
        invited_organisation_ids: d.invitedOrganisationIds ?? [], invited_person_ids: d.invitedPersonIds ?? [], audiences: d.audiences ?? [],
        facilitators: d.facilitators ?? [], presenters: d.presenters ?? [], credit_hours: d.creditHours ?? null, person_attendance: {}, registered_count: 0,
      });
      return;
    }
    case 'MeetingRescheduled':
      return change('meetings', e.data.meetingId, (r) => ({
        starts_at: e.data.startsAt,
        starts_at_utc: utc(e.data.startsAt),
        ends_at_utc: plusMinutes(e.data.startsAt, Number(r.duration_minutes)),
        reschedule_history: [...list(r.reschedule_history), { from: e.data.previousStartsAt, to: e.data.startsAt, reason: e.data.reason ?? null, at, by }],
        sequence: Number(r.sequence ?? 0) + 1,
      }));
    case 'MeetingCancelled':
      return change('meetings', e.data.meetingId, (r) => ({ status: 'cancelled', cancel_reason: e.data.reason, cancelled_at: at, sequence: Number(r.sequence ?? 0) + 1 }));
    case 'PresentersAssigned':
      return change('meetings', e.data.meetingId, () => ({ presenter_agency_ids: [...e.data.agencyIds] }));
    case 'AttendanceRecorded':
      return change('meetings', e.data.meetingId, (r) => {
        const attendance: Record<string, { present: boolean; attendees: string[] }> = { ...((r.attendance as object | null) ?? {}) };
        for (const a of e.data.attendance) attendance[a.agencyId] = { present: a.present, attendees: a.attendees };
        const entries = Object.values(attendance);
        return { attendance, present_count: entries.filter((a) => a.present).length, absent_count: entries.filter((a) => !a.present).length };
      });
    // The row keeps the current minutes; each version, with who and when, is a meeting_minutes row.
    case 'MinutesPublished':
      if (changed('meetings', e.data.meetingId, () => ({ minutes_status: 'published', minutes: e.data.minutes, minutes_published_at: at })))
        store.put('meeting_minutes', minutesRow(event, e.data.meetingId, { action: 'published', minutes: e.data.minutes, reason: null, at, by }));
      return;
    case 'MinutesCorrected':
      if (changed('meetings', e.data.meetingId, () => ({ minutes_status: 'corrected', minutes: e.data.minutes })))
        store.put('meeting_minutes', minutesRow(event, e.data.meetingId, { action: 'corrected', minutes: e.data.minutes, reason: e.data.reason, at, by }));
      return;
    case 'ExpenditureRecorded': {
      const d = e.data;
      store.put('expenditures', {
        id: d.expenditureId, collaborative_id: d.collaborativeId, category: d.category, amount_cents: d.amountCents,
        spent_on: d.spentOn, note: d.note ?? null, recorded_at: at, status: 'recorded', corrections: [], void_reason: null,
      });
      return;
    }
    case 'ExpenditureCorrected': {
      // The row shows the corrected record; what it was, why and who corrected it stay in `corrections`.
      const d = e.data;
      const row = store.get('expenditures', d.expenditureId);
      if (!row) return;
      const was = { amountCents: Number(row.amount_cents), category: row.category, spentOn: row.spent_on, note: row.note ?? null };
      store.put('expenditures', {
        ...row, category: d.category, amount_cents: d.amountCents, spent_on: d.spentOn, note: d.note ?? null, status: 'corrected',
        corrections: [...list(row.corrections), { was, reason: d.reason, at, by }],
      });
      return;
    }
    case 'ExpenditureVoided': {
      const row = store.get('expenditures', e.data.expenditureId);
      if (row) store.put('expenditures', { ...row, status: 'voided', void_reason: e.data.reason, corrections: [...list(row.corrections), { was: null, reason: e.data.reason, at, by }] });
      return;
    }
    case 'BudgetSet': {
      const d = e.data;
      store.put('budgets', { id: `${d.collaborativeId}_${d.category}`, collaborative_id: d.collaborativeId, category: d.category, amount_cents: d.amountCents, reason: d.reason ?? null, set_at: at });
      return;
    }
    default:
      return evolveMeetingPeople(store, e, at, (id, patch) => change('meetings', id, patch));
  }
}

/**
 * Site visits (reschedules, summary), meetings (attendance with attendees, minutes with every
 * correction, what was sent: child tables in schedule-history.ts) and expenditures. Holds attendee
 * names (personal) and free text.
 */
export const scheduleProjection: Projection = {
  name: 'schedule',
  // v2: reschedule and minutes histories (who, when), cancellation, deliveries, the iCal sequence.
  // 3 (issue 16): expenditure corrections and voids, budgets.
  // v3 (issue 16): invitees beyond agencies, programme, credit hours, registrations and attendance per person.
  // v4 (issue 13): minutes history and deliveries in child rows (meeting_minutes, meeting_deliveries,
  // site_visit_deliveries) instead of arrays rewritten with the row on each correction or delivery.
  version: 4,
  holdsPersonalData: true,
  eventTypes,
  refs,
  evolve,
  tables: [
    {
      name: 'site_visits',
      columns: {
        collaborative_id: 'text', agency_id: 'text', coach_id: 'text', scheduled_at: 'text', scheduled_at_utc: 'text', agenda: 'text', status: 'text',
        reschedules: 'integer', reschedule_history: 'jsonb', completed_on: 'text', summary: 'text', cancel_reason: 'text',
        cancelled_at: 'text', completed_by: 'jsonb', sequence: 'integer', scheduled_by: 'jsonb', created_at: 'text',
        updated_at: 'text', position: 'bigint',
      },
      indexes: [['collaborative_id', 'scheduled_at_utc'], ['coach_id', 'scheduled_at_utc']],
    },
    {
      name: 'meetings',
      columns: {
        collaborative_id: 'text', kind: 'text', modality: 'text', starts_at: 'text', starts_at_utc: 'text', ends_at_utc: 'text', duration_minutes: 'integer', location: 'text',
        call_in: 'text', agenda: 'text', invited_agency_ids: 'text[]', presenter_agency_ids: 'text[]', status: 'text', attendance: 'jsonb',
        present_count: 'integer', absent_count: 'integer', minutes_status: 'text', minutes: 'text', minutes_published_at: 'text',
        reschedule_history: 'jsonb', cancel_reason: 'text', cancelled_at: 'text', sequence: 'integer',
        scheduled_by: 'jsonb', created_at: 'text', updated_at: 'text', position: 'bigint', ...meetingPeopleColumns,
      },
      indexes: [['collaborative_id', 'starts_at_utc']],
    },
    meetingPeopleTable,
    ...scheduleHistoryTables,
    {
      name: 'expenditures',
      columns: {
        collaborative_id: 'text', category: 'text', amount_cents: 'bigint', spent_on: 'text', note: 'text', recorded_at: 'text',
        // Issue 16: recorded, corrected or voided (a voided one is left out of totals), with each correction.
        status: 'text', corrections: 'jsonb', void_reason: 'text',
      },
      indexes: [['collaborative_id', 'category']],
    },
    {
      // Issue 16: a budget per expenditure category (the last BudgetSet).
      name: 'budgets',
      columns: { collaborative_id: 'text', category: 'text', amount_cents: 'bigint', reason: 'text', set_at: 'text' },
      indexes: [['collaborative_id', 'category']],
    },
  ],
};
