import type { ChangeProjectState } from '../change-project/state';
import { requireOpenCollaborative } from '../collaborative/decide';
import type { CollaborativeState } from '../collaborative/state';
import type { MeetingState } from '../meeting/state';
import type { ParticipationState } from '../participation/state';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { assertNever, type BaseContext } from '../shared/types';
import type { SiteVisitState } from '../site-visit/state';
import type { DocumentCommand } from './commands';
import type { DocumentEvent } from './events';
import type { DocumentState } from './state';

export interface DocumentContext extends BaseContext {
  collaborative?: CollaborativeState;
  /** The state of what the document is attached to (AttachDocument, unless the target is the collaborative). */
  target?: MeetingState | SiteVisitState | ParticipationState | ChangeProjectState;
}
type Cmd<T extends DocumentCommand['type']> = Extract<DocumentCommand, { type: T }>['data'];
type Events = DocumentEvent[];

/** The agency a target belongs to (its scope), or none for collaborative-wide targets; refuses a target outside the collaborative. */
function targetScope(d: Cmd<'AttachDocument'>, ctx: DocumentContext): { agencyId?: string } {
  if (d.target.kind === 'collaborative') {
    if (d.target.id !== d.collaborativeId) return unprocessable('target_not_found', 'The target is not this collaborative', 'target.id');
    if (d.agencyId !== undefined) return unprocessable('document_agency_not_invited', 'A document is for one agency only when it belongs to a meeting that agency is invited to', 'agencyId');
    return {};
  }
  const t = ctx.target;
  if (!t || t.status === 'none' || t.collaborativeId !== d.collaborativeId)
    return unprocessable('target_not_found', `No such ${d.target.kind} in this collaborative`, 'target.id');
  if (d.agencyId !== undefined) {
    // Only a meeting's document is narrowed to one agency, and only to an agency it invited.
    if (d.target.kind !== 'meeting' || !('invited' in t) || !t.invited.includes(d.agencyId))
      return unprocessable('document_agency_not_invited', 'A document is for one agency only when it belongs to a meeting that agency is invited to', 'agencyId');
    return { agencyId: d.agencyId };
  }
  return 'agencyId' in t && typeof t.agencyId === 'string' ? { agencyId: t.agencyId } : {};
}

const requireAttached = (s: DocumentState, ctx: DocumentContext) => {
  if (s.status === 'none') return notFound('document_not_found', 'No such document');
  requireOpenCollaborative(ctx.collaborative);
  if (s.status === 'removed') return conflict('document_removed', 'The document was removed');
  return s;
};

const attach = (d: Cmd<'AttachDocument'>, s: DocumentState, ctx: DocumentContext): Events => {
  requireOpenCollaborative(ctx.collaborative);
  if (s.status !== 'none') return conflict('document_exists', 'The document already exists', 'documentId');
  const scope = targetScope(d, ctx);
  const { documentDate, description, agencyId: _forAgency, ...rest } = d;
  return [{
    type: 'DocumentAttached',
    data: { ...rest, ...scope, ...(description === undefined ? {} : { description }), documentDate: documentDate ?? ctx.now.slice(0, 10) },
  }];
};

const replace = (d: Cmd<'ReplaceDocument'>, s: DocumentState, ctx: DocumentContext): Events => {
  const doc = requireAttached(s, ctx);
  if (d.storageKey === doc.storageKey) return conflict('same_storage_key', 'The replacement must be stored under a new key', 'storageKey');
  const { collaborativeId, agencyId } = doc;
  return [{ type: 'DocumentReplaced', data: { ...d, collaborativeId, ...(agencyId ? { agencyId } : {}), previousStorageKey: doc.storageKey } }];
};

const remove = (d: Cmd<'RemoveDocument'>, s: DocumentState, ctx: DocumentContext): Events => {
  const { documentId, collaborativeId, agencyId, storageKey } = requireAttached(s, ctx);
  return [{ type: 'DocumentRemoved', data: { documentId, collaborativeId, ...(agencyId ? { agencyId } : {}), storageKey, reason: d.reason } }];
};

export const decideDocument = (command: DocumentCommand, state: DocumentState, ctx: DocumentContext): Events => {
  switch (command.type) {
    case 'AttachDocument':
      return attach(command.data, state, ctx);
    case 'ReplaceDocument':
      return replace(command.data, state, ctx);
    case 'RemoveDocument':
      return remove(command.data, state, ctx);
    default:
      return assertNever(command);
  }
};
