// The packet job (issue 18): under a claim on its generation row, waits until the read models
// include the request, renders one PDF per invited agency and the aggregate one, stores each in
// the object store and records it in the meeting's binder (AttachDocument: an agency's packet is
// that agency's document, the aggregate one collaborative-wide), then plans one notice per agency
// for its Change Leader. Every step is idempotent: documents have name-based ids (a retry skips
// those recorded), notice rows have deterministic keys.
import { createHash, randomUUID } from 'node:crypto';
import os from 'node:os';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { executeCommand, isDomainError, streamIds, type EventStorePort } from '@convene/domain';
import type { EventStore } from '@convene/eventstore';
import type { DocumentStore } from '@convene/object-store';
import { createDb } from '@convene/db';
import { isCaughtUp } from '@convene/projections';
import { UnrecoverableError } from 'bullmq';
import { v7 as uuidv7 } from 'uuid';
import { claimDelivery } from '../claims';
import { ReadModelBehind } from '../kinds/read-models';
import { meetingDetails } from '../kinds/subjects';
import type { Clock, Logger } from '../types';
import { gatherPacket, type PacketData } from './gather';
import { PACKET_NOTICE_KIND, packetDocumentId, packetKeys } from './keys';
import { renderAgencyPacket, renderAggregatePacket } from './render';

export interface PacketDeps {
  pool: pg.Pool;
  store: EventStore;
  objects: DocumentStore;
  clock: Clock;
  logger: Logger;
  claimMs?: number;
}

export type PacketOutcome = 'prepared' | 'already-prepared' | 'cancelled';

interface Payload {
  meetingId: string;
  packetId: string;
  agencyIds: string[];
  requestedAt: string;
  position: number;
}

const READ_MODELS = ['directory', 'measures', 'change_projects'];
const instance = `${os.hostname()}:${process.pid}`;

/** The reports must include the request (and what came before it); else the sender delays the job without spending an attempt. */
async function requireReadModels(deps: PacketDeps, position: number): Promise<void> {
  if (!(await isCaughtUp(createDb(deps.pool), position, READ_MODELS))) throw new ReadModelBehind(READ_MODELS.join(', '), null, position);
}

const day = (iso: string) => iso.slice(0, 10);

async function recorded(store: EventStore, documentId: string): Promise<boolean> {
  const { events } = await store.readStream(streamIds.document(documentId));
  return events.length > 0;
}

/** Stores one PDF and records it in the binder; drops the object when the command does not keep it. */
async function attach(deps: PacketDeps, p: { collaborativeId: string; meetingId: string; documentId: string; agencyId: string | null; fileName: string; description: string; documentDate: string; bytes: Buffer; key: string }) {
  const storageKey = `collaboratives/${p.collaborativeId}/documents/${p.documentId}/${uuidv7()}`;
  await deps.objects.put(storageKey, Readable.from([p.bytes]), { contentType: 'application/pdf' });
  try {
    await executeCommand(deps.store as unknown as EventStorePort, {
      type: 'AttachDocument',
      data: {
        documentId: p.documentId, collaborativeId: p.collaborativeId, target: { kind: 'meeting', id: p.meetingId }, ...(p.agencyId ? { agencyId: p.agencyId } : {}),
        fileName: p.fileName, contentType: 'application/pdf', size: p.bytes.length, sha256: createHash('sha256').update(p.bytes).digest('hex'), storageKey,
        description: p.description, documentDate: p.documentDate, uploadedBy: { actorId: 'worker', actorRole: 'system' },
      },
    }, { now: deps.clock().toISOString(), actorId: 'worker', actorRole: 'system', correlationId: p.key });
  } catch (error) {
    await deps.objects.delete(storageKey).catch(() => undefined);
    // Another attempt recorded it meanwhile: its file stands.
    if (isDomainError(error) && error.code === 'document_exists') return;
    // Refused for good (the collaborative closed since the request): no retry can succeed; a dead letter says why.
    if (isDomainError(error)) throw new UnrecoverableError(`packet document ${p.documentId} refused: ${error.code}`);
    throw error;
  }
}

async function storePackets(deps: PacketDeps, row: { key: string; collaborative_id: string }, p: Payload, data: PacketData): Promise<void> {
  const base = { collaborativeName: data.collaborativeName, meeting: data.meeting, poolName: data.poolName, measures: data.measures, generatedAt: p.requestedAt };
  const date = day(data.meeting.startsAt);
  const common = { collaborativeId: row.collaborative_id, meetingId: p.meetingId, documentDate: date, key: row.key };
  for (const a of data.agencies) {
    const documentId = packetDocumentId(p.packetId, a.agencyId);
    if (await recorded(deps.store, documentId)) continue;
    const bytes = await renderAgencyPacket({ ...base, agency: { agencyId: a.agencyId, name: a.name }, projects: a.projects });
    await attach(deps, { ...common, documentId, agencyId: a.agencyId, fileName: `Meeting packet ${date} - ${a.name}.pdf`, description: `Change Leader meeting packet for ${a.name} (packet ${p.packetId})`, bytes });
  }
  const aggregateId = packetDocumentId(p.packetId, null);
  if (!(await recorded(deps.store, aggregateId))) {
    const bytes = await renderAggregatePacket(base);
    await attach(deps, { ...common, documentId: aggregateId, agencyId: null, fileName: `Meeting packet ${date} - ${data.poolName} aggregate.pdf`, description: `Aggregate meeting packet, ${data.poolName} (packet ${p.packetId})`, bytes });
  }
}

/** Renders and stores a meeting's packets, then plans the Change Leaders' notices; at most once per packet. */
export async function processPacket(deps: PacketDeps, key: string): Promise<PacketOutcome> {
  const claim = await claimDelivery(deps.pool, key, `${instance}:${randomUUID()}`, deps.claimMs ?? 30_000, () =>
    deps.logger.error({ key }, 'packet claim lost while rendering'),
  );
  if (!claim) return 'cancelled';
  try {
    const row = claim.row;
    if (row.status === 'cancelled' || row.status === 'skipped') return 'cancelled';
    if (row.status === 'sent') return 'already-prepared';
    const p = row.payload as Payload;
    await requireReadModels(deps, Number(p.position));
    const m = await meetingDetails(deps.store, p.meetingId);
    if (!m) throw new Error(`meeting ${p.meetingId} not found for packet ${p.packetId}`);
    const data = await gatherPacket(createDb(deps.pool), {
      collaborativeId: row.collaborative_id, meeting: { meetingId: m.meetingId, kind: m.kind, startsAt: m.startsAt }, agencyIds: p.agencyIds,
    });
    await storePackets(deps, row, p, data);
    const now = deps.clock();
    for (const agencyId of p.agencyIds) {
      const payload = { meetingId: p.meetingId, packetId: p.packetId, agencyId, documentId: packetDocumentId(p.packetId, agencyId) };
      await deps.pool.query(
        `INSERT INTO scheduled_deliveries (key, kind, collaborative_id, subject_id, due_at, payload, planned_at_position)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING`,
        [packetKeys.notice(p.packetId, agencyId), PACKET_NOTICE_KIND, row.collaborative_id, p.meetingId, now, JSON.stringify(payload), p.position],
      );
    }
    await claim.finish('sent', now);
    deps.logger.info({ key, agencies: p.agencyIds.length }, 'meeting packet prepared');
    return 'prepared';
  } finally {
    await claim.release();
  }
}
