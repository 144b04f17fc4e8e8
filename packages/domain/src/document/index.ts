import { streamIds, type AggregateName } from '../shared/ids';
import type { AggregateDefinition, ContextRef } from '../shared/types';
import * as c from './commands';
import type { DocumentCommand, DocumentTargetKind } from './commands';
import { decideDocument, type DocumentContext } from './decide';
import { documentEvents, type DocumentEvent } from './events';
import { evolveDocument, initialDocumentState, type DocumentState } from './state';

const target = (d: { documentId: string }) => streamIds.document(d.documentId);
const collab = (collaborativeId: string): ContextRef => ({ key: 'collaborative', aggregate: 'collaborative', streamId: streamIds.collaborative(collaborativeId) });
const fromState = (_: unknown, s: DocumentState): ContextRef[] => (s.status === 'none' ? [] : [collab(s.collaborativeId)]);

/** The stream of what a document is attached to (none for the collaborative: it is read as `collaborative`). */
export function documentTargetStream(collaborativeId: string, kind: DocumentTargetKind, id: string): { aggregate: AggregateName; streamId: string } | null {
  switch (kind) {
    case 'collaborative':
      return null;
    case 'meeting':
      return { aggregate: 'meeting', streamId: streamIds.meeting(id) };
    case 'site-visit':
      return { aggregate: 'sitevisit', streamId: streamIds.siteVisit(id) };
    case 'agency':
      return { aggregate: 'participation', streamId: streamIds.participation(collaborativeId, id) };
    case 'change-project':
      return { aggregate: 'changeproject', streamId: streamIds.changeProject(id) };
  }
}

export const document: AggregateDefinition<DocumentState, DocumentCommand, DocumentEvent, DocumentContext> = {
  name: 'document',
  initialState: initialDocumentState,
  evolve: evolveDocument,
  decide: decideDocument,
  commands: {
    AttachDocument: {
      schema: c.AttachDocument,
      operationId: 'attachDocument',
      description: 'Upload a file into the binder, attached to the collaborative, a meeting, a site visit, an agency or a change project',
      streamId: target,
      context: (d) => {
        const t = documentTargetStream(d.collaborativeId, d.target.kind, d.target.id);
        return [collab(d.collaborativeId), ...(t ? [{ key: 'target', ...t }] : [])];
      },
    },
    ReplaceDocument: { schema: c.ReplaceDocument, operationId: 'replaceDocument', description: 'Replace the file of a document (a new version; the metadata history keeps the old one)', streamId: target, context: fromState },
    RemoveDocument: { schema: c.RemoveDocument, operationId: 'removeDocument', description: 'Remove a document from the binder (its file is deleted from the object store)', streamId: target, context: fromState },
  },
  events: documentEvents,
};

export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
