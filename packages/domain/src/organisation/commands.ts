import { z } from 'zod';
import { levelOfCare } from '../change-project/commands';
import { commandSchema, text, uuid } from '../shared/schemas';

/**
 * Issue 16: organisations are shared by every collaborative of the convener (the deployment). A
 * provider treats clients at sites with levels of care; stakeholders (state departments, payers...)
 * take part in the network without enrolling.
 */
export const organisationKind = z.enum(['provider', 'state_department', 'advocacy_group', 'training_centre', 'association', 'community_partner', 'payer']);
export type OrganisationKind = z.infer<typeof organisationKind>;
const levelsOfCare = z
  .array(levelOfCare)
  .min(1)
  .max(10)
  .refine((l) => new Set(l).size === l.length, { message: 'levels of care must be unique' });

export const RegisterOrganisation = commandSchema({
  /** For an agency already in a collaborative, its agencyId: the organisation keeps that id. */
  organisationId: uuid,
  kind: organisationKind,
  name: text(200),
  city: text(200).optional(),
  state: text(100).optional(),
});
/** The organisation as it now reads: its name (the same or a new one) and what else changes; left out stays. */
export const UpdateOrganisation = commandSchema({
  organisationId: uuid,
  name: text(200),
  kind: organisationKind.optional(),
  city: text(200).optional(),
  state: text(100).optional(),
});
export const AddSite = commandSchema({
  organisationId: uuid,
  siteId: uuid,
  name: text(200),
  address: text(500).optional(),
  levelsOfCare,
});

type D<T extends z.ZodType> = z.infer<T>;
export type OrganisationCommand =
  | { type: 'RegisterOrganisation'; data: D<typeof RegisterOrganisation> }
  | { type: 'UpdateOrganisation'; data: D<typeof UpdateOrganisation> }
  | { type: 'AddSite'; data: D<typeof AddSite> };
