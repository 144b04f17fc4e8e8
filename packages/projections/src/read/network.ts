// Network reads (issue 16): organisations with their history across collaboratives, people, a
// mentor's mentees, and the spread of process improvement over the network. The caller's scope
// arrives as lists (null: everything); the API decides them from the key.
import { sql, type Kysely } from 'kysely';
import type { OrganisationKind } from '@convene/domain';
import { withLive } from '../queries';
import { keysetPage, nameKey, paged, textKey, type Keyset, type KeyValue } from './keyset';

type AnyRow = Record<string, any>;
type Sorted = Keyset & { field: string };
type KeyRows = { sort_key: KeyValue; id: string }[];
const NONE = ['-'];

/** What a key may see of the network: organisations of these collaboratives (null: all), stakeholders too, or only these organisations. */
export interface NetworkScope {
  collaborativeIds: string[] | null;
  /** Stakeholder organisations (every kind but provider) are shared by the convener's collaboratives. */
  stakeholders: boolean;
  /** When set, only these organisations (an agency key's own, a coach's agencies). */
  organisationIds: string[] | null;
}

const ORGANISATION_SORTS = { name: nameKey('name'), firstSeenOn: textKey('first_seen_on') };

const inScope = (scope: NetworkScope) => (b: any) => {
  let q = b;
  if (scope.organisationIds !== null) q = q.where('id', 'in', scope.organisationIds.length ? scope.organisationIds : NONE);
  if (scope.collaborativeIds !== null) {
    const ids = scope.collaborativeIds.length ? scope.collaborativeIds : NONE;
    q = q.where((w: any) =>
      w.or([
        w.exists(w.selectFrom('memberships as m').select('m.id').whereRef('m.organisation_id', '=', 'organisations.id').where('m.collaborative_id', 'in', ids)),
        ...(scope.stakeholders ? [w('kind', '<>', 'provider')] : []),
      ]),
    );
  }
  return q;
};

const organisationItem = (o: AnyRow) => ({
  organisationId: o.id as string, kind: o.kind as OrganisationKind, name: o.name as string, city: o.city as string | null, state: o.state as string | null,
  registered: Boolean(o.registered), sites: (o.sites ?? []) as { siteId: string; name: string; address: string | null; levelsOfCare: string[] }[],
  firstSeenOn: o.first_seen_on as string | null,
});

export async function listOrganisations(
  db: Kysely<any>,
  q: { keyset: Sorted; scope: NetworkScope; kind?: string; q?: string; collaborativeId?: string; status?: string },
) {
  const rows = await withLive(db, 'network', (p) =>
    paged(
      inScope(q.scope)(p.selectFrom('organisations').selectAll())
        .$if(!!q.kind, (b: any) => b.where('kind', '=', q.kind!))
        .$if(!!q.q, (b: any) => b.where(sql<boolean>`strpos(lower(name), lower(${q.q!})) > 0`))
        .$if(!!q.collaborativeId || !!q.status, (b: any) =>
          b.where((w: any) => {
            let m = w.selectFrom('memberships as m').select('m.id').whereRef('m.organisation_id', '=', 'organisations.id');
            if (q.collaborativeId) m = m.where('m.collaborative_id', '=', q.collaborativeId);
            if (q.status) m = m.where('m.status', '=', q.status);
            return w.exists(m);
          }),
        ),
      ORGANISATION_SORTS[q.keyset.field as keyof typeof ORGANISATION_SORTS] ?? ORGANISATION_SORTS.name,
      q.keyset,
    ).execute(),
  );
  return keysetPage(rows as AnyRow[] as KeyRows, q.keyset, (o: AnyRow) => organisationItem(o));
}

const membershipItem = (m: AnyRow) => ({
  collaborativeId: m.collaborative_id as string, collaborativeName: (m.collaborative_name as string | null) ?? null, agencyName: m.agency_name as string,
  status: m.status as 'applied' | 'admitted' | 'declined' | 'withdrawn' | 'completed', cohortId: m.cohort_id as string | null, cohortName: (m.cohort_name as string | null) ?? null,
  appliedOn: m.applied_on as string | null, admittedOn: m.admitted_on as string | null, declinedOn: m.declined_on as string | null,
  withdrawnOn: m.withdrawn_on as string | null, completedOn: m.completed_on as string | null,
  peerMentor: m.mentor_agency_id ? { agencyId: m.mentor_agency_id as string, collaborativeId: m.mentor_collaborative_id as string, assignedOn: m.mentor_assigned_on as string | null } : null,
});

const membershipsWhere = (p: Kysely<any>) =>
  p.selectFrom('memberships as m')
    .leftJoin('collaboratives as c', 'c.id', 'm.collaborative_id')
    .leftJoin('cohorts as k', 'k.id', 'm.cohort_id')
    .selectAll('m')
    .select(['c.name as collaborative_name', 'c.starts_on as collaborative_starts_on', 'k.name as cohort_name']);

/** An organisation, its sites, its history in every collaborative (the caller's, when scoped) and its mentoring. */
export async function organisationDetail(db: Kysely<any>, q: { organisationId: string; collaborativeIds: string[] | null }) {
  return withLive(db, 'network', async (p) => {
    const visible = (b: any) => (q.collaborativeIds === null ? b : b.where('m.collaborative_id', 'in', q.collaborativeIds.length ? q.collaborativeIds : NONE));
    const [org, history, mentees, contacts, recruits] = await Promise.all([
      p.selectFrom('organisations').selectAll().where('id', '=', q.organisationId).executeTakeFirst(),
      visible(membershipsWhere(p).where('m.organisation_id', '=', q.organisationId)).orderBy('m.applied_on').orderBy('m.id').execute(),
      visible(membershipsWhere(p).where('m.mentor_agency_id', '=', q.organisationId)).orderBy('m.mentor_assigned_on').orderBy('m.id').execute(),
      p.selectFrom('mentoring_contacts').select([sql<number>`count(*)::int`.as('n'), sql<string | null>`max(contacted_on)`.as('last')]).where('mentor_agency_id', '=', q.organisationId).executeTakeFirst(),
      p.selectFrom('recruits').selectAll().where('mentor_agency_id', '=', q.organisationId).orderBy('credited_at').execute(),
    ]);
    if (!org) return undefined;
    return {
      ...organisationItem(org),
      history: (history as AnyRow[]).map(membershipItem),
      mentoring: {
        mentees: (mentees as AnyRow[]).map((m) => ({
          collaborativeId: m.collaborative_id as string, collaborativeName: (m.collaborative_name as string | null) ?? null, agencyId: m.organisation_id as string,
          agencyName: m.agency_name as string, status: m.status as string, assignedOn: m.mentor_assigned_on as string | null,
          fromCollaborativeId: m.mentor_collaborative_id as string,
        })),
        contacts: Number(contacts?.n ?? 0),
        lastContactOn: (contacts?.last as string | null | undefined) ?? null,
        recruits: (recruits as AnyRow[]).map((r) => ({ collaborativeId: r.collaborative_id as string, agencyId: r.applicant_agency_id as string, creditedAt: r.credited_at as string })),
      },
    };
  });
}

/** The organisations a scope may see (for people lists): null when it sees all. */
export async function visibleOrganisationIds(db: Kysely<any>, scope: NetworkScope): Promise<string[] | null> {
  if (scope.collaborativeIds === null && scope.organisationIds === null) return null;
  const rows = await withLive(db, 'network', (p) => inScope(scope)(p.selectFrom('organisations').select('id')).execute());
  return (rows as AnyRow[]).map((r) => r.id as string);
}

const PERSON_SORTS = { name: nameKey('name') };

const personItem = (r: AnyRow, personal: boolean) => ({
  personId: r.id as string, organisationId: r.organisation_id as string | null,
  ...(personal ? { name: r.name as string | null, email: r.email as string | null, phone: r.phone as string | null, title: r.title as string | null } : {}),
  registered: r.registered_on !== null, registeredOn: r.registered_on as string | null,
  roles: ((r.roles ?? []) as { collaborativeId: string; agencyId: string | null; role: string }[]).map(({ collaborativeId, agencyId, role }) => ({ collaborativeId, agencyId, role })),
});

/** People of the network; `organisationIds` null: every person (independents too). */
export async function listNetworkPeople(db: Kysely<any>, q: { keyset: Sorted; organisationIds: string[] | null; organisationId?: string; q?: string; personal: boolean }) {
  const rows = await withLive(db, 'network', (p) =>
    paged(
      p.selectFrom('people').selectAll()
        .$if(q.organisationIds !== null, (b) => b.where('organisation_id', 'in', q.organisationIds!.length ? q.organisationIds! : NONE))
        .$if(!!q.organisationId, (b) => b.where('organisation_id', '=', q.organisationId!))
        .$if(!!q.q, (b) => b.where(sql<boolean>`strpos(lower(coalesce(name, '')), lower(${q.q!})) > 0`)),
      PERSON_SORTS.name,
      q.keyset,
    ).execute(),
  );
  return keysetPage(rows as AnyRow[] as KeyRows, q.keyset, (r: AnyRow) => personItem(r, q.personal));
}

export async function networkPersonDetail(db: Kysely<any>, q: { personId: string; personal: boolean }) {
  const row = await withLive(db, 'network', (p) => p.selectFrom('people').selectAll().where('id', '=', q.personId).executeTakeFirst());
  return row ? personItem(row as AnyRow, q.personal) : undefined;
}

/** The mentee participations of a mentor, in every collaborative. */
export async function menteesOf(db: Kysely<any>, mentorAgencyId: string): Promise<{ collaborativeId: string; agencyId: string }[]> {
  const rows = await withLive(db, 'network', (p) =>
    p.selectFrom('memberships').select(['collaborative_id', 'organisation_id']).where('mentor_agency_id', '=', mentorAgencyId).orderBy('collaborative_id').execute(),
  );
  return (rows as AnyRow[]).map((r) => ({ collaborativeId: r.collaborative_id as string, agencyId: r.organisation_id as string }));
}

export async function mentoringContacts(db: Kysely<any>, q: { mentorAgencyId: string; keyset: Sorted; personal: boolean }) {
  const rows = await withLive(db, 'network', (p) =>
    paged(p.selectFrom('mentoring_contacts').selectAll().where('mentor_agency_id', '=', q.mentorAgencyId), textKey('contacted_on'), q.keyset).execute(),
  );
  return keysetPage(rows as AnyRow[] as KeyRows, q.keyset, (r: AnyRow) => ({
    contactId: r.id as string, collaborativeId: r.collaborative_id as string, menteeAgencyId: r.mentee_agency_id as string, contactedOn: r.contacted_on as string,
    mode: r.mode as string, topic: r.topic as string, ...(q.personal ? { notes: r.notes as string | null } : {}), recordedAt: r.recorded_at as string,
  }));
}
