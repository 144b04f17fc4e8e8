// Authentication (Bearer API key) and the scope rules every route applies.
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from '../http/problem';
import { KeyCache, type Principal, type Role } from './keys';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** The API keys this process has found valid lately (API_KEY_CACHE_MS). */
    apiKeys: KeyCache;
  }
  interface FastifyContextConfig {
    /** No API key needed (health, the OpenAPI document, the docs). */
    public?: boolean;
  }
}

const PUBLIC_PREFIXES = ['/docs'];

/** The caller of an authenticated route (401 when there is none). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpProblem(401, 'unauthenticated', 'An API key is required', { headers: { 'www-authenticate': 'Bearer' } });
  return request.principal;
}

/** preHandler: the caller's role is one of `allowed` (403 otherwise). */
export function requireRole(...allowed: Role[]): preHandlerAsyncHookHandler {
  const handler: preHandlerAsyncHookHandler = async (request) => {
    const principal = principalOf(request);
    if (!allowed.includes(principal.role)) {
      throw new HttpProblem(403, 'forbidden_role', `A ${principal.role} key may not call this operation`);
    }
  };
  // Readable from the route table, so docs/permissions.md is generated from the same list.
  return Object.assign(handler, { allowedRoles: allowed });
}

/** The roles a route's `requireRole` preHandler allows (undefined when it has none). */
export function allowedRolesOf(preHandler: unknown): Role[] | undefined {
  for (const h of [preHandler].flat()) {
    const roles = (h as { allowedRoles?: Role[] } | undefined)?.allowedRoles;
    if (roles) return roles;
  }
  return undefined;
}

export interface ResourceScope {
  collaborativeId: string;
  /** Set for agency-level resources (participation, change projects, site visits). */
  agencyId?: string;
}

/** Is the resource within the key's scope? Roles are checked separately. */
export function inScope(principal: Principal, scope: ResourceScope): boolean {
  const collaborativeOk = principal.collaborativeIds === null || principal.collaborativeIds.includes(scope.collaborativeId);
  switch (principal.role) {
    case 'admin':
    case 'analyst':
    case 'auditor':
      return collaborativeOk;
    case 'coach':
      // Assigned agencies only; a coach with no agency list covers its whole collaboratives.
      if (scope.agencyId !== undefined && principal.agencyIds.length > 0) return collaborativeOk && principal.agencyIds.includes(scope.agencyId);
      return collaborativeOk;
    case 'agency':
      // Its own agency; collaborative-level resources (meetings) of its collaboratives.
      return collaborativeOk && (scope.agencyId === undefined || principal.agencyIds.includes(scope.agencyId));
  }
}

/** Throws 403 when the resource is out of the key's scope. */
export function assertInScope(principal: Principal, scope: ResourceScope): void {
  if (!inScope(principal, scope)) {
    throw new HttpProblem(403, 'out_of_scope', 'This API key has no access to this resource');
  }
}

async function authenticate(request: FastifyRequest, keys: KeyCache): Promise<void> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  const isPublic = request.routeOptions.config.public === true || request.is404 || PUBLIC_PREFIXES.some((p) => request.url.startsWith(p));
  if (match?.[1]) {
    const principal = await keys.find(match[1]);
    if (principal) {
      request.principal = principal;
      return;
    }
    if (!isPublic) throw new HttpProblem(401, 'invalid_api_key', 'The API key is unknown or revoked', { headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
  }
  if (!isPublic) principalOf(request);
}

/** Every route needs a valid key unless its config says `public: true`. */
export const authPlugin = fp(
  async (app) => {
    app.decorateRequest('principal', null);
    const keys = new KeyCache(app.deps.pool, app.deps.config.API_KEY_CACHE_MS);
    app.decorate('apiKeys', keys);
    app.addHook('onClose', async () => keys.close());
    app.addHook('onRequest', async (request) => authenticate(request, keys));
  },
  { name: 'convene-auth' },
);
