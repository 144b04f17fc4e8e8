// The project binder (issue 18): every document of a collaborative with what it is attached to,
// its current file (name, type, size, sha256, object key) and its history (replacements, removal).
// File names, descriptions and reasons are free text: personal data.
import type { RecordedEvent } from '@convene/eventstore';
import type { DocumentEvent } from '@convene/domain';
import type { Projection, RowRef, RowStore } from '../runtime/types';

const eventTypes = ['DocumentAttached', 'DocumentReplaced', 'DocumentRemoved'];

const refs = (event: RecordedEvent): RowRef[] => [{ table: 'documents', id: (event.data as { documentId: string }).documentId }];

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function evolve(store: RowStore, event: RecordedEvent): void {
  const occurred = event.metadata.occurredAt;
  const at = typeof occurred === 'string' ? occurred : event.recordedAt.toISOString();
  const by = { actorId: event.metadata.actorId, actorRole: event.metadata.actorRole };
  const e = { type: event.type, data: event.data } as DocumentEvent;
  if (e.type === 'DocumentAttached') {
    const d = e.data;
    store.put('documents', {
      id: d.documentId, collaborative_id: d.collaborativeId, agency_id: d.agencyId ?? null, target_kind: d.target.kind, target_id: d.target.id,
      file_name: d.fileName, content_type: d.contentType, size: d.size, sha256: d.sha256, storage_key: d.storageKey, description: d.description ?? null,
      document_date: d.documentDate, status: 'attached', uploaded_by: d.uploadedBy, uploaded_at: at, version: 1, versions: [], removal: null, updated_at: at,
    });
    return;
  }
  const row = store.get('documents', e.data.documentId);
  if (!row) return;
  if (e.type === 'DocumentReplaced') {
    const d = e.data;
    const previous = { fileName: row.file_name, contentType: row.content_type, size: Number(row.size), sha256: row.sha256, uploadedBy: row.uploaded_by, uploadedAt: row.uploaded_at };
    store.put('documents', {
      ...row, file_name: d.fileName, content_type: d.contentType, size: d.size, sha256: d.sha256, storage_key: d.storageKey,
      uploaded_by: d.replacedBy, uploaded_at: at, version: Number(row.version ?? 1) + 1, versions: [...list(row.versions), previous], updated_at: at,
    });
  } else if (e.type === 'DocumentRemoved') {
    store.put('documents', { ...row, status: 'removed', removal: { reason: e.data.reason, at, by }, updated_at: at });
  }
}

export const documentsProjection: Projection = {
  name: 'documents',
  version: 1,
  holdsPersonalData: true,
  eventTypes,
  refs,
  evolve,
  tables: [
    {
      name: 'documents',
      columns: {
        collaborative_id: 'text', agency_id: 'text', target_kind: 'text', target_id: 'text', file_name: 'text', content_type: 'text', size: 'bigint',
        sha256: 'text', storage_key: 'text', description: 'text', document_date: 'text', status: 'text', uploaded_by: 'jsonb', uploaded_at: 'text',
        version: 'integer', versions: 'jsonb', removal: 'jsonb', updated_at: 'text',
      },
      indexes: [['collaborative_id', 'document_date'], ['collaborative_id', 'target_kind', 'target_id']],
    },
  ],
};
