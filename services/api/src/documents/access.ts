// Who may change and read which document. A document attached to an agency, its site visit or
// its change project is that agency's (scope: collaborative + agency); one attached to the
// collaborative or a meeting is collaborative-wide. Reads follow the role table: admins and
// auditors every document of their collaboratives, coaches their agencies' and the
// collaborative-wide ones, agency keys their own agency's and the collaborative-wide ones;
// analysts none (a file's name and content are free text that may name people).
import { documentTargetStream, loadCached, type DocumentTargetKind, type EventStorePort } from '@convene/domain';
import type { FastifyInstance } from 'fastify';
import { assertInScope, type ResourceScope } from '../auth/plugin';
import type { Principal } from '../auth/keys';
import { HttpProblem } from '../http/problem';

const targetNotFound = (kind: string) =>
  new HttpProblem(422, 'target_not_found', `body.targetId: no such ${kind} in this collaborative`, { errors: [{ path: 'body.targetId', message: `No such ${kind} in this collaborative` }] });

/** The scope of what an upload is attached to, read from the event store (an upload right after the target's creation must not wait for a read model). */
export async function resolveTarget(app: FastifyInstance, collaborativeId: string, kind: DocumentTargetKind, id: string): Promise<ResourceScope> {
  if (kind === 'collaborative') {
    if (id !== collaborativeId) throw targetNotFound(kind);
    return { collaborativeId };
  }
  const stream = documentTargetStream(collaborativeId, kind, id)!;
  const { deps } = app;
  const { state } = await loadCached(deps.eventStore as unknown as EventStorePort, deps.commandCache, stream.aggregate, stream.streamId, true);
  const s = state as { status: string; collaborativeId?: string; agencyId?: string };
  if (s.status === 'none' || s.collaborativeId !== collaborativeId) throw targetNotFound(kind);
  return s.agencyId ? { collaborativeId, agencyId: s.agencyId } : { collaborativeId };
}

/** Upload, replace, remove: in scope, and for agency keys their own agency's documents only. */
export function assertMayChange(principal: Principal, scope: ResourceScope): void {
  assertInScope(principal, scope);
  if (principal.role === 'agency' && scope.agencyId === undefined) {
    throw new HttpProblem(403, 'out_of_scope', 'An agency key changes only its own agency\'s documents, not collaborative-wide ones');
  }
}

/** Metadata and content reads (roles are checked by the route's requireRole). */
export function assertMayRead(principal: Principal, doc: { collaborativeId: string; agencyId: string | null }): void {
  assertInScope(principal, doc.agencyId ? { collaborativeId: doc.collaborativeId, agencyId: doc.agencyId } : { collaborativeId: doc.collaborativeId });
}

/** `attachment; filename="..."` with an ASCII fallback and the exact UTF-8 name (RFC 6266, RFC 8187). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
