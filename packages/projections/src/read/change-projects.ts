// Change projects: one resource shape (aim, team, PDSA cycles) for GET /v1/change-projects/{id},
// the collaborative's list and the agency detail.
import type { Kysely, RawBuilder } from 'kysely';
import { withLive } from '../queries';
import { keysetPage, nameKey, paged, textKey, type Keyset, type KeysetPage, type KeyValue } from './keyset';

type AnyRow = Record<string, any>;

export const changeProjectSorts = ['startedAt', 'targetDate', 'title'] as const;
export type ChangeProjectSort = (typeof changeProjectSorts)[number];
const SORT_KEYS: Record<ChangeProjectSort, RawBuilder<KeyValue>> = { startedAt: textKey('started_at'), targetDate: textKey('target_date'), title: nameKey('title') };

export interface PdsaCycle {
  cycleNumber: number; beginsOn: string; endsOn: string; changeTested: string; prediction: string;
  steps: { step: string; who: string }[]; result: string; decision: string; loggedAt: string;
}

export interface ChangeProjectResource {
  /** agencyId is null for a project of the system-level Change Team (owner `system`, issue 16). */
  projectId: string; collaborativeId: string; agencyId: string | null; owner: 'agency' | 'system'; title: string; aim: string; measure: string;
  baselineValue: number; targetValue: number; targetDate: string; changeIdea: string; levelOfCare: string;
  status: 'active' | 'completed' | 'abandoned'; startedAt: string; cycles: number; lastDecision: string | null;
  endedOn: string | null; lessons: string | null; impact: string | null; sustainPlan: string | null; abandonReason: string | null;
  customers: string | null;
  team: { name: string; role: string }[];
  /** PDSA cycles in order (`timeline`, as the first route named it). */
  timeline: PdsaCycle[];
}

const toCycle = (c: AnyRow): PdsaCycle => ({
  cycleNumber: c.cycle_number, beginsOn: c.begins_on, endsOn: c.ends_on, changeTested: c.change_tested, prediction: c.prediction,
  steps: c.steps, result: c.result, decision: c.decision, loggedAt: c.logged_at,
});

export const toChangeProjectResource = (r: AnyRow, cycles: AnyRow[]): ChangeProjectResource => ({
  projectId: r.id, collaborativeId: r.collaborative_id, agencyId: r.agency_id ?? null, owner: r.owner === 'system' ? 'system' : 'agency', title: r.title, aim: r.aim, measure: r.measure,
  baselineValue: r.baseline_value, targetValue: r.target_value, targetDate: r.target_date, changeIdea: r.change_idea,
  levelOfCare: r.level_of_care, status: r.status, startedAt: r.started_at, cycles: r.cycles, lastDecision: r.last_decision ?? null,
  endedOn: r.ended_on ?? null, lessons: r.lessons ?? null, impact: r.impact ?? null, sustainPlan: r.sustain_plan ?? null, abandonReason: r.abandon_reason ?? null,
  customers: (r.customers as string | null) ?? null,
  team: ((r.team as { name: string; role: string }[] | null) ?? []).map((m) => ({ name: m.name, role: m.role })),
  timeline: cycles.map(toCycle),
});

/** Projects with their cycles (one query for the cycles of all of them), in the order given. */
async function withCycles(p: Kysely<any>, rows: AnyRow[]): Promise<ChangeProjectResource[]> {
  if (rows.length === 0) return [];
  const cycles = await p.selectFrom('pdsa_cycles').selectAll().where('project_id', 'in', rows.map((r) => r.id)).orderBy('cycle_number').execute();
  const byProject = new Map<string, AnyRow[]>();
  for (const c of cycles as AnyRow[]) byProject.set(c.project_id, [...(byProject.get(c.project_id) ?? []), c]);
  return rows.map((r) => toChangeProjectResource(r, byProject.get(r.id) ?? []));
}

export async function getChangeProject(db: Kysely<any>, projectId: string): Promise<ChangeProjectResource | null> {
  return withLive(db, 'change_projects', async (p) => {
    const project = await p.selectFrom('change_projects').selectAll().where('id', '=', projectId).executeTakeFirst();
    return project ? (await withCycles(p, [project]))[0]! : null;
  });
}

/** An agency's projects by start (the agency detail). */
export async function changeProjectsOfAgency(db: Kysely<any>, q: { collaborativeId: string; agencyId: string }): Promise<ChangeProjectResource[]> {
  return withLive(db, 'change_projects', async (p) =>
    withCycles(p, await p.selectFrom('change_projects').selectAll().where('collaborative_id', '=', q.collaborativeId).where('agency_id', '=', q.agencyId)
      .orderBy('started_at').orderBy('id').execute()),
  );
}

export async function listChangeProjectResources(
  db: Kysely<any>,
  q: { collaborativeId: string; agencyId?: string; agencyIds?: string[] | null; status?: string; owner?: string; keyset: Keyset & { field: string } },
): Promise<KeysetPage<ChangeProjectResource>> {
  const key = SORT_KEYS[q.keyset.field as ChangeProjectSort] ?? SORT_KEYS.startedAt;
  return withLive(db, 'change_projects', async (p) => {
    const rows = await paged(
      p.selectFrom('change_projects').selectAll().where('collaborative_id', '=', q.collaborativeId)
        // A scoped key reads its agencies' projects and the system-level Change Team's (collaborative-wide, like meetings).
        .$if(!!q.agencyIds, (b) => b.where((w) => w.or([w('agency_id', 'is', null), ...(q.agencyIds!.length ? [w('agency_id', 'in', q.agencyIds!)] : [])])))
        .$if(!!q.agencyId, (b) => b.where('agency_id', '=', q.agencyId!))
        .$if(q.owner === 'system', (b) => b.where('agency_id', 'is', null))
        .$if(q.owner === 'agency', (b) => b.where('agency_id', 'is not', null))
        .$if(!!q.status, (b) => b.where('status', '=', q.status!)),
      key, q.keyset,
    ).execute();
    const page = keysetPage(rows as (AnyRow & { sort_key: KeyValue })[], q.keyset, (r) => r);
    return { items: await withCycles(p, page.items), next: page.next };
  });
}

export interface ProjectTally { total: number; active: number; completed: number; abandoned: number; cycles: number; adopted: number }
export interface SystemProjectLine { projectId: string; title: string; measure: string; status: 'active' | 'completed' | 'abandoned'; cycles: number; lastDecision: string | null; startedAt: string; targetDate: string }

/**
 * Issue 16, the aggregate report: the agencies' change projects tallied (of a cohort when given)
 * beside the system-level Change Team's, which are listed (titles and aims are no person data).
 */
export async function changeProjectSummary(db: Kysely<any>, q: { collaborativeId: string; cohortId?: string }) {
  const cohortAgencies = q.cohortId
    ? ((await withLive(db, 'progress', (p) => p.selectFrom('agencies').select('agency_id').where('collaborative_id', '=', q.collaborativeId).where('cohort_id', '=', q.cohortId!).execute())) as AnyRow[]).map((r) => r.agency_id as string)
    : null;
  const rows = (await withLive(db, 'change_projects', (p) =>
    p.selectFrom('change_projects').select(['id', 'agency_id', 'title', 'measure', 'status', 'cycles', 'last_decision', 'started_at', 'target_date'])
      .where('collaborative_id', '=', q.collaborativeId).orderBy('started_at').orderBy('id').execute(),
  )) as AnyRow[];
  const tally = (list: AnyRow[]): ProjectTally => ({
    total: list.length,
    active: list.filter((r) => r.status === 'active').length,
    completed: list.filter((r) => r.status === 'completed').length,
    abandoned: list.filter((r) => r.status === 'abandoned').length,
    cycles: list.reduce((s, r) => s + Number(r.cycles ?? 0), 0),
    adopted: list.filter((r) => r.last_decision === 'adopt').length,
  });
  const agencyRows = rows.filter((r) => r.agency_id !== null && (cohortAgencies === null || cohortAgencies.includes(r.agency_id)));
  const systemRows = rows.filter((r) => r.agency_id === null);
  return {
    agencies: tally(agencyRows),
    system: {
      ...tally(systemRows),
      projects: systemRows.map((r): SystemProjectLine => ({
        projectId: r.id, title: r.title, measure: r.measure, status: r.status, cycles: Number(r.cycles ?? 0), lastDecision: r.last_decision ?? null, startedAt: r.started_at, targetDate: r.target_date,
      })),
    },
  };
}
