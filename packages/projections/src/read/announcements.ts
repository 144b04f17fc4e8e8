// Announcements: the feed (an agency reads what was addressed to it) and the audience an
// announcement resolves to when it is sent (issue 18), from the directory and progress read models.
import { sql, type Kysely } from 'kysely';
import { ERASED_EMAIL, type AnnouncementAudience, type AnnouncementRecipient } from '@convene/domain';
import { withLive } from '../queries';
import { keysetPage, paged, textKey, type Keyset, type KeysetPage, type KeyValue } from './keyset';
import { mentorPeople, PARTICIPATING } from './announcement-mentors';
import { NOT_REMOVED, type DirectoryPersonRow } from './directory-people';

type AnyRow = Record<string, any>;

export interface AnnouncementItem {
  announcementId: string;
  collaborativeId: string;
  subject: string;
  body: string;
  audience: string;
  cohortId: string | null;
  sentAt: string;
  recipientCount: number;
  /** Per agency it reached, the roles it went to there (an agency key sees only its own). */
  agencies: { agencyId: string; roles: string[] }[];
}

export async function listAnnouncements(
  db: Kysely<any>,
  q: { collaborativeId: string; keyset: Keyset & { field: string }; agencyIds: string[] | null; announcementId?: string },
): Promise<KeysetPage<AnnouncementItem>> {
  const rows = await withLive(db, 'announcements', (p) =>
    paged(
      p.selectFrom('announcements').selectAll().where('collaborative_id', '=', q.collaborativeId)
        .$if(!!q.announcementId, (b) => b.where('id', '=', q.announcementId!))
        // An agency key reads the announcements that reached its agency.
        .$if(q.agencyIds !== null, (b) => b.where(sql<boolean>`agency_ids && ${sql.val(q.agencyIds!.length ? q.agencyIds : ['-'])}::text[]`)),
      textKey('sent_at'),
      q.keyset,
    ).execute(),
  );
  const visible = (id: string) => q.agencyIds === null || q.agencyIds.includes(id);
  return keysetPage(rows as AnyRow[] as { sort_key: KeyValue; id: string }[], q.keyset, (r: AnyRow) => ({
    announcementId: r.id, collaborativeId: r.collaborative_id, subject: r.subject, body: r.body, audience: r.audience, cohortId: r.cohort_id ?? null,
    sentAt: r.sent_at, recipientCount: Number(r.recipient_count),
    agencies: Object.entries((r.agency_roles ?? {}) as Record<string, string[]>).filter(([id]) => visible(id)).map(([agencyId, roles]) => ({ agencyId, roles })),
  }));
}

type Person = DirectoryPersonRow;

const toRecipient = (p: Person): AnnouncementRecipient => ({
  ...(p.person_id ? { personId: p.person_id } : {}),
  name: p.name ?? '',
  email: p.email!,
  role: p.role,
  ...(p.agency_id ? { agencyId: p.agency_id } : {}),
  ...(p.organisation ? { organisation: p.organisation } : {}),
});

/** Organisation kinds whose registered people are stakeholders (every kind but provider). */
export const STAKEHOLDER_ORGANISATION_KINDS = ['state_department', 'advocacy_group', 'training_centre', 'association', 'community_partner', 'payer'];

/** The network's people of non-provider organisations, as directory-shaped rows (role `stakeholder`, their organisation's name). */
async function networkStakeholders(db: Kysely<any>): Promise<Person[]> {
  // The network read model holds registered people's contact as the event store reads it (sealed
  // values opened; an erased person reads with the placeholder address, left out below).
  const rows = (await withLive(db, 'network', (p) =>
    p.selectFrom('people').innerJoin('organisations', 'organisations.id', 'people.organisation_id')
      .select(['people.id as person_id', 'people.name as name', 'people.email as email', 'organisations.name as organisation'])
      .where('organisations.kind', 'in', STAKEHOLDER_ORGANISATION_KINDS).where('people.email', 'is not', null)
      .orderBy('organisations.name').orderBy('people.id').execute(),
  )) as { person_id: string; name: string | null; email: string; organisation: string | null }[];
  return rows.map((r) => ({ kind: 'network', role: 'stakeholder', person_id: r.person_id, name: r.name, email: r.email, agency_id: null, organisation: r.organisation }));
}

/**
 * Whom an audience reaches now: agency audiences take the participating agencies (of one cohort
 * when given) and their Change Leaders and Executive Sponsors (all_agencies and cohort: both, or
 * the application contact where neither is named); mentors are the agencies named peer mentors
 * (of the cohort's agencies when given), wherever they took part (announcement-mentors.ts); stakeholders are the convener's contact and staff, and
 * (issue 16) the registered people of the network's non-provider organisations (state departments,
 * advocacy groups, training centres, associations, community partners, payers) with an e-mail.
 * One recipient per address.
 */
export async function resolveAudience(
  db: Kysely<any>,
  q: { collaborativeId: string; audience: AnnouncementAudience; cohortId?: string },
): Promise<AnnouncementRecipient[]> {
  const people = (kinds: string[], agencyIds: string[] | null) =>
    withLive(db, 'directory', (p) =>
      p.selectFrom('people').select(['kind', 'role', 'person_id', 'name', 'email', 'agency_id', 'organisation'])
        .where('collaborative_id', '=', q.collaborativeId).where('kind', 'in', kinds).where('email', 'is not', null)
        .where(sql<boolean>`${sql.raw(NOT_REMOVED)}`)
        .$if(agencyIds !== null, (b) => b.where('agency_id', 'in', agencyIds!.length ? agencyIds! : ['-']))
        .orderBy('agency_id').orderBy('role').orderBy('id').execute(),
    ) as Promise<Person[]>;

  let found: Person[];
  if (q.audience === 'stakeholders') {
    found = [...(await people(['convener', 'staff'], null)), ...(await networkStakeholders(db))];
  } else if (q.audience === 'mentors') {
    found = await mentorPeople(db, q);
  } else {
    const agencies = (await withLive(db, 'progress', (p) =>
      p.selectFrom('agencies').select(['agency_id', 'cohort_id'])
        .where('collaborative_id', '=', q.collaborativeId).where('stage', 'in', PARTICIPATING).execute(),
    )) as { agency_id: string; cohort_id: string | null }[];
    const ids = agencies.filter((a) => !q.cohortId || a.cohort_id === q.cohortId).map((a) => a.agency_id);
    const rows = await people(['agency_role', 'contact'], ids);
    const roles = q.audience === 'change_leaders' ? ['change_leader'] : q.audience === 'executive_sponsors' ? ['executive_sponsor'] : ['change_leader', 'executive_sponsor'];
    found = ids.flatMap((id) => {
      const own = rows.filter((r) => r.agency_id === id);
      const leaders = own.filter((r) => r.kind === 'agency_role' && roles.includes(r.role));
      // An agency with neither leader named yet is still reached, through its application contact.
      return leaders.length > 0 || roles.length === 1 ? leaders : own.filter((r) => r.kind === 'contact');
    });
  }
  const seen = new Set<string>();
  return found.filter((p) => {
    const key = p.email!.toLowerCase();
    if (p.email === ERASED_EMAIL) return false; // erased: no address left
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).map(toRecipient);
}

/** One announcement, if the key's agencies (null: all) are among those it reached. */
export async function getAnnouncement(db: Kysely<any>, q: { collaborativeId: string; announcementId: string; agencyIds: string[] | null }): Promise<AnnouncementItem | null> {
  const page = await listAnnouncements(db, { ...q, keyset: { field: 'sentAt', direction: 'asc', limit: 1 } });
  return page.items[0] ?? null;
}
