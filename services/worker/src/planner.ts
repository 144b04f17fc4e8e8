import { catalogueReports, DATE_MAX, DATE_MIN } from '@convene/domain';
import type { RecordedEvent } from '@convene/eventstore';
import { deliveryKeys } from './keys';
import { cancelRows, clampDate, eventTime, insertRows, plannable, reminderDueTimes, type Data, type Row } from './planner-rows';
import { loadDeliverySettings, type DeliverySettings } from './settings';
import type { Db as Queryable, Logger } from './types';

// What each planned event does to the worker's tables and scheduled_deliveries (one event at a
// time, inside the reactor's transaction).

export function createPlanner(deps: { logger?: Logger }) {
  const settingsCache = new Map<string, DeliverySettings>();
  const settings = async (c: Queryable, collaborativeId: string) => {
    const cached = settingsCache.get(collaborativeId);
    if (cached) return cached;
    const loaded = await loadDeliverySettings(c, collaborativeId);
    settingsCache.set(collaborativeId, loaded);
    return loaded;
  };

  const meetingReminders = async (c: Queryable, m: { meetingId: string; collaborativeId: string; startsAt: string; invited: string[] }, now: Date): Promise<Row[]> => {
    const s = await settings(c, m.collaborativeId);
    return reminderDueTimes(m.startsAt, s.meetingReminderOffsetsMinutes, now).flatMap(({ offset, dueAt }) =>
      m.invited.map((agencyId) => ({
        key: deliveryKeys.meetingReminder(m.meetingId, offset, m.startsAt, agencyId),
        kind: 'meeting-reminder' as const,
        collaborativeId: m.collaborativeId,
        subjectId: m.meetingId,
        dueAt,
        payload: { meetingId: m.meetingId, agencyId, offsetMinutes: offset, startsAt: m.startsAt },
      })),
    );
  };

  const visitReminders = async (c: Queryable, d: Data, now: Date): Promise<Row[]> => {
    const s = await settings(c, d.collaborativeId);
    return reminderDueTimes(d.scheduledAt, s.siteVisitReminderOffsetsMinutes, now).map(({ offset, dueAt }) => ({
      key: deliveryKeys.siteVisitReminder(d.visitId, offset, d.scheduledAt),
      kind: 'sitevisit-reminder' as const,
      collaborativeId: d.collaborativeId,
      subjectId: d.visitId,
      dueAt,
      payload: { visitId: d.visitId, agencyId: d.agencyId, offsetMinutes: offset, scheduledAt: d.scheduledAt },
    }));
  };

  const followUps = (meetingId: string, collaborativeId: string, absent: string[], now: Date): Row[] =>
    absent.map((agencyId) => ({
      key: deliveryKeys.followUp(meetingId, agencyId),
      kind: 'follow-up' as const,
      collaborativeId,
      subjectId: meetingId,
      dueAt: now,
      payload: { meetingId, agencyId },
    }));

  async function apply(c: Queryable, e: RecordedEvent): Promise<void> {
    const d = e.data as Data;
    const now = eventTime(e);
    const pos = e.globalPosition;
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
      case 'CollaborativeClosed':
        await c.query('UPDATE worker_collaboratives SET closed = true WHERE collaborative_id = $1', [d.collaborativeId]);
        return;
      case 'CollaborativeDatesCorrected':
        // Issue 16: the months and quarters owed follow the corrected span.
        await c.query('UPDATE worker_collaboratives SET starts_on = $2, ends_on = $3 WHERE collaborative_id = $1', [d.collaborativeId, clampDate(String(d.startsOn)), clampDate(String(d.endsOn))]);
        return;
      case 'AgencyAdmitted':
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
        await c.query('UPDATE worker_agencies SET baseline_to = $3 WHERE collaborative_id = $1 AND agency_id = $2', [
          d.collaborativeId,
          d.agencyId,
          String(d.period.to).slice(0, 7),
        ]);
        return;
      case 'MonthlyMeasuresRecorded':
      case 'MeasuresSubmitted': {
        // A submission of a month counts as the month recorded, of a quarter as the quarter recorded.
        const month = e.type === 'MonthlyMeasuresRecorded' ? d.month : /^\d{4}-\d{2}$/.test(String(d.period)) ? d.period : null;
        const quarter = e.type === 'MeasuresSubmitted' && /^\d{4}-Q[1-4]$/.test(String(d.period)) ? d.period : null;
        if (month)
          await c.query(
            `UPDATE worker_agencies SET months = array_append(months, $3)
             WHERE collaborative_id = $1 AND agency_id = $2 AND NOT ($3 = ANY (months))`,
            [d.collaborativeId, d.agencyId, month],
          );
        if (quarter)
          await c.query(
            `UPDATE worker_agencies SET quarters = array_append(quarters, $3)
             WHERE collaborative_id = $1 AND agency_id = $2 AND NOT ($3 = ANY (quarters))`,
            [d.collaborativeId, d.agencyId, quarter],
          );
        return;
      }
      case 'MeetingScheduled': {
        if (!plannable(d.startsAt)) {
          deps.logger?.warn({ meetingId: d.meetingId, startsAt: d.startsAt }, `meeting outside ${DATE_MIN}..${DATE_MAX}: not planned`);
          return;
        }
        await c.query(
          `INSERT INTO worker_meetings (meeting_id, collaborative_id, starts_at, status, invited)
           VALUES ($1, $2, $3, 'scheduled', $4) ON CONFLICT (meeting_id) DO NOTHING`,
          [d.meetingId, d.collaborativeId, d.startsAt, JSON.stringify(d.invitedAgencyIds)],
        );
        await insertRows(c, await meetingReminders(c, { ...(d as any), invited: d.invitedAgencyIds }, now), e);
        return;
      }
      case 'MeetingRescheduled': {
        if (!plannable(d.startsAt)) {
          await cancelRows(c, d.meetingId, 'meeting-reminder');
          return;
        }
        const { rows } = await c.query<{ invited: string[] }>(
          `UPDATE worker_meetings SET starts_at = $2 WHERE meeting_id = $1 RETURNING invited`,
          [d.meetingId, d.startsAt],
        );
        await cancelRows(c, d.meetingId, 'meeting-reminder');
        const invited = rows[0]?.invited ?? [];
        await insertRows(c, await meetingReminders(c, { meetingId: d.meetingId, collaborativeId: d.collaborativeId, startsAt: d.startsAt, invited }, now), e);
        return;
      }
      case 'MeetingCancelled':
        await c.query(`UPDATE worker_meetings SET status = 'cancelled' WHERE meeting_id = $1`, [d.meetingId]);
        await cancelRows(c, d.meetingId, 'meeting-reminder');
        return;
      case 'AttendanceRecorded': {
        const entries = d.attendance as { agencyId: string; present: boolean }[];
        const { rows } = await c.query<{ absent: string[]; minutes_published: boolean }>(
          'SELECT absent, minutes_published FROM worker_meetings WHERE meeting_id = $1 FOR UPDATE',
          [d.meetingId],
        );
        const row = rows[0];
        if (!row) return;
        const absent = new Set(row.absent);
        for (const a of entries) {
          if (a.present) absent.delete(a.agencyId);
          else absent.add(a.agencyId);
        }
        await c.query(`UPDATE worker_meetings SET status = 'held', absent = $2 WHERE meeting_id = $1`, [d.meetingId, JSON.stringify([...absent])]);
        if (row.minutes_published) {
          const newlyAbsent = entries.filter((a) => !a.present).map((a) => a.agencyId);
          await insertRows(c, followUps(d.meetingId, d.collaborativeId, newlyAbsent, now), e);
        }
        return;
      }
      case 'MinutesPublished': {
        const { rows } = await c.query<{ invited: string[]; absent: string[] }>(
          `UPDATE worker_meetings SET minutes_published = true WHERE meeting_id = $1 RETURNING invited, absent`,
          [d.meetingId],
        );
        const m = rows[0];
        if (!m) return;
        const minutes: Row[] = m.invited.map((agencyId) => ({
          key: deliveryKeys.minutes(d.meetingId, agencyId),
          kind: 'minutes',
          collaborativeId: d.collaborativeId,
          subjectId: d.meetingId,
          dueAt: now,
          payload: { meetingId: d.meetingId, agencyId },
        }));
        await insertRows(c, [...minutes, ...followUps(d.meetingId, d.collaborativeId, m.absent, now)], e);
        return;
      }
      case 'SiteVisitScheduled':
        await insertRows(c, await visitReminders(c, d, now), e);
        return;
      case 'SiteVisitRescheduled':
        await cancelRows(c, d.visitId, 'sitevisit-reminder');
        await insertRows(c, await visitReminders(c, d, now), e);
        return;
      case 'SiteVisitCancelled':
      case 'SiteVisitCompleted':
        await cancelRows(c, d.visitId, 'sitevisit-reminder');
        return;
      default:
        return;
    }
  }

  return {
    apply,
    /** Settings may change between batches. */
    clearCache: () => settingsCache.clear(),
  };
}

