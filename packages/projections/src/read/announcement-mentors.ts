// The mentors audience of an announcement: the agencies named peer mentors of the collaborative's
// participating agencies (of one cohort when given), wherever they took part. The usual mentor
// completed an earlier cohort, or an earlier collaborative of the convener (issue 16: "agencies
// that completed are invited back as mentors"), so the mentor's own stage does not matter: the
// meeting invitations of the mentors audience (the worker's network reader) reach the same agencies.
import { sql, type Kysely } from 'kysely';
import { withLive } from '../queries';
import { NOT_REMOVED, type DirectoryPersonRow } from './directory-people';

/** Agencies taking part now (not applied, declined, withdrawn or completed): the progress read model's stages, and the network memberships' statuses. */
export const PARTICIPATING = ['admitted', 'oriented', 'active'];

/** Each mentor's Change Leader and Executive Sponsor (its application contact when neither is named), from the directory of the collaborative it took part in. */
export async function mentorPeople(db: Kysely<any>, q: { collaborativeId: string; cohortId?: string }): Promise<DirectoryPersonRow[]> {
  const mentors = (await withLive(db, 'network', (p) =>
    p.selectFrom('memberships').select(['mentor_agency_id', 'mentor_collaborative_id']).distinct()
      .where('collaborative_id', '=', q.collaborativeId).where('mentor_agency_id', 'is not', null).where('status', 'in', PARTICIPATING)
      .$if(q.cohortId !== undefined, (b) => b.where('cohort_id', '=', q.cohortId!))
      .orderBy('mentor_agency_id').execute(),
  )) as { mentor_agency_id: string; mentor_collaborative_id: string | null }[];
  if (mentors.length === 0) return [];
  const pairs = mentors.map((m) => sql`(${m.mentor_collaborative_id ?? q.collaborativeId}, ${m.mentor_agency_id})`);
  const rows = (await withLive(db, 'directory', (p) =>
    p.selectFrom('people').select(['kind', 'role', 'person_id', 'name', 'email', 'agency_id', 'organisation', 'collaborative_id'])
      .where(sql<boolean>`(collaborative_id, agency_id) IN (${sql.join(pairs)})`)
      .where('kind', 'in', ['agency_role', 'contact']).where('email', 'is not', null)
      .where(sql<boolean>`${sql.raw(NOT_REMOVED)}`)
      .orderBy('agency_id').orderBy('role').orderBy('id').execute(),
  )) as (DirectoryPersonRow & { collaborative_id: string })[];
  return mentors.flatMap((m) => {
    const own = rows.filter((r) => r.agency_id === m.mentor_agency_id && r.collaborative_id === (m.mentor_collaborative_id ?? q.collaborativeId));
    const leaders = own.filter((r) => r.kind === 'agency_role' && (r.role === 'change_leader' || r.role === 'executive_sponsor'));
    return (leaders.length > 0 ? leaders : own.filter((r) => r.kind === 'contact')).map(({ collaborative_id: _, ...person }) => person);
  });
}
