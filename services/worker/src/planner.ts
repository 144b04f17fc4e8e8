import { catalogueReports, DATE_MAX, DATE_MIN, evolveStream, type CollaborativeState } from '@convene/domain';
import type { EventStore, RecordedEvent } from '@convene/eventstore';
import { defaultKinds, type MessageKind, type PlanContext } from './kinds';
import { invitesOthers } from './kinds/meeting-people';
import { cancelRows, clampDate, eventTime, insertRows, plannable, type Data } from './planner-rows';
import { loadDeliverySettings, type DeliverySettings } from './settings';
import type { RecordedPeriods } from './recorded-periods';
import { recordAbsent } from './meeting-absent';
import type { MeetingRow } from './kinds/types';
import type { Db as Queryable, Logger } from './types';

// What each planned event does, one event at a time inside the reactor's transaction: first the
// planner's own bookkeeping (worker_* tables: ids and dates the kinds plan by, no personal data),
// then every message kind that plans from that event type (kinds/<kind>.ts).

/** Event types the bookkeeping itself follows. */
export const bookkeepingEventTypes = [
  'CollaborativeLaunched', 'CollaborativeClosed', 'MeasureDefined', 'MeasureRetired', 'AgencyAdmitted', 'AgencyWithdrawn', 'ParticipationCompleted',
  'BaselineRecorded', 'MonthlyMeasuresRecorded',
  // Issue 16: a corrected span or baseline changes what is owed.
  'CollaborativeDatesCorrected', 'BaselinePeriodCorrected', 'BaselineCorrected', 'MeasuresSubmitted', 'MeetingScheduled', 'MeetingRescheduled', 'MeetingCancelled',
  'AttendanceRecorded', 'MinutesPublished',
  // Issue 16: people and audiences invited (at scheduling or later), people registering.
  'MeetingInviteesAdded', 'RegisteredForMeeting', 'MeetingProgrammeSet',
];

/** Every event type the planner reads: its bookkeeping's and the kinds'. */
export const plannedEventTypesOf = (kinds: readonly MessageKind[]) => [...new Set([...bookkeepingEventTypes, ...kinds.flatMap((k) => k.plansOn ?? [])])];

/** What bookkeeping left of a meeting's row when it wrote one (the follow-up kind reads it: issue 13). */
type Kept = { meeting?: MeetingRow | null } | void;

/**
 * A collaborative's catalogue as it stood at `version` of its stream (read through the store, upcast
 * and unsealed as the API reads it). Only a retirement needs it: its event names the measure alone,
 * and whether a period is still owed depends on every other measure of that period.
 */
async function catalogueAt(store: EventStore, streamId: string, version: number): Promise<unknown[]> {
  const { events } = await store.readStream(streamId, { toVersion: version });
  const state = evolveStream('collaborative', events) as CollaborativeState;
  return 'catalogue' in state ? state.catalogue : [];
}

async function bookkeeping(c: Queryable, e: RecordedEvent, deps: PlannerDeps, periods?: RecordedPeriods): Promise<Kept> {
  const logger = deps.logger;
  const d = e.data as Data;
  switch (e.type) {
    case 'CollaborativeLaunched':
      await c.query(
        `INSERT INTO worker_collaboratives (collaborative_id, starts_on, ends_on, monthly_data, quarterly_data) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (collaborative_id) DO NOTHING`,
        [d.collaborativeId, clampDate(String(d.startsOn)), clampDate(String(d.endsOn)), catalogueReports(d.catalogue, 'monthly'), catalogueReports(d.catalogue, 'quarterly')],
      );
      return;
    case 'MeasureDefined':
      if (catalogueReports([d.measure], 'monthly')) await c.query('UPDATE worker_collaboratives SET monthly_data = true WHERE collaborative_id = $1', [d.collaborativeId]);
      if (catalogueReports([d.measure], 'quarterly')) await c.query('UPDATE worker_collaboratives SET quarterly_data = true WHERE collaborative_id = $1', [d.collaborativeId]);
      return;
    case 'MeasureRetired': {
      // The last measure of a period retired: its data is no longer chased (catalogueReports).
      if (!deps.store) throw new Error('the planner needs the event store to follow MeasureRetired');
      const catalogue = await catalogueAt(deps.store, e.streamId, e.streamVersion);
      await c.query('UPDATE worker_collaboratives SET monthly_data = $2, quarterly_data = $3 WHERE collaborative_id = $1', [
        d.collaborativeId, catalogueReports(catalogue, 'monthly'), catalogueReports(catalogue, 'quarterly'),
      ]);
      return;
    }
    case 'CollaborativeClosed':
      await c.query('UPDATE worker_collaboratives SET closed = true WHERE collaborative_id = $1', [d.collaborativeId]);
      return;
    case 'CollaborativeDatesCorrected':
      // Issue 16: the months and quarters owed follow the corrected span.
      await c.query('UPDATE worker_collaboratives SET starts_on = $2, ends_on = $3 WHERE collaborative_id = $1', [d.collaborativeId, clampDate(String(d.startsOn)), clampDate(String(d.endsOn))]);
      return;
    case 'AgencyAdmitted':
      await periods?.flush(c); // the row may be created here: no period recorded before it lands in it
      await c.query(
        `INSERT INTO worker_agencies (collaborative_id, agency_id, active) VALUES ($1, $2, true)
         ON CONFLICT (collaborative_id, agency_id) DO UPDATE SET active = true`,
        [d.collaborativeId, d.agencyId],
      );
      return;
    case 'AgencyWithdrawn':
    case 'ParticipationCompleted':
      await c.query('UPDATE worker_agencies SET active = false WHERE collaborative_id = $1 AND agency_id = $2', [d.collaborativeId, d.agencyId]);
      return;
    case 'BaselineRecorded':
    case 'BaselineCorrected':
    case 'BaselinePeriodCorrected':
      await c.query('UPDATE worker_agencies SET baseline_to = $3 WHERE collaborative_id = $1 AND agency_id = $2', [d.collaborativeId, d.agencyId, String(d.period.to).slice(0, 7)]);
      return;
    case 'MonthlyMeasuresRecorded':
    case 'MeasuresSubmitted': {
      // A submission of a month counts as the month recorded, of a quarter as the quarter recorded.
      const month = e.type === 'MonthlyMeasuresRecorded' ? d.month : /^\d{4}-\d{2}$/.test(String(d.period)) ? d.period : null;
      const quarter = e.type === 'MeasuresSubmitted' && /^\d{4}-Q[1-4]$/.test(String(d.period)) ? d.period : null;
      if (periods) return periods.add(d.collaborativeId, d.agencyId, { month, quarter });
      if (month)
        await c.query(
          `UPDATE worker_agencies SET months = array_append(months, $3) WHERE collaborative_id = $1 AND agency_id = $2 AND NOT ($3 = ANY (months))`,
          [d.collaborativeId, d.agencyId, month],
        );
      if (quarter)
        await c.query(
          `UPDATE worker_agencies SET quarters = array_append(quarters, $3) WHERE collaborative_id = $1 AND agency_id = $2 AND NOT ($3 = ANY (quarters))`,
          [d.collaborativeId, d.agencyId, quarter],
        );
      return;
    }
    case 'MeetingScheduled':
      if (!plannable(d.startsAt)) {
        logger?.warn({ meetingId: d.meetingId, startsAt: d.startsAt }, `meeting outside ${DATE_MIN}..${DATE_MAX}: not planned`);
        return;
      }
      await c.query(
        `INSERT INTO worker_meetings (meeting_id, collaborative_id, starts_at, status, invited, others)
         VALUES ($1, $2, $3, 'scheduled', $4, $5) ON CONFLICT (meeting_id) DO NOTHING`,
        [d.meetingId, d.collaborativeId, d.startsAt, JSON.stringify(d.invitedAgencyIds ?? []), invitesOthers(d)],
      );
      return;
    case 'MeetingInviteesAdded':
    case 'RegisteredForMeeting':
    case 'MeetingProgrammeSet':
      if (e.type !== 'MeetingProgrammeSet' || invitesOthers(d)) await c.query('UPDATE worker_meetings SET others = true WHERE meeting_id = $1', [d.meetingId]);
      return;
    case 'MeetingRescheduled':
      if (plannable(d.startsAt)) await c.query('UPDATE worker_meetings SET starts_at = $2 WHERE meeting_id = $1', [d.meetingId, d.startsAt]);
      return;
    case 'MeetingCancelled':
      await c.query(`UPDATE worker_meetings SET status = 'cancelled' WHERE meeting_id = $1`, [d.meetingId]);
      return;
    case 'AttendanceRecorded':
      return { meeting: await recordAbsent(c, d.meetingId, d.attendance as { agencyId: string; present: boolean }[]) };
    case 'MinutesPublished': {
      const { rows } = await c.query<MeetingRow>('UPDATE worker_meetings SET minutes_published = true WHERE meeting_id = $1 RETURNING absent, minutes_published', [d.meetingId]);
      return { meeting: rows[0] ?? null };
    }
    default:
      return;
  }
}

interface PlannerDeps {
  logger?: Logger;
  kinds?: readonly MessageKind[];
  /** Reads a collaborative's stream when a measure is retired (the reactor's store). */
  store?: EventStore;
}

export function createPlanner(deps: PlannerDeps) {
  const kinds = deps.kinds ?? defaultKinds;
  const settingsCache = new Map<string, DeliverySettings>();

  /**
   * Plans one event. With `periods`, the months and quarters it records wait there for the
   * batch's one statement (RecordedPeriods.flush, before the batch commits); without, they are written now.
   */
  async function apply(c: Queryable, e: RecordedEvent, periods?: RecordedPeriods): Promise<void> {
    const kept = await bookkeeping(c, e, deps, periods);
    const planning = kinds.filter((k) => k.plan && k.plansOn?.includes(e.type));
    if (planning.length === 0) return;
    const ctx: PlanContext = {
      db: c,
      event: e,
      now: eventTime(e),
      async settings(collaborativeId) {
        const cached = settingsCache.get(collaborativeId);
        if (cached) return cached;
        const loaded = await loadDeliverySettings(c, collaborativeId);
        settingsCache.set(collaborativeId, loaded);
        return loaded;
      },
      insert: (rows) => insertRows(c, rows, e),
      cancel: (subjectId, kind) => cancelRows(c, subjectId, kind),
      ...(kept && 'meeting' in kept ? { meeting: kept.meeting } : {}),
    };
    for (const kind of planning) await kind.plan!(ctx);
  }

  return {
    apply,
    /** Settings may change between batches. */
    clearCache: () => settingsCache.clear(),
  };
}
