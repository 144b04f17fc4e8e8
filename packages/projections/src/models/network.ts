// The network read model (issue 16): organisations of the convener (registered, or known from an
// application: an agency's agencyId is its organisationId), their sites, their memberships of every
// collaborative (status, cohort, business dates, peer mentor), people with their organisation and
// roles, mentoring contacts and recruitment credits. Spread (coverage over time) is computed from
// these tables at read time. Holds personal values (people's contacts, contact notes): rebuilt after
// an erasure.
//
// The one-time registry: an ApplicationSubmitted whose agencyId no organisation row holds registers
// a provider under that id with the application's agency name (`registered` false). No event is
// written or rewritten; a later RegisterOrganisation with that id takes the row over, and an
// application of an already known organisation to another collaborative keeps the one row, so the
// organisation's history spans collaboratives.
import type { RecordedEvent } from '@convene/eventstore';
import type { MentoringEvent, OrganisationEvent, PersonEvent } from '@convene/domain';
import type { Projection, Row, RowRef, RowStore, TableSpec } from '../runtime/types';
import { agencyKey, typed as typedDomain, type DomainEvent } from './events';

const tables: TableSpec[] = [
  {
    name: 'organisations',
    columns: { kind: 'text', name: 'text', city: 'text', state: 'text', registered: 'boolean', sites: 'jsonb', first_seen_on: 'text', updated_at: 'text' },
    indexes: [['kind'], ['name']],
  },
  {
    // One row per (collaborative, organisation): its participation.
    name: 'memberships',
    columns: {
      collaborative_id: 'text', organisation_id: 'text', agency_name: 'text', status: 'text', cohort_id: 'text', applied_on: 'text', admitted_on: 'text',
      declined_on: 'text', withdrawn_on: 'text', completed_on: 'text', mentor_agency_id: 'text', mentor_collaborative_id: 'text', mentor_assigned_on: 'text',
    },
    indexes: [['organisation_id'], ['collaborative_id'], ['mentor_agency_id']],
  },
  { name: 'collaboratives', columns: { name: 'text', convener: 'text', starts_on: 'text', ends_on: 'text' } },
  { name: 'cohorts', columns: { collaborative_id: 'text', name: 'text', starts_on: 'text', sequence: 'integer' } },
  {
    name: 'people',
    columns: { organisation_id: 'text', name: 'text', email: 'text', phone: 'text', title: 'text', registered_on: 'text', roles: 'jsonb', updated_at: 'text' },
    indexes: [['organisation_id'], ['name']],
  },
  {
    name: 'mentoring_contacts',
    columns: { mentor_agency_id: 'text', collaborative_id: 'text', mentee_agency_id: 'text', contacted_on: 'text', mode: 'text', topic: 'text', notes: 'text', recorded_at: 'text' },
    indexes: [['mentor_agency_id', 'contacted_on'], ['collaborative_id', 'mentee_agency_id']],
  },
  {
    name: 'recruits',
    columns: { mentor_agency_id: 'text', mentor_collaborative_id: 'text', collaborative_id: 'text', applicant_agency_id: 'text', credited_at: 'text' },
    indexes: [['mentor_agency_id']],
  },
];

const handled = [
  'CollaborativeLaunched', 'CohortOpened', 'SystemRoleAppointed', 'ApplicationSubmitted', 'AgencyAdmitted', 'ApplicationDeclined', 'AgencyWithdrawn',
  'ParticipationCompleted', 'PeerMentorAssigned', 'AgencyRoleAssigned', 'OrganisationRegistered', 'OrganisationUpdated', 'SiteAdded', 'PersonRegistered',
  'PersonContactChanged', 'PersonMoved', 'MentoringContactLogged', 'RecruitmentCredited',
  // v2: corrections (issue 16) the people and collaboratives rows kept out of date.
  'AgencyRoleRemoved', 'SystemRoleRemoved', 'CollaborativeDatesCorrected',
] as const;

type NetworkEvent = DomainEvent | OrganisationEvent | PersonEvent | MentoringEvent;
const typed = (event: RecordedEvent): NetworkEvent => typedDomain(event) as NetworkEvent;
const roleKey = (collaborativeId: string, agencyId: string | null, role: string) => `${collaborativeId}|${agencyId ?? ''}|${role}`;

function refs(event: RecordedEvent): RowRef[] {
  const e = typed(event);
  const d = e.data as Record<string, any>;
  switch (e.type) {
    case 'CollaborativeLaunched':
    case 'CollaborativeDatesCorrected':
      return [{ table: 'collaboratives', id: d.collaborativeId }];
    case 'AgencyRoleRemoved':
    case 'SystemRoleRemoved':
      return [{ table: 'people', id: d.personId }];
    case 'CohortOpened':
      return [{ table: 'cohorts', id: d.cohortId }];
    case 'ApplicationSubmitted':
      return [{ table: 'organisations', id: d.agencyId }, { table: 'memberships', id: agencyKey(d.collaborativeId, d.agencyId) }];
    case 'AgencyRoleAssigned':
    case 'SystemRoleAppointed':
      return [{ table: 'people', id: d.person.personId }];
    case 'OrganisationRegistered':
    case 'OrganisationUpdated':
    case 'SiteAdded':
      return [{ table: 'organisations', id: d.organisationId }];
    case 'PersonRegistered':
    case 'PersonContactChanged':
    case 'PersonMoved':
      return [{ table: 'people', id: d.personId }];
    case 'MentoringContactLogged':
    case 'RecruitmentCredited':
      return [];
    default:
      return [{ table: 'memberships', id: agencyKey(d.collaborativeId, d.agencyId) }];
  }
}

const change = (store: RowStore, table: string, id: string, patch: Record<string, unknown>) => {
  const row = store.get(table, id);
  if (row) store.put(table, { ...row, ...patch });
};
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

function evolve(store: RowStore, event: RecordedEvent): void {
  const e = typed(event);
  // Business dates: the command's time (metadata.occurredAt), else when it was stored.
  const occurred = event.metadata.occurredAt;
  const at = typeof occurred === 'string' ? occurred : event.recordedAt.toISOString();
  const on = at.slice(0, 10);
  switch (e.type) {
    case 'CollaborativeLaunched': {
      const d = e.data;
      store.put('collaboratives', { id: d.collaborativeId, name: d.name, convener: d.convener.organizationName, starts_on: d.startsOn, ends_on: d.endsOn });
      return;
    }
    case 'CollaborativeDatesCorrected':
      return change(store, 'collaboratives', e.data.collaborativeId, { starts_on: e.data.startsOn, ends_on: e.data.endsOn });
    case 'AgencyRoleRemoved':
    case 'SystemRoleRemoved': {
      // The person no longer holds the role (a successor's assignment is an event of its own).
      const d = e.data;
      const row = store.get('people', d.personId);
      if (!row) return;
      const key = roleKey(d.collaborativeId, 'agencyId' in d ? d.agencyId : null, d.role);
      store.put('people', { ...row, roles: ((row.roles as { key: string }[] | null) ?? []).filter((r) => r.key !== key), updated_at: at });
      return;
    }
    case 'CohortOpened': {
      const d = e.data;
      store.put('cohorts', { id: d.cohortId, collaborative_id: d.collaborativeId, name: d.name, starts_on: d.startsOn, sequence: d.sequence });
      return;
    }
    case 'ApplicationSubmitted': {
      const d = e.data;
      // The one-time registry: an agency first seen here becomes a provider organisation under its agencyId.
      if (!store.get('organisations', d.agencyId))
        store.put('organisations', { id: d.agencyId, kind: 'provider', name: d.agencyName, city: null, state: null, registered: false, sites: [], first_seen_on: d.submittedAt.slice(0, 10), updated_at: at });
      store.put('memberships', {
        id: agencyKey(d.collaborativeId, d.agencyId), collaborative_id: d.collaborativeId, organisation_id: d.agencyId, agency_name: d.agencyName, status: 'applied',
        cohort_id: null, applied_on: d.submittedAt.slice(0, 10), admitted_on: null, declined_on: null, withdrawn_on: null, completed_on: null,
        mentor_agency_id: null, mentor_collaborative_id: null, mentor_assigned_on: null,
      });
      return;
    }
    case 'AgencyAdmitted':
      return change(store, 'memberships', agencyKey(e.data.collaborativeId, e.data.agencyId), { status: 'admitted', cohort_id: e.data.cohortId, admitted_on: on });
    case 'ApplicationDeclined':
      return change(store, 'memberships', agencyKey(e.data.collaborativeId, e.data.agencyId), { status: 'declined', declined_on: on });
    case 'AgencyWithdrawn':
      return change(store, 'memberships', agencyKey(e.data.collaborativeId, e.data.agencyId), { status: 'withdrawn', withdrawn_on: e.data.withdrawnOn });
    case 'ParticipationCompleted':
      return change(store, 'memberships', agencyKey(e.data.collaborativeId, e.data.agencyId), { status: 'completed', completed_on: e.data.completedOn });
    case 'PeerMentorAssigned': {
      const d = e.data;
      return change(store, 'memberships', agencyKey(d.collaborativeId, d.agencyId), {
        mentor_agency_id: d.mentorAgencyId, mentor_collaborative_id: d.mentorCollaborativeId ?? d.collaborativeId, mentor_assigned_on: on,
      });
    }
    case 'AgencyRoleAssigned':
    case 'SystemRoleAppointed': {
      // A role names a person by id: the same person as a registered one with that id (issue 16).
      const d = e.data;
      const row = store.get('people', d.person.personId);
      const agencyId = 'agencyId' in d ? d.agencyId : null;
      const role = { key: roleKey(d.collaborativeId, agencyId, d.role), collaborativeId: d.collaborativeId, agencyId, role: d.role };
      const roles = ((row?.roles as { key: string }[] | null) ?? []).filter((r) => r.key !== role.key);
      store.put('people', {
        id: d.person.personId, organisation_id: row?.organisation_id ?? agencyId, name: row?.name ?? d.person.name, email: row?.email ?? d.person.email,
        phone: row?.phone ?? null, title: row?.title ?? null, registered_on: row?.registered_on ?? null, roles: [...roles, role], updated_at: at,
      });
      return;
    }
    case 'OrganisationRegistered': {
      const d = e.data;
      const row = store.get('organisations', d.organisationId);
      store.put('organisations', {
        id: d.organisationId, kind: d.kind, name: d.name, city: d.city ?? null, state: d.state ?? null, registered: true, sites: row?.sites ?? [],
        first_seen_on: (row?.first_seen_on as string | undefined) ?? d.registeredAt.slice(0, 10), updated_at: at,
      });
      return;
    }
    case 'OrganisationUpdated': {
      const { organisationId, ...patch } = e.data;
      return change(store, 'organisations', organisationId, { ...defined(patch), updated_at: at });
    }
    case 'SiteAdded': {
      const { organisationId, ...site } = e.data;
      const row = store.get('organisations', organisationId);
      if (row) store.put('organisations', { ...row, sites: [...((row.sites as unknown[] | null) ?? []), { ...site, address: site.address ?? null }], updated_at: at });
      return;
    }
    case 'PersonRegistered': {
      const d = e.data;
      const row = store.get('people', d.personId);
      store.put('people', {
        id: d.personId, organisation_id: d.organisationId ?? null, name: d.name, email: d.email, phone: d.phone ?? null, title: d.title ?? null,
        registered_on: on, roles: row?.roles ?? [], updated_at: at,
      });
      return;
    }
    case 'PersonContactChanged': {
      const { personId, ...patch } = e.data;
      return change(store, 'people', personId, { ...defined(patch), updated_at: at });
    }
    case 'PersonMoved':
      return change(store, 'people', e.data.personId, { organisation_id: e.data.organisationId, updated_at: at });
    case 'MentoringContactLogged': {
      const d = e.data;
      store.put('mentoring_contacts', {
        id: d.contactId, mentor_agency_id: d.mentorAgencyId, collaborative_id: d.collaborativeId, mentee_agency_id: d.menteeAgencyId, contacted_on: d.contactedOn,
        mode: d.mode, topic: d.topic, notes: d.notes ?? null, recorded_at: at,
      });
      return;
    }
    case 'RecruitmentCredited': {
      const d = e.data;
      store.put('recruits', {
        id: `${d.mentorAgencyId}|${d.collaborativeId}|${d.applicantAgencyId}`, mentor_agency_id: d.mentorAgencyId, mentor_collaborative_id: d.mentorCollaborativeId,
        collaborative_id: d.collaborativeId, applicant_agency_id: d.applicantAgencyId, credited_at: d.creditedAt,
      });
      return;
    }
    default:
      return;
  }
}

export type NetworkRow = Row;

/** Organisations, memberships, people, mentoring: the convener's network (issue 16). */
export const networkProjection: Projection = {
  name: 'network',
  // 2: a removed role leaves the person's roles, corrected dates reach the collaborative's row.
  version: 2,
  holdsPersonalData: true,
  tables,
  eventTypes: [...handled],
  refs,
  evolve,
};
