// The binder: one document (GET /v1/documents/{id}) and a collaborative's documents with filters.
import type { Kysely } from 'kysely';
import { withLive } from '../queries';
import { keysetPage, nameKey, paged, textKey, type Keyset, type KeysetPage, type KeyValue } from './keyset';
import type { Actor } from './meetings';

type AnyRow = Record<string, any>;

export interface DocumentResource {
  documentId: string;
  collaborativeId: string;
  agencyId: string | null;
  target: { kind: string; id: string };
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  description: string | null;
  documentDate: string;
  status: 'attached' | 'removed';
  version: number;
  uploadedBy: Actor;
  uploadedAt: string;
  versions: { fileName: string; contentType: string; size: number; sha256: string; uploadedBy: Actor; uploadedAt: string }[];
  removal: { reason: string; at: string; by: Actor } | null;
  updatedAt: string;
}

/** The resource and the object key of its current file (never shown to clients). */
export interface StoredDocument {
  resource: DocumentResource;
  storageKey: string;
}

export function toDocumentResource(r: AnyRow): DocumentResource {
  return {
    documentId: r.id, collaborativeId: r.collaborative_id, agencyId: r.agency_id ?? null, target: { kind: r.target_kind, id: r.target_id },
    fileName: r.file_name, contentType: r.content_type, size: Number(r.size), sha256: r.sha256, description: r.description ?? null,
    documentDate: r.document_date, status: r.status, version: Number(r.version ?? 1), uploadedBy: r.uploaded_by, uploadedAt: r.uploaded_at,
    versions: r.versions ?? [], removal: r.removal ?? null, updatedAt: r.updated_at,
  };
}

export async function getDocument(db: Kysely<any>, documentId: string): Promise<StoredDocument | null> {
  const row = await withLive(db, 'documents', (p) => p.selectFrom('documents').selectAll().where('id', '=', documentId).executeTakeFirst());
  return row ? { resource: toDocumentResource(row), storageKey: row.storage_key } : null;
}

export interface DocumentListQuery {
  collaborativeId: string;
  /** The agencies a scoped key sees, besides collaborative-wide documents (no agency). */
  visibleAgencyIds?: string[];
  targetKind?: string;
  targetId?: string;
  agencyId?: string;
  contentType?: string;
  /** Document dates from (inclusive) and to (inclusive), YYYY-MM-DD. */
  from?: string;
  to?: string;
  includeRemoved?: boolean;
  /** Sort `documentDate`, `fileName` or `uploadedAt`, then id. */
  keyset: Keyset & { field: string };
}

const SORT_KEYS = { documentDate: () => textKey('document_date'), uploadedAt: () => textKey('uploaded_at'), fileName: () => nameKey('file_name') };

/** A collaborative's documents, filtered, in the order asked for. */
export async function listDocuments(db: Kysely<any>, q: DocumentListQuery): Promise<KeysetPage<DocumentResource>> {
  const key = (SORT_KEYS[q.keyset.field as keyof typeof SORT_KEYS] ?? SORT_KEYS.documentDate)();
  const rows = await withLive(db, 'documents', (p) =>
    paged(
      p.selectFrom('documents').selectAll().where('collaborative_id', '=', q.collaborativeId)
        .$if(!!q.visibleAgencyIds, (b) => b.where((w) => w.or([w('agency_id', 'is', null), ...(q.visibleAgencyIds!.length ? [w('agency_id', 'in', q.visibleAgencyIds!)] : [])])))
        .$if(!q.includeRemoved, (b) => b.where('status', '=', 'attached'))
        .$if(!!q.targetKind, (b) => b.where('target_kind', '=', q.targetKind!))
        .$if(!!q.targetId, (b) => b.where('target_id', '=', q.targetId!))
        .$if(!!q.agencyId, (b) => b.where('agency_id', '=', q.agencyId!))
        .$if(!!q.contentType, (b) => b.where('content_type', '=', q.contentType!))
        .$if(!!q.from, (b) => b.where('document_date', '>=', q.from!))
        .$if(!!q.to, (b) => b.where('document_date', '<=', q.to!)),
      key, q.keyset,
    ).execute(),
  );
  return keysetPage(rows as (AnyRow & { sort_key: KeyValue })[], q.keyset, toDocumentResource);
}
