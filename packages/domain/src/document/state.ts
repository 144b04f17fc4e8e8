import type { DocumentEvent } from './events';

interface Known {
  documentId: string;
  collaborativeId: string;
  agencyId?: string;
  storageKey: string;
  sha256: string;
}
export type DocumentState = { status: 'none' } | (Known & { status: 'attached' | 'removed' });

export const initialDocumentState = (): DocumentState => ({ status: 'none' });

export const evolveDocument = (state: DocumentState, event: DocumentEvent): DocumentState => {
  const { type, data } = event;
  if (type === 'DocumentAttached')
    return {
      status: 'attached', documentId: data.documentId, collaborativeId: data.collaborativeId, storageKey: data.storageKey, sha256: data.sha256,
      ...(data.agencyId ? { agencyId: data.agencyId } : {}),
    };
  if (state.status === 'none') return state;
  switch (type) {
    case 'DocumentReplaced':
      return { ...state, storageKey: data.storageKey, sha256: data.sha256 };
    case 'DocumentRemoved':
      return { ...state, status: 'removed' };
    default:
      return state;
  }
};
