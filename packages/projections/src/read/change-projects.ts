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
  projectId: string; collaborativeId: string; agencyId: string; title: string; aim: string; measure: string;
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
  projectId: r.id, collaborativeId: r.collaborative_id, agencyId: r.agency_id, title: r.title, aim: r.aim, measure: r.measure,
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
  q: { collaborativeId: string; agencyId?: string; agencyIds?: string[] | null; status?: string; keyset: Keyset & { field: string } },
): Promise<KeysetPage<ChangeProjectResource>> {
  if (q.agencyIds && q.agencyIds.length === 0) return { items: [], next: null };
  const key = SORT_KEYS[q.keyset.field as ChangeProjectSort] ?? SORT_KEYS.startedAt;
  return withLive(db, 'change_projects', async (p) => {
    const rows = await paged(
      p.selectFrom('change_projects').selectAll().where('collaborative_id', '=', q.collaborativeId)
        .$if(!!q.agencyIds, (b) => b.where('agency_id', 'in', q.agencyIds!))
        .$if(!!q.agencyId, (b) => b.where('agency_id', '=', q.agencyId!))
        .$if(!!q.status, (b) => b.where('status', '=', q.status!)),
      key, q.keyset,
    ).execute();
    const page = keysetPage(rows as (AnyRow & { sort_key: KeyValue })[], q.keyset, (r) => r);
    return { items: await withCycles(p, page.items), next: page.next };
  });
}
