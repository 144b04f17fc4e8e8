// What every query route shares: the error responses it documents, path parameters, the roles
// that read, the consistentWith preHandler and the agency-key filter rule.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isCaughtUp } from '@convene/projections';
import { assertInScope, principalOf } from '../auth/plugin';
import type { Role } from '../auth/keys';
import { problemResponses } from '../commands/plugin';
import { consistencyPreHandler } from './consistency';
import { HttpProblem } from './problem';

export const uuid = z.uuid();
export const nullableString = z.string().nullable();
export const readErrors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404] };
export const CollabParams = z.object({ collaborativeId: uuid.describe('The collaborative') });

/** Reads that may hold person data (names, e-mails, free text): never analysts. */
export const READERS: Role[] = ['admin', 'coach', 'agency', 'auditor'];
/** Aggregates without person data. */
export const REPORT_READERS: Role[] = ['admin', 'coach', 'analyst', 'auditor'];

/** preHandler honouring `?consistentWith=` against the app's read models. */
export function consistentReads(app: FastifyInstance) {
  const { db } = app.deps;
  return consistencyPreHandler({ isCaughtUp: app.deps.isCaughtUp ?? ((p) => isCaughtUp(db, p)) });
}

/** Agency keys see their own agency only: they must name it, other keys may. */
export function agencyFilter(request: FastifyRequest, collaborativeId: string, agencyId: string | undefined): string | undefined {
  const principal = principalOf(request);
  if (principal.role === 'agency' && !agencyId) throw new HttpProblem(403, 'out_of_scope', 'An agency key must filter by its agencyId');
  assertInScope(principal, agencyId ? { collaborativeId, agencyId } : { collaborativeId });
  return agencyId;
}

export const notFound = (what: string) => new HttpProblem(404, 'not_found', `No such ${what}`);
