import { z } from 'zod';
import { commandSchema, text, uuid } from '../shared/schemas';

/**
 * Issue 16: a person of the network. The personId is the one of `person` objects already in
 * AgencyRoleAssigned / SystemRoleAppointed: registering a person under that id makes them the same
 * person. Name, e-mail, phone and title are sealed under `person:<personId>` (docs/personal-data.md).
 */
export const RegisterPerson = commandSchema({
  personId: uuid,
  /** Left out for an independent (a consultant, a peer with no organisation). */
  organisationId: uuid.optional(),
  name: text(200),
  email: z.email(),
  phone: text(40).optional(),
  title: text(200).optional(),
});
/** The person's contact as it now reads: name and e-mail, and phone or title when they change (left out: kept). */
export const ChangePersonContact = commandSchema({
  personId: uuid,
  name: text(200),
  email: z.email(),
  phone: text(40).optional(),
  title: text(200).optional(),
});
export const MovePerson = commandSchema({
  personId: uuid,
  /** null: the person leaves for no organisation (independent). */
  organisationId: uuid.nullable(),
});

type D<T extends z.ZodType> = z.infer<T>;
export type PersonCommand =
  | { type: 'RegisterPerson'; data: D<typeof RegisterPerson> }
  | { type: 'ChangePersonContact'; data: D<typeof ChangePersonContact> }
  | { type: 'MovePerson'; data: D<typeof MovePerson> };
