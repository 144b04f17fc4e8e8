import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type pg from 'pg';
import { UnrecoverableError } from 'bullmq';
import { contextFromTraceparent, inSpan, SpanKind } from '@convene/runtime';
import type { EventStore } from '@convene/eventstore';
import { claimDelivery, persistently, type Claim } from './claims';
import { insertDeliveryRows } from './planner-rows';
import { deliveryEventSchemas, deliveryIdempotencyKey, deliveryStreamId } from './delivery-events';
import { networkReader } from './kinds/network-reader';
import { defaultKinds, directoryReader, kindRegistry, type ComposeContext, type Composed, type DeliveryRow, type MessageKind } from './kinds';
import { isPermanentMailError, type Mailer } from './mailer';
import type { Clock, Logger } from './types';

export interface DeliveryJobData {
  key: string;
}

export type DeliveryOutcome = 'sent' | 'already-sent' | 'cancelled' | 'skipped' | 'busy';

export interface ProcessorDeps {
  pool: pg.Pool;
  store: EventStore;
  mailer: Mailer;
  clock: Clock;
  from: string;
  logger: Logger;
  /** How long a claim on a delivery row lasts unrenewed (a dead sender's claim frees after it). Default 30 s. */
  claimMs?: number;
  /** The message kinds this worker sends (default: every kind of this code). */
  kinds?: ReadonlyMap<string, MessageKind>;
  /** PUBLIC_BASE_URL: links in messages (default http://127.0.0.1:3000, npm start's API). */
  publicBaseUrl?: string;
}

const defaultRegistry = kindRegistry(defaultKinds);
const kindOf = (deps: ProcessorDeps, row: DeliveryRow): MessageKind => {
  const kind = (deps.kinds ?? defaultRegistry).get(row.kind);
  // A row planned by a newer worker (a rolling deploy): retried, perhaps by a worker that knows it.
  if (!kind) throw new Error(`no message kind ${row.kind} is wired in this worker (delivery ${row.key})`);
  return kind;
};

/** What to send for a row, resolved now (recipients from the read models at least as new as its planning). */
function composeContext(deps: ProcessorDeps, row: DeliveryRow): ComposeContext {
  const atLeast = Number(row.planned_at_position ?? 0);
  return {
    pool: deps.pool,
    store: deps.store,
    clock: deps.clock,
    directory: directoryReader(deps.pool, atLeast),
    network: networkReader(deps.pool, atLeast),
    publicBaseUrl: deps.publicBaseUrl ?? process.env.PUBLIC_BASE_URL ?? 'http://127.0.0.1:3000',
  };
}
function compose(deps: ProcessorDeps, row: DeliveryRow): Promise<Composed | null> {
  return kindOf(deps, row).compose(composeContext(deps, row), row);
}

/**
 * A people row (kinds/meeting-people.ts) sends nothing itself: it adds one row per person, due now,
 * planned at its own position, each key once (a retry after a crash adds nobody twice), and is
 * marked skipped. The dispatcher sends the new rows like any other.
 */
async function fanOut(deps: ProcessorDeps, row: DeliveryRow): Promise<void> {
  const kind = kindOf(deps, row);
  const rows = kind.fanOut ? ((await kind.fanOut(composeContext(deps, row), row)) ?? []) : [];
  await insertDeliveryRows(deps.pool, rows, { position: row.planned_at_position, traceparent: row.payload.traceparent });
}

const instance = `${os.hostname()}:${process.pid}`;

/**
 * Sends one planned delivery at most once: under a claim on its row (claims.ts; no two senders
 * at once, in any process, behind any pooler) it skips cancelled rows and keys whose delivery
 * event exists, sends, and — before anything else — records on the row that the SMTP server
 * accepted it (with the delivery event's data), then appends the delivery event with the key as
 * idempotency key. A database error after the acceptance (issue 11.9) makes BullMQ retry; the
 * retry finds the acceptance and records the event instead of sending again. The one window left
 * is a crash between the SMTP answer and that first write; the Message-ID is deterministic so
 * receivers can deduplicate it.
 */
export async function processDelivery(deps: ProcessorDeps, key: string): Promise<DeliveryOutcome> {
  const owner = `${instance}:${randomUUID()}`;
  // Whether its delivery event exists is read with the claim: every delivery event is appended with
  // the idempotency key `delivery-<key>` (record below), whose row commits with the event and is
  // never swept (the sweep removes `api:` keys only). One index look-up, where it used to scan the
  // collaborative's delivery stream, which grows with every message (issue 13).
  const claim = await claimDelivery(deps.pool, key, owner, deps.claimMs ?? 30_000, () =>
    deps.logger.error({ key }, 'delivery claim lost while sending (the database was away longer than the claim)'),
    { recordedKey: deliveryIdempotencyKey(key) },
  );
  if (!claim) return 'cancelled';
  try {
    const row = claim.row;
    if (row.status === 'cancelled') return 'cancelled';
    if (row.status === 'skipped') return 'skipped';
    if (claim.recorded) {
      await claim.finish('sent', deps.clock());
      return 'already-sent';
    }
    if (row.accepted_at && row.accepted_info) {
      // Sent before, but the record failed: record it now, never send again.
      await record(deps, claim, row.accepted_info);
      return 'already-sent';
    }
    if (row.payload.fanOut) {
      await fanOut(deps, row);
      await claim.finish('skipped', deps.clock());
      return 'skipped';
    }
    const composed = await compose(deps, row);
    if (!composed || composed.recipients.length === 0) {
      await claim.finish('skipped', deps.clock());
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
    // The SMTP server accepted it: that is written first (retried through a passing outage), so
    // no later failure can make a retry send it again.
    await persistently(`recording that ${key} was accepted`, () =>
      deps.pool.query(`UPDATE scheduled_deliveries SET accepted_at = now(), accepted_info = $2 WHERE key = $1`, [key, JSON.stringify(data)]),
    );
    await record(deps, claim, data);
    return 'sent';
  } finally {
    await claim.release();
  }
}

/** Appends the delivery event (idempotent by the key) and marks the row sent. */
async function record(deps: ProcessorDeps, claim: Claim, data: Record<string, unknown>): Promise<void> {
  const row = claim.row;
  const type = kindOf(deps, row).recordedAs;
  // Validated like any event before it is appended.
  deliveryEventSchemas[type].schema.parse(data);
  await deps.store.appendToStream(deliveryStreamId(row.collaborative_id), [{ type, data }], {
    expectedVersion: 'any',
    metadata: { actorId: 'worker', actorRole: 'system', correlationId: row.key, occurredAt: String(data.sentAt) },
    idempotency: { key: deliveryIdempotencyKey(row.key), fingerprint: row.key },
  });
  await claim.finish('sent', deps.clock());
}
