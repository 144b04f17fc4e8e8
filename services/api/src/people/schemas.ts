// People read schemas (issue 16).
import { z } from 'zod';
import { nullableString } from '../http/read-routes';

export const NetworkPersonSchema = z
  .object({
    personId: z.string(),
    organisationId: nullableString.describe('null: an independent'),
    name: nullableString.optional(), email: nullableString.optional(), phone: nullableString.optional(), title: nullableString.optional(),
    registered: z.boolean().describe('false: known only from a role (AgencyRoleAssigned, SystemRoleAppointed) under this personId'),
    registeredOn: nullableString,
    roles: z.array(z.object({ collaborativeId: z.string(), agencyId: nullableString, role: z.string() })),
  })
  .meta({ id: 'NetworkPerson' });
