import type { Principal } from '../auth/keys';
import { inScope } from '../auth/plugin';

/** The collaborative (and agency) an aggregate state or event data names, if any. */
export function scopeOfData(data: unknown): { collaborativeId: string; agencyId?: string } | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as { collaborativeId?: unknown; agencyId?: unknown };
  if (typeof d.collaborativeId !== 'string') return null;
  return typeof d.agencyId === 'string' ? { collaborativeId: d.collaborativeId, agencyId: d.agencyId } : { collaborativeId: d.collaborativeId };
}

/** May this key see events about this data? Convener-wide keys see everything. */
export function dataInScope(principal: Principal, data: unknown): boolean {
  if (principal.collaborativeIds === null) return true;
  const scope = scopeOfData(data);
  return scope !== null && inScope(principal, scope);
}
