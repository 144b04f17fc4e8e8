import { streamIds } from '../shared/ids';
import type { AggregateDefinition, ContextRef } from '../shared/types';
import * as c from './commands';
import type { PersonCommand } from './commands';
import { decidePerson, type PersonContext } from './decide';
import { personEvents, type PersonEvent } from './events';
import { evolvePerson, initialPersonState, type PersonState } from './state';

const target = (d: { personId: string }) => streamIds.person(d.personId);
const organisationOf = (d: { organisationId?: string | null }): ContextRef[] =>
  d.organisationId ? [{ key: 'organisation', aggregate: 'organisation', streamId: streamIds.organisation(d.organisationId) }] : [];

export const personAggregate: AggregateDefinition<PersonState, PersonCommand, PersonEvent, PersonContext> = {
  name: 'person',
  initialState: initialPersonState,
  evolve: evolvePerson,
  decide: decidePerson,
  commands: {
    RegisterPerson: { schema: c.RegisterPerson, operationId: 'registerPerson', description: 'Register a person of the network, with their organisation and contact', streamId: target, context: organisationOf },
    ChangePersonContact: { schema: c.ChangePersonContact, operationId: 'changePersonContact', description: "Change a person's name, e-mail, phone or title", streamId: target },
    MovePerson: { schema: c.MovePerson, operationId: 'movePerson', description: 'A person moves to another organisation (or to none)', streamId: target, context: organisationOf },
  },
  events: personEvents,
};

export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
