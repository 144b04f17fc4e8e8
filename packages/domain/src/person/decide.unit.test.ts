import { describe, it } from '@jest/globals';
import { evolveOrganisation, initialOrganisationState } from '../organisation/state';
import { A1, A2, NOW, X1 } from '../shared/fixtures';
import { given } from '../shared/testing';
import type { PersonContext } from './decide';
import type { PersonEvent } from './events';
import { personAggregate as person } from './index';

const org = (organisationId: string) =>
  evolveOrganisation(initialOrganisationState(), { type: 'OrganisationRegistered', data: { organisationId, kind: 'provider', name: 'Riverside', registeredAt: NOW } });
const ctx: PersonContext = { now: NOW, organisation: org(A1) };
// X1 is the person id the fixtures' convener contact and roles carry: registering it makes them one person.
const register = { personId: X1, organisationId: A1, name: 'Pat Doe', email: 'pat@example.org', title: 'Clinical director' };
const registered: PersonEvent = { type: 'PersonRegistered', data: register };

describe('person', () => {
  it('is registered with their organisation and contact', () => given(person, [], ctx).when({ type: 'RegisterPerson', data: register }).then([registered]));
  it('is registered with no organisation (an independent)', () =>
    given(person, [], { now: NOW })
      .when({ type: 'RegisterPerson', data: { personId: X1, name: 'Pat Doe', email: 'pat@example.org' } })
      .then([{ type: 'PersonRegistered', data: { personId: X1, name: 'Pat Doe', email: 'pat@example.org' } }]));
  it('is registered once', () => given(person, [registered], ctx).when({ type: 'RegisterPerson', data: register }).thenFails('person_exists', 'conflict', 'personId'));
  it('is not registered at an unknown organisation', () =>
    given(person, [], { now: NOW }).when({ type: 'RegisterPerson', data: register }).thenFails('organisation_not_found', 'not_found'));

  it('changes contact', () =>
    given(person, [registered], ctx)
      .when({ type: 'ChangePersonContact', data: { personId: X1, name: 'Pat Doe', email: 'pat.doe@example.org', phone: '+1 555 0101' } })
      .then([{ type: 'PersonContactChanged', data: { personId: X1, name: 'Pat Doe', email: 'pat.doe@example.org', phone: '+1 555 0101' } }]));
  it('changes no contact of an unknown person', () =>
    given(person, [], ctx).when({ type: 'ChangePersonContact', data: { personId: X1, name: 'P', email: 'p@example.org' } }).thenFails('person_not_found', 'not_found'));

  it('moves to another organisation', () =>
    given(person, [registered], { now: NOW, organisation: org(A2) })
      .when({ type: 'MovePerson', data: { personId: X1, organisationId: A2 } })
      .then([{ type: 'PersonMoved', data: { personId: X1, organisationId: A2, previousOrganisationId: A1 } }]));
  it('leaves for no organisation', () =>
    given(person, [registered], { now: NOW })
      .when({ type: 'MovePerson', data: { personId: X1, organisationId: null } })
      .then([{ type: 'PersonMoved', data: { personId: X1, organisationId: null, previousOrganisationId: A1 } }]));
  it('does not move to where they are', () =>
    given(person, [registered], ctx).when({ type: 'MovePerson', data: { personId: X1, organisationId: A1 } }).thenFails('nothing_changed', 'conflict', 'organisationId'));
  it('does not move to an unknown organisation', () =>
    given(person, [registered], { now: NOW }).when({ type: 'MovePerson', data: { personId: X1, organisationId: A2 } }).thenFails('organisation_not_found', 'not_found'));
  it('does not move when unknown', () =>
    given(person, [], ctx).when({ type: 'MovePerson', data: { personId: X1, organisationId: A1 } }).thenFails('person_not_found', 'not_found'));
});
