import { requireOrganisation } from '../organisation/decide';
import type { OrganisationState } from '../organisation/state';
import { conflict, notFound } from '../shared/errors';
import { assertNever, type BaseContext } from '../shared/types';
import type { PersonCommand } from './commands';
import type { PersonEvent } from './events';
import type { PersonState } from './state';

export interface PersonContext extends BaseContext {
  /** The organisation named by RegisterPerson / MovePerson, when one is named. */
  organisation?: OrganisationState;
}
type Events = PersonEvent[];

const requirePerson = (s: PersonState) => {
  if (s.status === 'none') return notFound('person_not_found', 'No such person');
  return s;
};
/** A named organisation must be registered (an agency known only from its applications is registered first, under its agencyId). */
const requireNamedOrganisation = (organisationId: string | null | undefined, ctx: PersonContext) => {
  if (organisationId) requireOrganisation(ctx.organisation);
};

export const decidePerson = (command: PersonCommand, state: PersonState, ctx: PersonContext): Events => {
  switch (command.type) {
    case 'RegisterPerson':
      if (state.status !== 'none') return conflict('person_exists', 'The person is already registered', 'personId');
      requireNamedOrganisation(command.data.organisationId, ctx);
      return [{ type: 'PersonRegistered', data: command.data }];
    case 'ChangePersonContact':
      requirePerson(state);
      return [{ type: 'PersonContactChanged', data: command.data }];
    case 'MovePerson': {
      const p = requirePerson(state);
      if (p.organisationId === command.data.organisationId) return conflict('nothing_changed', 'The person is already there', 'organisationId');
      requireNamedOrganisation(command.data.organisationId, ctx);
      return [{ type: 'PersonMoved', data: { ...command.data, previousOrganisationId: p.organisationId } }];
    }
    default:
      return assertNever(command);
  }
};
