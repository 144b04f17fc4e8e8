// Change projects: the project resource (GET /v1/change-projects/{id}: aim, team, PDSA cycles) and
// the collaborative's list with a sort.
import type { Kysely, RawBuilder } from 'kysely';
import { toProject, withLive } from '../queries';
import { keysetPage, nameKey, paged, textKey, type Keyset, type KeysetPage, type KeyValue } from './keyset';

type AnyRow = Record<string, any>;

export const changeProjectSorts = ['startedAt', 'targetDate', 'title'] as const;
export type ChangeProjectSort = (typeof changeProjectSorts)[number];
const SORT_KEYS: Record<ChangeProjectSort, RawBuilder<KeyValue>> = { startedAt: textKey('started_at'), targetDate: textKey('target_date'), title: nameKey('title') };

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
  q: { collaborativeId: string; agencyId?: string; agencyIds?: string[]; status?: string; keyset: Keyset & { field: string } },
): Promise<KeysetPage<ReturnType<typeof toProject>>> {
  if (q.agencyIds && q.agencyIds.length === 0) return { items: [], next: null };
  const key = SORT_KEYS[q.keyset.field as ChangeProjectSort] ?? SORT_KEYS.startedAt;
  const rows = await withLive(db, 'change_projects', (p) =>
    paged(
      p.selectFrom('change_projects').selectAll().where('collaborative_id', '=', q.collaborativeId)
        .$if(!!q.agencyIds, (b) => b.where('agency_id', 'in', q.agencyIds!))
        .$if(!!q.agencyId, (b) => b.where('agency_id', '=', q.agencyId!))
        .$if(!!q.status, (b) => b.where('status', '=', q.status!)),
      key, q.keyset,
    ).execute(),
  );
  return keysetPage(rows as (AnyRow & { sort_key: KeyValue })[], q.keyset, toProject);
}
