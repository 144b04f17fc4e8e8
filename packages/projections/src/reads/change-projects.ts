// Change projects: the project resource (GET /v1/change-projects/{id}: aim, team, PDSA cycles) and
// the collaborative's list with a sort.
import type { Kysely } from 'kysely';
import { toProject, withLive } from '../queries';
import { keyset, keysetPage, type Direction, type Key, type KeysetPage } from './keyset';

type AnyRow = Record<string, any>;

export const changeProjectSorts = { startedAt: 'started_at', targetDate: 'target_date', title: 'title' } as const;
export type ChangeProjectSort = keyof typeof changeProjectSorts;

const toCycle = (c: AnyRow) => ({
  cycleNumber: c.cycle_number, beginsOn: c.begins_on, endsOn: c.ends_on, changeTested: c.change_tested, prediction: c.prediction,
  steps: c.steps, result: c.result, decision: c.decision, loggedAt: c.logged_at,
});

/** A change project with its team and PDSA cycles in order (`timeline`, as the older route named it). */
export async function getChangeProject(db: Kysely<any>, projectId: string) {
  return withLive(db, 'change_projects', async (p) => {
    const project = await p.selectFrom('change_projects').selectAll().where('id', '=', projectId).executeTakeFirst();
    if (!project) return null;
    const cycles = await p.selectFrom('pdsa_cycles').selectAll().where('project_id', '=', projectId).orderBy('cycle_number').execute();
    return {
      ...toProject(project),
      customers: (project.customers as string | null) ?? null,
      team: ((project.team as { name: string; role: string }[] | null) ?? []).map((m) => ({ name: m.name, role: m.role })),
      timeline: cycles.map(toCycle),
    };
  });
}

export async function listChangeProjectResources(
  db: Kysely<any>,
  q: { collaborativeId: string; agencyId?: string; agencyIds?: string[]; status?: string; sort?: ChangeProjectSort; direction?: Direction; limit?: number; after?: Key },
): Promise<KeysetPage<ReturnType<typeof toProject>>> {
  const limit = q.limit ?? 50;
  if (q.agencyIds && q.agencyIds.length === 0) return { items: [], next: null };
  const column = changeProjectSorts[q.sort ?? 'startedAt'];
  const rows = await withLive(db, 'change_projects', (p) =>
    keyset(
      p.selectFrom('change_projects').selectAll().where('collaborative_id', '=', q.collaborativeId)
        .$if(!!q.agencyIds, (b) => b.where('agency_id', 'in', q.agencyIds!))
        .$if(!!q.agencyId, (b) => b.where('agency_id', '=', q.agencyId!))
        .$if(!!q.status, (b) => b.where('status', '=', q.status!)),
      column, q.direction ?? 'asc', limit, q.after,
    ).execute(),
  );
  return keysetPage(rows as AnyRow[], limit, column, toProject);
}
