import { z } from 'zod';
import { levelOfCare } from '../change-project/commands';
import { eventSchema, storedIsoDateTime, text, uuid } from '../shared/schemas';
import { organisationKind } from './commands';

export const OrganisationRegistered = eventSchema({
  organisationId: uuid,
  kind: organisationKind,
  name: text(200),
  city: text(200).optional(),
  state: text(100).optional(),
  registeredAt: storedIsoDateTime,
});
/** Only the fields that changed. */
export const OrganisationUpdated = eventSchema({
  organisationId: uuid,
  name: text(200).optional(),
  kind: organisationKind.optional(),
  city: text(200).optional(),
  state: text(100).optional(),
});
export const SiteAdded = eventSchema({ organisationId: uuid, siteId: uuid, name: text(200), address: text(500).optional(), levelsOfCare: z.array(levelOfCare).min(1) });

type D<T extends z.ZodType> = z.infer<T>;
export type OrganisationEvent =
  | { type: 'OrganisationRegistered'; data: D<typeof OrganisationRegistered> }
  | { type: 'OrganisationUpdated'; data: D<typeof OrganisationUpdated> }
  | { type: 'SiteAdded'; data: D<typeof SiteAdded> };

const v1 = (schema: z.ZodType) => ({ schema, schemaVersion: 1 });
export const organisationEvents = {
  OrganisationRegistered: v1(OrganisationRegistered),
  OrganisationUpdated: v1(OrganisationUpdated),
  SiteAdded: v1(SiteAdded),
};
