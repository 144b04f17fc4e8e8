// Collaborative reads: collaboratives, cohorts with their members, the people directory.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { withLive } from '../queries';
import { keysetPage, nameKey, paged, textKey, type Keyset, type KeyValue } from './keyset';

type AnyRow = Record<string, any>;
type Sorted = Keyset & { field: string };
const pick = (sorts: Record<string, RawBuilder<KeyValue>>, field: string) => sorts[field] ?? Object.values(sorts)[0]!;

export const toCollaborative = (r: AnyRow) => ({
  collaborativeId: r.id as string, name: r.name as string, aim: r.aim as string, status: r.status as 'open' | 'closed',
  convener: r.convener as { organizationName: string; contact: { personId: string; name: string; email: string } },
  startsOn: r.starts_on as string, endsOn: r.ends_on as string, closedOn: r.closed_on as string | null, closeReason: r.close_reason as string | null,
  meetingCadence: r.meeting_cadence as string,
  // Issue 18: the zone messages state times in (UTC when none was set at launch).
  timeZone: (r.time_zone ?? 'UTC') as string,
  focusMeasures: (r.focus_measures ?? []) as string[],
  measureSettings: (r.measure_settings ?? null) as { continuationWindowsDays: [number, number]; continuationUnitThreshold: number } | null,
  systemRoles: Object.entries((r.system_roles ?? {}) as Record<string, { personId: string; name: string; email: string }[]>).flatMap(([role, people]) =>
    people.map((p) => ({ role, ...p })),
  ),
  launchedAt: r.launched_at as string,
});

const COLLABORATIVE_SORTS = { startsOn: textKey('starts_on'), name: nameKey('name') };

export async function listCollaboratives(db: Kysely<any>, q: { keyset: Sorted; status?: string; q?: string; ids: string[] | null }) {
  const rows = await withLive(db, 'directory', (p) =>
    paged(
      p.selectFrom('collaboratives').selectAll()
        .$if(q.ids !== null, (b) => b.where('id', 'in', q.ids!.length ? q.ids! : ['-']))
        .$if(!!q.status, (b) => b.where('status', '=', q.status!))
        .$if(!!q.q, (b) => b.where(sql<boolean>`(name || ' ' || aim) ilike ${`%${q.q!.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`)),
      pick(COLLABORATIVE_SORTS, q.keyset.field),
      q.keyset,
    ).execute(),
  );
  const page = keysetPage(rows as AnyRow[] as { sort_key: KeyValue; id: string }[], q.keyset, (r) => r as AnyRow);
  const counts = await cohortCounts(db, page.items.map((r) => r.id as string));
  return { ...page, items: page.items.map((r) => ({ ...toCollaborative(r), cohorts: counts.get(r.id as string) ?? [] })) };
}

export async function getCollaborative(db: Kysely<any>, collaborativeId: string) {
  const row = await withLive(db, 'directory', (p) => p.selectFrom('collaboratives').selectAll().where('id', '=', collaborativeId).executeTakeFirst());
  if (!row) return null;
  const counts = await cohortCounts(db, [collaborativeId]);
  return { ...toCollaborative(row), cohorts: counts.get(collaborativeId) ?? [] };
}

type StageCounts = Record<string, number>;
export interface CohortSummary {
  cohortId: string; name: string; startsOn: string; sequence: number; capacity: number; seatsTaken: number; agenciesByStage: StageCounts;
}

/** Cohorts of the collaboratives with their counts (seats taken, agencies by stage). */
async function cohortCounts(db: Kysely<any>, collaborativeIds: string[]): Promise<Map<string, CohortSummary[]>> {
  const out = new Map<string, CohortSummary[]>();
  if (collaborativeIds.length === 0) return out;
  const [cohorts, stages] = await Promise.all([
    withLive(db, 'directory', (p) => p.selectFrom('cohorts').selectAll().where('collaborative_id', 'in', collaborativeIds).orderBy('starts_on').orderBy('id').execute()),
    stageCounts(db, collaborativeIds),
  ]);
  for (const c of cohorts as AnyRow[]) {
    const list = out.get(c.collaborative_id) ?? [];
    list.push({ ...toCohortSummary(c), agenciesByStage: stages.get(c.id) ?? {} });
    out.set(c.collaborative_id, list);
  }
  return out;
}

async function stageCounts(db: Kysely<any>, collaborativeIds: string[]): Promise<Map<string, StageCounts>> {
  const rows = await withLive(db, 'progress', (p) =>
    p.selectFrom('agencies').select(['cohort_id', 'stage', sql<number>`count(*)::int`.as('n')])
      .where('collaborative_id', 'in', collaborativeIds).where('cohort_id', 'is not', null).groupBy(['cohort_id', 'stage']).execute(),
  );
  const out = new Map<string, StageCounts>();
  for (const r of rows as AnyRow[]) out.set(r.cohort_id, { ...(out.get(r.cohort_id) ?? {}), [r.stage]: Number(r.n) });
  return out;
}

const toCohortSummary = (c: AnyRow) => ({
  cohortId: c.id as string, name: c.name as string, startsOn: c.starts_on as string, sequence: Number(c.sequence), capacity: Number(c.capacity), seatsTaken: Number(c.seats_taken ?? 0),
});

const COHORT_SORTS = { startsOn: textKey('starts_on'), name: nameKey('name') };

export async function listCohorts(db: Kysely<any>, q: { collaborativeId: string; keyset: Sorted }) {
  const rows = await withLive(db, 'directory', (p) =>
    paged(p.selectFrom('cohorts').selectAll().where('collaborative_id', '=', q.collaborativeId), pick(COHORT_SORTS, q.keyset.field), q.keyset).execute(),
  );
  const stages = await stageCounts(db, [q.collaborativeId]);
  return keysetPage(rows as AnyRow[] as { sort_key: KeyValue; id: string }[], q.keyset, (c) => ({ ...toCohortSummary(c), agenciesByStage: stages.get(c.id) ?? {} }));
}

/** A cohort with its members and their stage; `agencyIds` limits the members listed (null: all). */
export async function getCohort(db: Kysely<any>, q: { collaborativeId: string; cohortId: string; agencyIds: string[] | null }) {
  const cohort = await withLive(db, 'directory', (p) =>
    p.selectFrom('cohorts').selectAll().where('id', '=', q.cohortId).where('collaborative_id', '=', q.collaborativeId).executeTakeFirst(),
  );
  if (!cohort) return null;
  const members = await withLive(db, 'progress', (p) =>
    p.selectFrom('agencies').select(['agency_id', 'agency_name', 'stage', 'admitted_at']).where('collaborative_id', '=', q.collaborativeId).where('cohort_id', '=', q.cohortId)
      .orderBy(sql`lower(agency_name)`).orderBy('agency_id').execute(),
  );
  const agenciesByStage: StageCounts = {};
  for (const m of members as AnyRow[]) agenciesByStage[m.stage] = (agenciesByStage[m.stage] ?? 0) + 1;
  return {
    ...toCohortSummary(cohort),
    collaborativeId: q.collaborativeId,
    agenciesByStage,
    members: (members as AnyRow[])
      .filter((m) => q.agencyIds === null || q.agencyIds.includes(m.agency_id))
      .map((m) => ({ agencyId: m.agency_id as string, agencyName: m.agency_name as string, stage: m.stage as string })),
  };
}

const STAFF_KINDS = ['staff', 'convener', 'coach', 'reviewer'];

/**
 * The people of a collaborative. Coaches and reviewers are named by id in their events: their
 * name and e-mail come from the system-role appointment of the same person, when there is one.
 * `agencyIds` (null: all) limits the agency people listed; staff are always listed.
 */
export async function listPeople(db: Kysely<any>, q: { collaborativeId: string; keyset: Sorted; kind?: string; agencyId?: string; agencyIds: string[] | null }) {
  return withLive(db, 'directory', async (p) => {
    // A staff row of the same person names a coach or reviewer (a subquery, so the live schema applies).
    const fromStaff = (column: 'name' | 'email') =>
      p.selectFrom('people as s').select(`s.${column}` as 's.name').whereRef('s.collaborative_id', '=', 'people.collaborative_id')
        .whereRef('s.person_id', '=', 'people.person_id').where(`s.${column}` as 's.name', 'is not', null).orderBy('s.id').limit(1);
    const named = sql<string>`coalesce(people.name, (${fromStaff('name')}))`;
    const sorts = { name: sql<string>`lower(coalesce(${named}, ''))`, role: textKey('people.role') } as Record<string, RawBuilder<KeyValue>>;
    const rows = await paged(
      p.selectFrom('people').selectAll('people').select([named.as('resolved_name'), sql<string>`coalesce(people.email, (${fromStaff('email')}))`.as('resolved_email')])
        .where('people.collaborative_id', '=', q.collaborativeId)
        // Issue 16: a removed role is no contact any more.
        .where('people.removed_at', 'is', null)
        .$if(!!q.kind, (b) => b.where('people.kind', '=', q.kind!))
        .$if(!!q.agencyId, (b) => b.where('people.agency_id', '=', q.agencyId!))
        .$if(q.agencyIds !== null, (b) => b.where((w) => w.or([w('people.kind', 'in', STAFF_KINDS), w('people.agency_id', 'in', q.agencyIds!.length ? q.agencyIds! : ['-'])]))),
      pick(sorts, q.keyset.field),
      q.keyset,
      'people.id',
    ).execute();
    return keysetPage(rows as AnyRow[] as { sort_key: KeyValue; id: string }[], q.keyset, (r: AnyRow) => ({
      kind: r.kind as string, role: r.role as string, personId: r.person_id as string | null, name: r.resolved_name as string | null,
      email: r.resolved_email as string | null, phone: r.phone as string | null, organisation: r.organisation as string | null, agencyId: r.agency_id as string | null,
    }));
  });
}
