// Participation reads: the selection screen (applications with every reviewer's scores, total and
// rank), agencies of a collaborative at every stage, an agency's mentees and walk-through, and
// coaching notes.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { toProgressItem, withLive } from '../queries';
import { keysetPage, nameKey, numberKey, paged, textKey, type Keyset, type KeyValue } from './keyset';

type AnyRow = Record<string, any>;
type Sorted = Keyset & { field: string };
type KeyRows = { sort_key: KeyValue; id: string }[];
const pick = (sorts: Record<string, RawBuilder<KeyValue>>, field: string) => sorts[field] ?? Object.values(sorts)[0]!;
const visible = (ids: string[] | null) => (ids === null ? null : ids.length ? ids : ['-']);

const APPLICATION_SORTS = { total: numberKey('total_score'), submittedAt: textKey('submitted_at'), agencyName: nameKey('agency_name') };

/** Applications of a collaborative; `rank` is by total score among all of its applications (1 = best, ties share). */
export async function listApplications(
  db: Kysely<any>,
  q: { collaborativeId: string; keyset: Sorted; status?: string; cohortId?: string; agencyIds: string[] | null },
) {
  const ids = visible(q.agencyIds);
  const rows = await withLive(db, 'directory', (p) => {
    const ranked = p.selectFrom('applications').selectAll().select(sql<number>`rank() over (order by total_score desc)::int`.as('rank'))
      .where('collaborative_id', '=', q.collaborativeId).as('applications');
    return paged(
      p.selectFrom(ranked).selectAll()
        .$if(!!q.status, (b) => b.where('status', '=', q.status!))
        .$if(!!q.cohortId, (b) => b.where('cohort_id', '=', q.cohortId!))
        .$if(ids !== null, (b) => b.where('agency_id', 'in', ids!)),
      pick(APPLICATION_SORTS, q.keyset.field),
      q.keyset,
    ).execute();
  });
  return keysetPage(rows as AnyRow[] as KeyRows, q.keyset, (r: AnyRow) => {
    const reviews = (r.reviews ?? []) as { reviewerId: string; scores: { criterion: string; score: number }[]; total: number; notes: string | null; scoredAt: string }[];
    return {
      agencyId: r.agency_id as string, agencyName: r.agency_name as string, status: r.status as 'applied' | 'admitted' | 'declined',
      cohortId: r.cohort_id as string | null, submittedAt: r.submitted_at as string, contact: r.contact as { name: string; email: string; phone?: string },
      proposal: r.proposal as string, declineReason: r.decline_reason as string | null, reviews, total: Number(r.total_score ?? 0),
      averageTotal: reviews.length ? Number(r.total_score) / reviews.length : null, rank: Number(r.rank),
    };
  });
}

const AGENCY_SORTS = { agencyName: nameKey('agency_name'), appliedAt: textKey('applied_at'), stage: textKey('stage') };

/** Agencies of a collaborative at every stage (no person data). */
export async function listAgencies(
  db: Kysely<any>,
  q: { collaborativeId: string; keyset: Sorted; stage?: string; cohortId?: string; coachId?: string; mentorAgencyId?: string; agencyIds: string[] | null; today?: string },
) {
  const ids = visible(q.agencyIds);
  return withLive(db, 'progress', async (p) => {
    const [collaborative, rows] = await Promise.all([
      p.selectFrom('collaboratives').selectAll().where('id', '=', q.collaborativeId).executeTakeFirst(),
      paged(
        p.selectFrom('agencies').selectAll().where('collaborative_id', '=', q.collaborativeId)
          .$if(!!q.stage, (b) => b.where('stage', '=', q.stage!))
          .$if(!!q.cohortId, (b) => b.where('cohort_id', '=', q.cohortId!))
          .$if(!!q.coachId, (b) => b.where('coach_id', '=', q.coachId!))
          .$if(!!q.mentorAgencyId, (b) => b.where('peer_mentor_agency_id', '=', q.mentorAgencyId!))
          .$if(ids !== null, (b) => b.where('agency_id', 'in', ids!)),
        pick(AGENCY_SORTS, q.keyset.field),
        q.keyset,
      ).execute(),
    ]);
    const today = q.today ?? new Date().toISOString().slice(0, 10);
    return keysetPage(rows as AnyRow[] as KeyRows, q.keyset, (a: AnyRow) => ({
      ...toProgressItem(a, collaborative, today),
      collaborativeId: q.collaborativeId, appliedAt: a.applied_at as string | null, coachId: a.coach_id as string | null,
      peerMentorAgencyId: a.peer_mentor_agency_id as string | null, walkThroughOn: a.walk_through_on as string | null,
      withdrawnOn: a.withdrawn_on as string | null, completedOn: a.completed_on as string | null,
    }));
  });
}

/** What the agency detail adds to the progress row: mentees, the walk-through's findings, the cohort's name. */
export async function agencyExtras(db: Kysely<any>, q: { collaborativeId: string; agencyId: string; cohortId: string | null }) {
  const [mentees, walk, cohort] = await Promise.all([
    withLive(db, 'progress', (p) =>
      p.selectFrom('agencies').select(['agency_id', 'agency_name']).where('collaborative_id', '=', q.collaborativeId).where('peer_mentor_agency_id', '=', q.agencyId)
        .orderBy(sql`lower(agency_name)`).orderBy('agency_id').execute(),
    ),
    withLive(db, 'directory', (p) => p.selectFrom('walk_throughs').selectAll().where('id', '=', `${q.collaborativeId}_${q.agencyId}`).executeTakeFirst()),
    q.cohortId ? withLive(db, 'directory', (p) => p.selectFrom('cohorts').select(['name']).where('id', '=', q.cohortId!).executeTakeFirst()) : undefined,
  ]);
  return {
    cohortName: (cohort?.name as string | undefined) ?? null,
    mentees: (mentees as AnyRow[]).map((m) => ({ agencyId: m.agency_id as string, agencyName: m.agency_name as string })),
    walkThrough: walk ? { walkedThroughOn: walk.walked_through_on as string, findings: walk.findings as string } : null,
  };
}

const NOTE_SORTS = { coachedOn: textKey('coached_on') };

export async function listCoachingNotes(db: Kysely<any>, q: { collaborativeId: string; agencyId: string; keyset: Sorted; coachId?: string }) {
  const rows = await withLive(db, 'directory', (p) =>
    paged(
      p.selectFrom('coaching_notes').selectAll().where('collaborative_id', '=', q.collaborativeId).where('agency_id', '=', q.agencyId)
        .$if(!!q.coachId, (b) => b.where('coach_id', '=', q.coachId!)),
      pick(NOTE_SORTS, q.keyset.field),
      q.keyset,
    ).execute(),
  );
  return keysetPage(rows as AnyRow[] as KeyRows, q.keyset, (n: AnyRow) => ({
    noteId: n.id as string, agencyId: n.agency_id as string, coachId: n.coach_id as string, coachedOn: n.coached_on as string, text: n.assistance as string, recordedAt: n.recorded_at as string,
  }));
}
