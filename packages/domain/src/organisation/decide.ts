import { conflict, notFound, unprocessable } from '../shared/errors';
import { assertNever, type BaseContext } from '../shared/types';
import type { OrganisationCommand } from './commands';
import type { OrganisationEvent } from './events';
import type { OrganisationState } from './state';

export type OrganisationContext = BaseContext;
type Cmd<T extends OrganisationCommand['type']> = Extract<OrganisationCommand, { type: T }>['data'];
type Events = OrganisationEvent[];
type Registered = Extract<OrganisationState, { status: 'registered' }>;

export const requireOrganisation = (s: OrganisationState | undefined): Registered => {
  if (!s || s.status === 'none') return notFound('organisation_not_found', 'No such organisation');
  return s;
};

const register = (d: Cmd<'RegisterOrganisation'>, s: OrganisationState, ctx: OrganisationContext): Events => {
  if (s.status !== 'none') return conflict('organisation_exists', 'The organisation is already registered', 'organisationId');
  return [{ type: 'OrganisationRegistered', data: { ...d, registeredAt: ctx.now } }];
};

/** Records only what changes; a provider with sites stays a provider (its sites would lose their meaning). */
const update = (d: Cmd<'UpdateOrganisation'>, s: OrganisationState): Events => {
  const o = requireOrganisation(s);
  const changed = {
    ...(d.name !== o.name ? { name: d.name } : {}),
    ...(d.kind !== undefined && d.kind !== o.kind ? { kind: d.kind } : {}),
    ...(d.city !== undefined && d.city !== o.city ? { city: d.city } : {}),
    ...(d.state !== undefined && d.state !== o.state ? { state: d.state } : {}),
  };
  if (Object.keys(changed).length === 0) return conflict('nothing_changed', 'The organisation already reads so');
  if (changed.kind && o.sites.length > 0) return unprocessable('organisation_has_sites', 'A provider with sites stays a provider', 'kind');
  return [{ type: 'OrganisationUpdated', data: { organisationId: o.organisationId, ...changed } }];
};

const addSite = (d: Cmd<'AddSite'>, s: OrganisationState): Events => {
  const o = requireOrganisation(s);
  if (o.kind !== 'provider') return unprocessable('not_a_provider', `Sites belong to providers; this organisation is a ${o.kind}`, 'organisationId');
  if (o.sites.includes(d.siteId)) return conflict('site_exists', 'The site is already added', 'siteId');
  return [{ type: 'SiteAdded', data: d }];
};

export const decideOrganisation = (command: OrganisationCommand, state: OrganisationState, ctx: OrganisationContext): Events => {
  switch (command.type) {
    case 'RegisterOrganisation':
      return register(command.data, state, ctx);
    case 'UpdateOrganisation':
      return update(command.data, state);
    case 'AddSite':
      return addSite(command.data, state);
    default:
      return assertNever(command);
  }
};
