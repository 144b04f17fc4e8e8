import { describe, it } from '@jest/globals';
import { A1, NOW } from '../shared/fixtures';
import { given } from '../shared/testing';
import type { OrganisationEvent } from './events';
import { organisation } from './index';

const ctx = { now: NOW };
const SITE = '99999999-9999-4999-8999-999999999991';
const register = { organisationId: A1, kind: 'provider' as const, name: 'Riverside Recovery', city: 'Springfield' };
const registered: OrganisationEvent = { type: 'OrganisationRegistered', data: { ...register, registeredAt: NOW } };
const payer: OrganisationEvent = { type: 'OrganisationRegistered', data: { organisationId: A1, kind: 'payer', name: 'State Medicaid', registeredAt: NOW } };
const site = { organisationId: A1, siteId: SITE, name: 'Main St clinic', levelsOfCare: ['outpatient' as const, 'intensive_outpatient' as const] };
const siteAdded: OrganisationEvent = { type: 'SiteAdded', data: site };

describe('organisation', () => {
  it('is registered, under the id it is given (an agency keeps its agencyId)', () =>
    given(organisation, [], ctx).when({ type: 'RegisterOrganisation', data: register }).then([registered]));
  it('is registered once', () =>
    given(organisation, [registered], ctx).when({ type: 'RegisterOrganisation', data: register }).thenFails('organisation_exists', 'conflict', 'organisationId'));

  it('is renamed, recording only what changed', () =>
    given(organisation, [registered], ctx)
      .when({ type: 'UpdateOrganisation', data: { organisationId: A1, name: 'Riverside Health', city: 'Springfield' } })
      .then([{ type: 'OrganisationUpdated', data: { organisationId: A1, name: 'Riverside Health' } }]));
  it('refuses an update that changes nothing', () =>
    given(organisation, [registered], ctx).when({ type: 'UpdateOrganisation', data: { organisationId: A1, name: 'Riverside Recovery' } }).thenFails('nothing_changed', 'conflict'));
  it('refuses an update of an unknown organisation', () =>
    given(organisation, [], ctx).when({ type: 'UpdateOrganisation', data: { organisationId: A1, name: 'X' } }).thenFails('organisation_not_found', 'not_found'));
  it('changes kind while it has no sites', () =>
    given(organisation, [registered], ctx)
      .when({ type: 'UpdateOrganisation', data: { organisationId: A1, name: 'Riverside Recovery', kind: 'association' } })
      .then([{ type: 'OrganisationUpdated', data: { organisationId: A1, kind: 'association' } }]));
  it('keeps a provider with sites a provider', () =>
    given(organisation, [registered, siteAdded], ctx).when({ type: 'UpdateOrganisation', data: { organisationId: A1, name: 'Riverside Recovery', kind: 'payer' } }).thenFails('organisation_has_sites', 'unprocessable', 'kind'));

  it("adds a provider's site with its levels of care", () => given(organisation, [registered], ctx).when({ type: 'AddSite', data: site }).then([siteAdded]));
  it('adds a site once', () => given(organisation, [registered, siteAdded], ctx).when({ type: 'AddSite', data: site }).thenFails('site_exists', 'conflict', 'siteId'));
  it('adds sites to providers only', () =>
    given(organisation, [payer], ctx).when({ type: 'AddSite', data: site }).thenFails('not_a_provider', 'unprocessable', 'organisationId'));
  it('adds no site to an unknown organisation', () => given(organisation, [], ctx).when({ type: 'AddSite', data: site }).thenFails('organisation_not_found', 'not_found'));
});
