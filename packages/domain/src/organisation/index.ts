import { streamIds } from '../shared/ids';
import type { AggregateDefinition } from '../shared/types';
import * as c from './commands';
import type { OrganisationCommand } from './commands';
import { decideOrganisation, type OrganisationContext } from './decide';
import { organisationEvents, type OrganisationEvent } from './events';
import { evolveOrganisation, initialOrganisationState, type OrganisationState } from './state';

const target = (d: { organisationId: string }) => streamIds.organisation(d.organisationId);

export const organisation: AggregateDefinition<OrganisationState, OrganisationCommand, OrganisationEvent, OrganisationContext> = {
  name: 'organisation',
  initialState: initialOrganisationState,
  evolve: evolveOrganisation,
  decide: decideOrganisation,
  commands: {
    RegisterOrganisation: { schema: c.RegisterOrganisation, operationId: 'registerOrganisation', description: 'Register a provider or stakeholder organisation of the network', streamId: target },
    UpdateOrganisation: { schema: c.UpdateOrganisation, operationId: 'updateOrganisation', description: "Rename an organisation or change its kind or place", streamId: target },
    AddSite: { schema: c.AddSite, operationId: 'addSite', description: "Add a provider's site with its levels of care", streamId: target },
  },
  events: organisationEvents,
};

export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
