import type { EventStore } from '@convene/eventstore';
import type pg from 'pg';
import { agencyDirectory, collaborativeDirectory, meetingDetails, visitDetails, type AgencyDirectory } from './directory';
import type { DeliveryKind } from './keys';
import * as messages from './messages';
import { composePacketNotice } from './packet/notice';
import type { Composed } from './messages';
import type { Clock } from './types';

// What a planned delivery sends, resolved from the store when it is sent (ids only are planned).

export interface DeliveryRow {
  key: string;
  kind: DeliveryKind;
  collaborative_id: string;
  subject_id: string;
  payload: Record<string, any>;
  status: string;
  accepted_at: Date | null;
  accepted_info: Record<string, unknown> | null;
}

export interface ComposeDeps {
  pool: pg.Pool;
  store: EventStore;
  clock: Clock;
}

/** What to send for a row, resolved now; null when there is nothing (left) to send. */
export async function compose(deps: ComposeDeps, row: DeliveryRow): Promise<(Composed & { extra: Record<string, unknown> }) | null> {
  const p = row.payload;
  const collab = await collaborativeDirectory(deps.store, row.collaborative_id);
  const agency = (id: string): Promise<AgencyDirectory> => agencyDirectory(deps.store, row.collaborative_id, id);
  switch (row.kind) {
    case 'meeting-reminder': {
      const m = await meetingDetails(deps.store, p.meetingId);
      // The plan is for one start time; a reschedule or cancel not yet planned must not send it.
      if (!m || m.status !== 'scheduled' || Date.parse(m.startsAt) !== Date.parse(p.startsAt)) return null;
      if (deps.clock().getTime() >= Date.parse(m.startsAt)) return null; // too late to remind
      return { ...messages.meetingReminder(collab.name, await agency(p.agencyId), m, p.offsetMinutes), extra: { meetingId: m.meetingId } };
    }
    case 'minutes': {
      const m = await meetingDetails(deps.store, p.meetingId);
      if (!m?.minutes) return null;
      return { ...messages.minutesMessage(collab.name, await agency(p.agencyId), m), extra: { meetingId: m.meetingId } };
    }
    case 'follow-up': {
      const m = await meetingDetails(deps.store, p.meetingId);
      if (!m?.minutes) return null;
      const { rows } = await deps.pool.query<{ meeting_id: string }>(
        `SELECT meeting_id FROM worker_meetings WHERE collaborative_id = $1 AND status <> 'cancelled'
           AND meeting_id <> $2 AND starts_at > greatest($3::timestamptz, $4::timestamptz) ORDER BY starts_at LIMIT 1`,
        [row.collaborative_id, m.meetingId, m.startsAt, deps.clock()],
      );
      const next = rows[0] ? await meetingDetails(deps.store, rows[0].meeting_id) : null;
      return {
        ...messages.followUpMessage(collab.name, await agency(p.agencyId), m, next),
        extra: { meetingId: m.meetingId, ...(next ? { nextMeetingId: next.meetingId } : {}) },
      };
    }
    case 'sitevisit-reminder': {
      const v = await visitDetails(deps.store, p.visitId);
      if (!v || v.status !== 'scheduled' || Date.parse(v.scheduledAt) !== Date.parse(p.scheduledAt)) return null;
      if (deps.clock().getTime() >= Date.parse(v.scheduledAt)) return null;
      return {
        ...messages.siteVisitReminder(collab.name, await agency(v.agencyId), collab.coaches.get(v.coachId) ?? null, v, p.offsetMinutes),
        extra: { visitId: v.visitId },
      };
    }
    case 'data-due': {
      const { rows } = await deps.pool.query<{ months: string[]; active: boolean }>(
        'SELECT months, active FROM worker_agencies WHERE collaborative_id = $1 AND agency_id = $2',
        [row.collaborative_id, p.agencyId],
      );
      const recorded = new Set(rows[0]?.months ?? []);
      const months = (p.months as string[]).filter((m) => !recorded.has(m));
      if (!rows[0]?.active || months.length === 0) return null;
      return { ...messages.dataDueMessage(collab.name, await agency(p.agencyId), months), extra: { months } };
    }
    case 'data-digest': {
      if (!collab.convener) return null;
      const missing = await Promise.all(
        (p.missing as { agencyId: string; months: string[] }[]).map(async (m) => ({ agencyName: (await agency(m.agencyId)).agencyName, months: m.months })),
      );
      return { ...messages.dataDigestMessage(collab.name, collab.convener, missing), extra: {} };
    }
    case 'packet-notice':
      return composePacketNotice(deps.store, row, collab.name);
    default:
      return null;
  }
}

