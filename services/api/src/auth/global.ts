// Global operations: those whose effect or answer spans every collaborative (erasing a data
// subject, the replay dry-run over the whole log, the projection and delivery admin routes, whose
// output lists rows of every collaborative). Only an admin key of every collaborative
// (collaborativeIds null) may call them; a key scoped to some collaboratives may not, whatever
// its role. Every such route uses this one preHandler and is listed in the role × route test
// (scripts/global-admin.int.test.ts).
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { HttpProblem } from '../http/problem';
import type { Principal } from './keys';
import { principalOf } from './plugin';

/** An admin key of every collaborative. */
export const isGlobalAdmin = (principal: Principal | null | undefined): boolean =>
  principal?.role === 'admin' && principal.collaborativeIds === null;

/** Throws 401 without a key, 403 for any other role and for a scoped admin. */
export function assertGlobalAdmin(request: FastifyRequest): Principal {
  const principal = principalOf(request);
  if (principal.role !== 'admin') throw new HttpProblem(403, 'forbidden_role', `A ${principal.role} key may not call this operation`);
  if (!isGlobalAdmin(principal)) {
    throw new HttpProblem(403, 'global_operation', 'This operation spans every collaborative: it needs an admin key of every collaborative');
  }
  return principal;
}

/** preHandler of every global operation. */
export const requireGlobalAdmin: preHandlerAsyncHookHandler = async (request) => {
  assertGlobalAdmin(request);
};
