import type pg from 'pg';
import { UnrecoverableError } from 'bullmq';
import { contextFromTraceparent, inSpan, SpanKind } from '@convene/runtime';
import type { EventStore } from '@convene/eventstore';
import { deliveryEventSchemas, deliveryEventTypeOf, deliveryIdempotencyKey, deliveryStreamId } from './delivery-events';
import { agencyDirectory, collaborativeDirectory, meetingDetails, visitDetails, type AgencyDirectory } from './directory';
import type { DeliveryKind } from './keys';
import { isPermanentMailError, type Mailer } from './mailer';
import * as messages from './messages';
import type { Composed } from './messages';
import type { Clock, Logger } from './types';

export interface DeliveryJobData {
  key: string;
}

export type DeliveryOutcome = 'sent' | 'already-sent' | 'cancelled' | 'skipped' | 'busy';

interface DeliveryRow {
  key: string;
  kind: DeliveryKind;
  collaborative_id: string;
  subject_id: string;
  payload: Record<string, any>;
  status: string;
}

export interface ProcessorDeps {
  pool: pg.Pool;
  store: EventStore;
  mailer: Mailer;
  clock: Clock;
  from: string;
  logger: Logger;
}

/** Whether a delivery event with this key is already recorded. */
export async function deliveryRecorded(db: pg.Pool | pg.PoolClient, collaborativeId: string, key: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM events WHERE stream_id = $1 AND data->>'deliveryKey' = $2 LIMIT 1`,
    [deliveryStreamId(collaborativeId), key],
  );
  return rows.length > 0;
}

/** What to send for a row, resolved now; null when there is nothing (left) to send. */
async function compose(deps: ProcessorDeps, row: DeliveryRow): Promise<(Composed & { extra: Record<string, unknown> }) | null> {
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
    default:
      return null;
  }
}

const finish = (db: pg.Pool | pg.PoolClient, key: string, status: 'sent' | 'skipped', at: Date) =>
  db.query(`UPDATE scheduled_deliveries SET status = $2, finished_at = $3 WHERE key = $1 AND status <> 'cancelled'`, [key, status, at]);

/**
 * Sends one planned delivery at most once: under a PostgreSQL advisory lock on its key (so a
 * stalled job re-run cannot overlap a still-running one, even in another process), it skips
 * cancelled rows and keys whose delivery event exists, sends, then records the delivery event
 * with the key as idempotency key. The one window left is a crash between the SMTP server's
 * acceptance and the append; the Message-ID is deterministic so receivers can deduplicate it.
 */
export async function processDelivery(deps: ProcessorDeps, key: string): Promise<DeliveryOutcome> {
  const lockClient = await deps.pool.connect();
  try {
    const { rows: lock } = await lockClient.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1), 6) AS ok', [key]);
    if (!lock[0]?.ok) throw new Error(`delivery ${key} is being processed elsewhere`);
    try {
      const { rows } = await lockClient.query<DeliveryRow>('SELECT * FROM scheduled_deliveries WHERE key = $1', [key]);
      const row = rows[0];
      if (!row || row.status === 'cancelled') return 'cancelled';
      if (row.status === 'skipped') return 'skipped';
      if (await deliveryRecorded(lockClient, row.collaborative_id, key)) {
        await finish(lockClient, key, 'sent', deps.clock());
        return 'already-sent';
      }
      const composed = await compose(deps, row);
      if (!composed || composed.recipients.length === 0) {
        await finish(lockClient, key, 'skipped', deps.clock());
        return 'skipped';
      }
      let info;
      try {
        // A child of the command's trace when the planning event carried one (reactor.ts).
        const traced = { parent: contextFromTraceparent(row.payload.traceparent), kind: SpanKind.CLIENT, attributes: { 'convene.delivery': key, 'convene.kind': row.kind } };
        info = await inSpan('worker.send', traced, () => deps.mailer.send({
          from: deps.from,
          to: composed.recipients.map((r) => ({ name: r.name, address: r.email })),
          subject: composed.subject,
          text: composed.text,
          html: composed.html,
          messageId: `<${key}@convene>`,
          headers: { 'X-Convene-Delivery': key },
          ...(composed.ics ? { icalEvent: { filename: 'invite.ics', method: 'PUBLISH', content: composed.ics } } : {}),
        }));
      } catch (error) {
        if (isPermanentMailError(error)) {
          throw new UnrecoverableError(`permanent SMTP failure for ${key}: ${(error as Error).message}`);
        }
        throw error;
      }
      const rejected = new Set(info.rejected.map((a) => a.toLowerCase()));
      const asRecipient = (r: (typeof composed.recipients)[number]) => ({ ...(r.personId ? { personId: r.personId } : {}), email: r.email, role: r.role });
      const recipients = composed.recipients.filter((r) => !rejected.has(r.email.toLowerCase())).map(asRecipient);
      // Refused addresses are recorded with their person, so the event store seals them under
      // that person's key (issue 12.12); an address the server names that was not ours stays bare.
      const refused = composed.recipients.filter((r) => rejected.has(r.email.toLowerCase()));
      const known = new Set(refused.map((r) => r.email.toLowerCase()));
      const rejectedOut = [...refused.map(asRecipient), ...[...rejected].filter((a) => !known.has(a))];
      const type = deliveryEventTypeOf(row.kind);
      // Validated like any event before it is appended.
      const data = {
        deliveryKey: key,
        kind: row.kind,
        collaborativeId: row.collaborative_id,
        subjectId: row.subject_id,
        ...(row.payload.agencyId ? { agencyId: row.payload.agencyId } : {}),
        recipients,
        rejected: rejectedOut,
        subject: composed.subject,
        messageId: info.messageId,
        sentAt: deps.clock().toISOString(),
        ...composed.extra,
      };
      deliveryEventSchemas[type].schema.parse(data);
      await deps.store.appendToStream(deliveryStreamId(row.collaborative_id), [{ type, data }], {
        expectedVersion: 'any',
        metadata: { actorId: 'worker', actorRole: 'system', correlationId: key, occurredAt: data.sentAt },
        idempotency: { key: deliveryIdempotencyKey(key), fingerprint: key },
      });
      await finish(lockClient, key, 'sent', deps.clock());
      return 'sent';
    } finally {
      await lockClient.query('SELECT pg_advisory_unlock(hashtext($1), 6)', [key]).catch(() => undefined);
    }
  } finally {
    lockClient.release();
  }
}
