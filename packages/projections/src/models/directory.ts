// The directory read model: collaboratives in full (aim, convener, cadence, settings, system
// roles), cohorts, applications with every reviewer's scores, walk-throughs with findings,
// coaching notes and the people directory. It holds personal values (names, e-mails, free text),
// so an erasure rebuilds it.
import type { RecordedEvent } from '@convene/eventstore';
import type { Projection, Row, RowRef, RowStore, TableSpec } from '../runtime/types';
import { agencyKey, typed } from './events';

const tables: TableSpec[] = [
  {
    name: 'collaboratives',
    columns: {
      name: 'text', aim: 'text', convener: 'jsonb', starts_on: 'text', ends_on: 'text', meeting_cadence: 'text', focus_measures: 'text[]',
      measure_settings: 'jsonb', status: 'text', closed_on: 'text', close_reason: 'text', system_roles: 'jsonb', launched_at: 'text', updated_at: 'text',
      // v2 (issue 18): the IANA zone the collaborative's messages state times in (null: UTC).
      time_zone: 'text',
    },
    indexes: [['starts_on'], ['name']],
  },
  {
    name: 'cohorts',
    columns: { collaborative_id: 'text', name: 'text', starts_on: 'text', sequence: 'integer', capacity: 'integer', seats_taken: 'integer', opened_at: 'text' },
    indexes: [['collaborative_id', 'starts_on']],
  },
  {
    name: 'applications',
    columns: {
      collaborative_id: 'text', agency_id: 'text', agency_name: 'text', contact: 'jsonb', proposal: 'text', submitted_at: 'text', status: 'text',
      cohort_id: 'text', decline_reason: 'text', reviews: 'jsonb', total_score: 'integer', updated_at: 'text',
      // v3: 'withdrawn' or 'completed' once the admitted agency left or finished (its application stays admitted).
      participation_ended: 'text',
    },
    indexes: [['collaborative_id', 'total_score']],
  },
  {
    name: 'walk_throughs',
    columns: { collaborative_id: 'text', agency_id: 'text', walked_through_on: 'text', findings: 'text' },
  },
  {
    name: 'coaching_notes',
    columns: { collaborative_id: 'text', agency_id: 'text', coach_id: 'text', coached_on: 'text', assistance: 'text', recorded_at: 'text' },
    indexes: [['collaborative_id', 'agency_id', 'coached_on']],
  },
  {
    // kind: staff (system roles), convener (its contact), coach, reviewer, contact (an applicant's), agency_role.
    name: 'people',
    columns: {
      collaborative_id: 'text', kind: 'text', role: 'text', person_id: 'text', name: 'text', email: 'text', phone: 'text', organisation: 'text', agency_id: 'text',
      // Issue 16: a role removed (SystemRoleRemoved, AgencyRoleRemoved) keeps its row, marked; reads leave it out.
      removed_at: 'text',
    },
    indexes: [['collaborative_id', 'name']],
  },
];

const handled = [
  'CollaborativeLaunched', 'CollaborativeClosed', 'SystemRoleAppointed', 'CohortOpened', 'AgencyEnrolledInCohort',
  'ApplicationSubmitted', 'ApplicationScored', 'AgencyAdmitted', 'ApplicationDeclined', 'AgencyRoleAssigned', 'CoachAssigned',
  'WalkThroughSubmitted', 'CoachingNoteRecorded', 'AgencyWithdrawn', 'ParticipationCompleted',
  // Issue 16 corrections.
  'CollaborativeDatesCorrected', 'MeetingCadenceChanged', 'SystemRoleRemoved', 'ApplicationScoreCorrected', 'AgencyRoleRemoved', 'WalkThroughCorrected',
] as const;

const personRow = (collaborativeId: string, kind: string, role: string, key: string) => `${collaborativeId}|${kind}|${role}|${key}`;

function refs(event: RecordedEvent): RowRef[] {
  const e = typed(event);
  switch (e.type) {
    case 'CollaborativeLaunched':
    case 'CollaborativeClosed':
    case 'SystemRoleAppointed':
    case 'CollaborativeDatesCorrected':
    case 'MeetingCadenceChanged':
      return [{ table: 'collaboratives', id: e.data.collaborativeId }];
    case 'SystemRoleRemoved':
      return [{ table: 'collaboratives', id: e.data.collaborativeId }, { table: 'people', id: personRow(e.data.collaborativeId, 'staff', e.data.role, e.data.personId) }];
    case 'AgencyRoleRemoved':
      return [{ table: 'people', id: agencyRolePersonId({ ...e.data, person: { personId: e.data.personId } }) }];
    case 'CohortOpened':
    case 'AgencyEnrolledInCohort':
      return [{ table: 'cohorts', id: e.data.cohortId }];
    case 'WalkThroughSubmitted':
    case 'WalkThroughCorrected':
      return [{ table: 'walk_throughs', id: agencyKey(e.data.collaborativeId, e.data.agencyId) }];
    case 'CoachingNoteRecorded':
      return [];
    case 'AgencyRoleAssigned':
      return [
        { table: 'applications', id: agencyKey(e.data.collaborativeId, e.data.agencyId) },
        { table: 'people', id: agencyRolePersonId(e.data) },
      ];
    default:
      if ('agencyId' in e.data && e.data.agencyId && 'collaborativeId' in e.data) return [{ table: 'applications', id: agencyKey(e.data.collaborativeId, e.data.agencyId) }];
      return [];
  }
}

/** Sponsor and change leader are one per agency (a new one replaces the row); team members one row each. */
function agencyRolePersonId(d: { collaborativeId: string; agencyId: string; role: string; person: { personId: string } }): string {
  return personRow(d.collaborativeId, 'agency_role', d.role, d.role === 'change_team_member' ? `${d.agencyId}|${d.person.personId}` : d.agencyId);
}

function withRow(store: RowStore, table: string, id: string, change: (row: Row) => void): void {
  const row = store.get(table, id);
  if (!row) return;
  change(row);
  store.put(table, row);
}

function evolve(store: RowStore, event: RecordedEvent): void {
  const e = typed(event);
  const at = event.recordedAt.toISOString();
  switch (e.type) {
    case 'CollaborativeLaunched': {
      const d = e.data;
      store.put('collaboratives', {
        id: d.collaborativeId, name: d.name, aim: d.aim, convener: d.convener, starts_on: d.startsOn, ends_on: d.endsOn, meeting_cadence: d.meetingCadence,
        focus_measures: [...d.focusMeasures], measure_settings: d.measureSettings ?? null, status: 'open', closed_on: null, close_reason: null, system_roles: {},
        launched_at: at, updated_at: at, time_zone: d.timeZone ?? null,
      });
      store.put('people', {
        id: personRow(d.collaborativeId, 'convener', 'convener_contact', d.convener.contact.personId), collaborative_id: d.collaborativeId, kind: 'convener',
        role: 'convener_contact', person_id: d.convener.contact.personId, name: d.convener.contact.name, email: d.convener.contact.email, phone: null,
        organisation: d.convener.organizationName, agency_id: null,
      });
      return;
    }
    case 'CollaborativeClosed':
      return withRow(store, 'collaboratives', e.data.collaborativeId, (c) => {
        c.status = 'closed';
        c.closed_on = e.data.closedOn;
        c.close_reason = e.data.reason ?? null;
        c.updated_at = at;
      });
    case 'SystemRoleAppointed': {
      const d = e.data;
      const collaborative = store.get('collaboratives', d.collaborativeId);
      if (!collaborative) return;
      const roles = { ...((collaborative.system_roles as Record<string, unknown[]> | null) ?? {}) };
      const holders = ((roles[d.role] ?? []) as { personId: string }[]).filter((p) => p.personId !== d.person.personId);
      roles[d.role] = [...holders, d.person];
      store.put('collaboratives', { ...collaborative, system_roles: roles, updated_at: at });
      store.put('people', {
        id: personRow(d.collaborativeId, 'staff', d.role, d.person.personId), collaborative_id: d.collaborativeId, kind: 'staff', role: d.role,
        person_id: d.person.personId, name: d.person.name, email: d.person.email, phone: null,
        organisation: (collaborative.convener as { organizationName?: string } | null)?.organizationName ?? null, agency_id: null, removed_at: null,
      });
      return;
    }
    case 'SystemRoleRemoved': {
      const d = e.data;
      withRow(store, 'collaboratives', d.collaborativeId, (c) => {
        const roles = { ...((c.system_roles as Record<string, { personId: string }[]> | null) ?? {}) };
        roles[d.role] = (roles[d.role] ?? []).filter((p) => p.personId !== d.personId);
        c.system_roles = roles;
        c.updated_at = at;
      });
      return withRow(store, 'people', personRow(d.collaborativeId, 'staff', d.role, d.personId), (p) => void (p.removed_at = at));
    }
    case 'CollaborativeDatesCorrected':
      return withRow(store, 'collaboratives', e.data.collaborativeId, (c) => {
        c.starts_on = e.data.startsOn;
        c.ends_on = e.data.endsOn;
        c.updated_at = at;
      });
    case 'MeetingCadenceChanged':
      return withRow(store, 'collaboratives', e.data.collaborativeId, (c) => {
        c.meeting_cadence = e.data.meetingCadence;
        c.updated_at = at;
      });
    case 'CohortOpened': {
      const d = e.data;
      store.put('cohorts', { id: d.cohortId, collaborative_id: d.collaborativeId, name: d.name, starts_on: d.startsOn, sequence: d.sequence, capacity: d.capacity, seats_taken: 0, opened_at: at });
      return;
    }
    case 'AgencyEnrolledInCohort':
      return withRow(store, 'cohorts', e.data.cohortId, (c) => void (c.seats_taken = Number(c.seats_taken ?? 0) + 1));
    case 'ApplicationSubmitted': {
      const d = e.data;
      store.put('applications', {
        id: agencyKey(d.collaborativeId, d.agencyId), collaborative_id: d.collaborativeId, agency_id: d.agencyId, agency_name: d.agencyName, contact: d.contact,
        proposal: d.proposal, submitted_at: d.submittedAt, status: 'applied', cohort_id: null, decline_reason: null, reviews: [], total_score: 0, updated_at: at,
      });
      store.put('people', {
        id: personRow(d.collaborativeId, 'contact', 'agency_contact', d.agencyId), collaborative_id: d.collaborativeId, kind: 'contact', role: 'agency_contact',
        person_id: null, name: d.contact.name, email: d.contact.email, phone: d.contact.phone ?? null, organisation: d.agencyName, agency_id: d.agencyId,
      });
      return;
    }
    case 'ApplicationScored': {
      const d = e.data;
      withRow(store, 'applications', agencyKey(d.collaborativeId, d.agencyId), (a) => {
        const reviews = [...((a.reviews as unknown[] | null) ?? []), { reviewerId: d.reviewerId, scores: d.scores, total: d.total, notes: d.notes ?? null, scoredAt: at }];
        a.reviews = reviews;
        a.total_score = Number(a.total_score ?? 0) + d.total;
        a.updated_at = at;
      });
      store.put('people', {
        id: personRow(d.collaborativeId, 'reviewer', 'reviewer', d.reviewerId), collaborative_id: d.collaborativeId, kind: 'reviewer', role: 'reviewer',
        person_id: d.reviewerId, name: null, email: null, phone: null, organisation: null, agency_id: null,
      });
      return;
    }
    case 'ApplicationScoreCorrected': {
      // The reviewer's review replaced (its correction and reason kept beside it); the total, and so the ranking, follows.
      const d = e.data;
      return withRow(store, 'applications', agencyKey(d.collaborativeId, d.agencyId), (a) => {
        type Review = { reviewerId: string; total: number; corrections?: unknown[] };
        const reviews = ((a.reviews as Review[] | null) ?? []).map((r) =>
          r.reviewerId === d.reviewerId
            ? { ...r, scores: d.scores, total: d.total, notes: d.notes ?? null, corrections: [...(r.corrections ?? []), { previousTotal: r.total, reason: d.reason, correctedAt: at }] }
            : r,
        );
        a.reviews = reviews;
        a.total_score = reviews.reduce((sum, r) => sum + Number(r.total), 0);
        a.updated_at = at;
      });
    }
    case 'AgencyAdmitted':
      return withRow(store, 'applications', agencyKey(e.data.collaborativeId, e.data.agencyId), (a) => {
        a.status = 'admitted';
        a.cohort_id = e.data.cohortId;
        a.updated_at = at;
      });
    case 'AgencyWithdrawn':
    case 'ParticipationCompleted':
      return withRow(store, 'applications', agencyKey(e.data.collaborativeId, e.data.agencyId), (a) => {
        a.participation_ended = e.type === 'AgencyWithdrawn' ? 'withdrawn' : 'completed';
        a.updated_at = at;
      });
    case 'ApplicationDeclined':
      return withRow(store, 'applications', agencyKey(e.data.collaborativeId, e.data.agencyId), (a) => {
        a.status = 'declined';
        a.decline_reason = e.data.reason;
        a.updated_at = at;
      });
    case 'AgencyRoleAssigned': {
      const d = e.data;
      const application = store.get('applications', agencyKey(d.collaborativeId, d.agencyId));
      store.put('people', {
        id: agencyRolePersonId(d), collaborative_id: d.collaborativeId, kind: 'agency_role', role: d.role, person_id: d.person.personId,
        name: d.person.name, email: d.person.email, phone: null, organisation: (application?.agency_name as string | undefined) ?? null, agency_id: d.agencyId,
        removed_at: null,
      });
      return;
    }
    case 'AgencyRoleRemoved': {
      const d = e.data;
      const id = agencyRolePersonId({ ...d, person: { personId: d.personId } });
      // A sponsor's or leader's row is the agency's: only the person removed is marked.
      return withRow(store, 'people', id, (p) => void (p.person_id === d.personId && (p.removed_at = at)));
    }
    case 'WalkThroughCorrected':
      return withRow(store, 'walk_throughs', agencyKey(e.data.collaborativeId, e.data.agencyId), (w) => {
        w.walked_through_on = e.data.walkedThroughOn;
        w.findings = e.data.findings;
      });
    case 'CoachAssigned': {
      const d = e.data;
      store.put('people', {
        id: personRow(d.collaborativeId, 'coach', 'coach', d.coachId), collaborative_id: d.collaborativeId, kind: 'coach', role: 'coach',
        person_id: d.coachId, name: null, email: null, phone: null, organisation: null, agency_id: null,
      });
      return;
    }
    case 'WalkThroughSubmitted': {
      const d = e.data;
      store.put('walk_throughs', { id: agencyKey(d.collaborativeId, d.agencyId), collaborative_id: d.collaborativeId, agency_id: d.agencyId, walked_through_on: d.walkedThroughOn, findings: d.findings });
      return;
    }
    case 'CoachingNoteRecorded': {
      const d = e.data;
      store.put('coaching_notes', {
        id: event.eventId, collaborative_id: d.collaborativeId, agency_id: d.agencyId, coach_id: d.coachId, coached_on: d.coachedOn, assistance: d.assistance, recorded_at: at,
      });
      return;
    }
    default:
      return;
  }
}

/** Collaboratives, cohorts, applications, walk-throughs, coaching notes and the people directory. */
export const directoryProjection: Projection = {
  name: 'directory',
  // v2: collaboratives.time_zone (issue 18).
  // 2 (issue 16): people.removed_at, and the corrections applied.
  // 3: applications.participation_ended, so audiences of the admitted leave out who withdrew or completed.
  version: 3,
  holdsPersonalData: true,
  tables,
  eventTypes: [...handled],
  refs,
  evolve,
};
