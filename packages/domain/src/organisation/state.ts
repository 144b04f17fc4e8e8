import type { OrganisationKind } from './commands';
import type { OrganisationEvent } from './events';

export type OrganisationState =
  | { status: 'none' }
  | {
      status: 'registered';
      organisationId: string;
      kind: OrganisationKind;
      name: string;
      city: string | null;
      state: string | null;
      /** Site ids. */
      sites: string[];
    };

export const initialOrganisationState = (): OrganisationState => ({ status: 'none' });

export const evolveOrganisation = (state: OrganisationState, event: OrganisationEvent): OrganisationState => {
  const { type, data } = event;
  if (type === 'OrganisationRegistered')
    return { status: 'registered', organisationId: data.organisationId, kind: data.kind, name: data.name, city: data.city ?? null, state: data.state ?? null, sites: [] };
  if (state.status === 'none') return state;
  switch (type) {
    case 'OrganisationUpdated':
      return { ...state, name: data.name ?? state.name, kind: data.kind ?? state.kind, city: data.city ?? state.city, state: data.state ?? state.state };
    case 'SiteAdded':
      return { ...state, sites: [...state.sites, data.siteId] };
    default:
      return state;
  }
};
