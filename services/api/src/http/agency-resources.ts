// The reads of a resource that belongs to one agency (a change project, a site visit): its GET at
// the Location its creation names, and the collaborative's list in the one list style, both with
// the same resource shape and the same scope rule (agency keys: their own agency; coaches with
// assigned agencies: those). Each context states only what differs: paths, sorts, filters, loaders.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Keyset, KeysetPage } from '@convene/projections';
import { assertInScope, principalOf, requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from './consistency';
import { keysetOf, listPage, listQuery } from './list';
import { pageSchema } from './pagination';
import { CollabParams, consistentReads, notFound, READERS, readErrors, uuid } from './read-routes';
import { visibleAgencyIds } from './scope';

interface Owned {
  collaborativeId: string;
  /** Null for a collaborative-wide resource (a system-level change project, issue 16): in scope for every key of the collaborative. */
  agencyId: string | null;
}

export interface AgencyResourceSpec<R extends Owned, S extends string> {
  /** For 404s: 'change project'. */
  name: string;
  tag: string;
  schema: z.ZodType;
  get: {
    /** `/v1/site-visits/:visitId`: its one parameter is the id. */
    path: string;
    idParam: string;
    operationId: string;
    summary: string;
    description: string;
    load: (id: string) => Promise<R | null>;
  };
  list: {
    /** Under the collaborative: `site-visits`. */
    segment: string;
    operationId: string;
    summary: string;
    description: string;
    sorts: readonly [S, ...S[]];
    defaultSort: S;
    /** Filters besides `agencyId` (always offered). */
    filters: z.ZodRawShape;
    load: (q: { collaborativeId: string; keyset: Keyset & { field: string }; agencyIds: string[] | null; agencyId?: string } & Record<string, unknown>) => Promise<KeysetPage<R>>;
  };
}

/** Registers `GET get.path` and `GET /v1/collaboratives/{id}/<segment>`; returns the scoped loader for other routes of the context. */
export function agencyResourceReads<R extends Owned, S extends string>(app: FastifyInstance, spec: AgencyResourceSpec<R, S>) {
  const consistent = consistentReads(app);

  /** The resource if the key may read it: 404 when absent or (with `collaborativeId`) elsewhere, 403 out of scope. */
  const readOne = async (request: Parameters<typeof principalOf>[0], id: string, collaborativeId?: string): Promise<R> => {
    const resource = await spec.get.load(id);
    if (!resource || (collaborativeId && resource.collaborativeId !== collaborativeId)) throw notFound(spec.name);
    assertInScope(principalOf(request), resource.agencyId === null ? { collaborativeId: resource.collaborativeId } : { collaborativeId: resource.collaborativeId, agencyId: resource.agencyId });
    return resource;
  };

  app.get(spec.get.path, {
    schema: {
      operationId: spec.get.operationId, summary: spec.get.summary, description: spec.get.description, tags: [spec.tag],
      params: z.object({ [spec.get.idParam]: uuid }), querystring: ConsistencyQuerySchema, response: { 200: spec.schema, ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => readOne(request, (request.params as Record<string, string>)[spec.get.idParam]!));

  app.get(`/v1/collaboratives/:collaborativeId/${spec.list.segment}`, {
    schema: {
      operationId: spec.list.operationId, summary: spec.list.summary, description: spec.list.description, tags: [spec.tag],
      params: CollabParams,
      querystring: listQuery({ sorts: spec.list.sorts, defaultSort: spec.list.defaultSort }).extend({ agencyId: uuid.optional(), ...spec.list.filters }),
      response: { 200: pageSchema(spec.schema), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const { collaborativeId } = request.params as { collaborativeId: string };
    const { limit, cursor, sort, consistentWith: _c, ...filters } = request.query as { limit: number; cursor?: string; sort: string; consistentWith?: unknown } & Record<string, unknown>;
    const principal = principalOf(request);
    const agencyId = filters.agencyId as string | undefined;
    assertInScope(principal, agencyId ? { collaborativeId, agencyId } : { collaborativeId });
    const defined = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
    const page = await spec.list.load({ ...defined, collaborativeId, keyset: keysetOf({ limit, sort, ...(cursor ? { cursor } : {}) }), agencyIds: visibleAgencyIds(principal) });
    return listPage(sort, page);
  });

  return { readOne, consistent };
}
