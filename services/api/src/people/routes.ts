// People reads (issue 16): the people of the network with their organisation, contact and roles.
// Personal data: never analysts. A key sees the people of the organisations it sees; an
// independent (no organisation) only an unscoped admin or auditor.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listNetworkPeople, networkPersonDetail, visibleOrganisationIds } from '@convene/projections';
import { principalOf, requireRole } from '../auth/plugin';
import { ConsistencyQuerySchema } from '../http/consistency';
import { keysetOf, listPage, listQuery } from '../http/list';
import { pageSchema } from '../http/pagination';
import { consistentReads, notFound, READERS, readErrors, uuid } from '../http/read-routes';
import { networkScopeOf, outOfScope } from '../organisations/scope';
import { NetworkPersonSchema } from './schemas';

export const peopleReadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.deps;
  const consistent = consistentReads(app);

  app.get('/v1/people', {
    schema: {
      operationId: 'listNetworkPeople', summary: 'People of the network: organisation, contact, roles', tags: ['people'],
      description: 'Registered people and those known by id from their roles. Filters `organisationId`, `q` (part of the name). Personal data: not for analysts; an agency key sees its own organisation\'s people.',
      querystring: listQuery({ sorts: ['name'], defaultSort: 'name' }).extend({ organisationId: uuid.optional(), q: z.string().trim().min(1).max(200).optional() }),
      response: { 200: pageSchema(NetworkPersonSchema), ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    const { organisationId, q } = request.query;
    const organisationIds = await visibleOrganisationIds(db, networkScopeOf(principal));
    const page = await listNetworkPeople(db, { keyset: keysetOf(request.query), organisationIds, personal: true, ...(organisationId ? { organisationId } : {}), ...(q ? { q } : {}) });
    return listPage(request.query.sort, page);
  });

  app.get('/v1/people/:personId', {
    schema: {
      operationId: 'getNetworkPerson', summary: 'A person: organisation, contact, roles in every collaborative', tags: ['people'],
      description: 'Personal data: not for analysts. Erase with POST /v1/privacy/erasures {personId}.',
      params: z.object({ personId: uuid }), querystring: ConsistencyQuerySchema, response: { 200: NetworkPersonSchema, ...readErrors },
    },
    preHandler: [requireRole(...READERS), consistent],
  }, async (request) => {
    const principal = principalOf(request);
    const person = await networkPersonDetail(db, { personId: request.params.personId, personal: true });
    if (!person) throw notFound('person');
    const visible = await visibleOrganisationIds(db, networkScopeOf(principal));
    if (visible !== null && (person.organisationId === null || !visible.includes(person.organisationId))) throw outOfScope();
    return person;
  });
};
