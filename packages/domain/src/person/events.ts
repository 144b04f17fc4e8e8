import { z } from 'zod';
import { eventSchema, text, uuid } from '../shared/schemas';

// Personal values (name, email, phone, title) are sealed by the event store's hook under
// `person:<personId>`; erased, they read as placeholders that still parse (docs/personal-data.md).
export const PersonRegistered = eventSchema({
  personId: uuid,
  organisationId: uuid.optional(),
  name: text(200),
  email: z.email(),
  phone: text(40).optional(),
  title: text(200).optional(),
});
/** Only the fields that changed. */
export const PersonContactChanged = eventSchema({
  personId: uuid,
  name: text(200).optional(),
  email: z.email().optional(),
  phone: text(40).optional(),
  title: text(200).optional(),
});
export const PersonMoved = eventSchema({ personId: uuid, organisationId: uuid.nullable(), previousOrganisationId: uuid.nullable() });

type D<T extends z.ZodType> = z.infer<T>;
export type PersonEvent =
  | { type: 'PersonRegistered'; data: D<typeof PersonRegistered> }
  | { type: 'PersonContactChanged'; data: D<typeof PersonContactChanged> }
  | { type: 'PersonMoved'; data: D<typeof PersonMoved> };

const v1 = (schema: z.ZodType) => ({ schema, schemaVersion: 1 });
export const personEvents = {
  PersonRegistered: v1(PersonRegistered),
  PersonContactChanged: v1(PersonContactChanged),
  PersonMoved: v1(PersonMoved),
};
