// What the packets show, read from the read models (issue 18): the catalogue's focus measures'
// reports pooled over the invited agencies' cohort (over the collaborative when they span
// cohorts), each agency's name and change projects, the meeting and the collaborative's name.
// The reports are the report code's own (measureReportOf), so a packet and the report route agree.
import type { Kysely } from 'kysely';
import { changeProjectsOfAgency, getCatalogue, measureReportOf, withLive, type ChangeProjectResource, type MeasureSeriesReport } from '@convene/projections';
import type { PacketMeeting } from './render';

export interface PacketData {
  collaborativeName: string;
  meeting: PacketMeeting;
  poolName: string;
  measures: MeasureSeriesReport[];
  agencies: { agencyId: string; name: string; projects: ChangeProjectResource[] }[];
}

type AnyRow = Record<string, any>;

/** `continuation` is NIATx's older name of `continuation_30` (docs/measures.md). */
const focusId = (id: string) => (id === 'continuation' ? 'continuation_30' : id);

export async function gatherPacket(
  db: Kysely<any>,
  q: { collaborativeId: string; meeting: PacketMeeting; agencyIds: string[] },
): Promise<PacketData> {
  const [collaborative, applications, catalogue] = await Promise.all([
    withLive(db, 'directory', (p) => p.selectFrom('collaboratives').select(['name']).where('id', '=', q.collaborativeId).executeTakeFirst()),
    q.agencyIds.length === 0
      ? Promise.resolve([])
      : withLive(db, 'directory', (p) =>
          p.selectFrom('applications').select(['agency_id', 'agency_name', 'cohort_id']).where('collaborative_id', '=', q.collaborativeId).where('agency_id', 'in', q.agencyIds).execute()),
    getCatalogue(db, q.collaborativeId),
  ]);
  const byAgency = new Map((applications as AnyRow[]).map((a) => [a.agency_id as string, a]));
  const cohorts = new Set(q.agencyIds.map((a) => (byAgency.get(a)?.cohort_id as string | null | undefined) ?? null));
  const [only] = [...cohorts];
  const cohortId = cohorts.size === 1 && only ? only : undefined;
  const cohort = cohortId
    ? await withLive(db, 'directory', (p) => p.selectFrom('cohorts').select(['name']).where('id', '=', cohortId).executeTakeFirst())
    : undefined;
  const collaborativeName = (collaborative as AnyRow | undefined)?.name ?? 'Learning collaborative';
  const poolName = (cohort as AnyRow | undefined)?.name ?? `${collaborativeName} (all cohorts)`;

  const measureIds = [...new Set((catalogue?.focusMeasures ?? []).map(focusId))].filter((id) => catalogue?.measures.some((m) => m.id === id && m.type !== 'text'));
  const measures = (
    await Promise.all(measureIds.map((measureId) => measureReportOf(db, { collaborativeId: q.collaborativeId, measureId, ...(cohortId ? { cohortId } : {}) })))
  ).filter((r): r is MeasureSeriesReport => r !== null);
  const agencies = await Promise.all(
    q.agencyIds.map(async (agencyId) => ({
      agencyId,
      name: (byAgency.get(agencyId)?.agency_name as string | undefined) ?? 'Your agency',
      projects: await changeProjectsOfAgency(db, { collaborativeId: q.collaborativeId, agencyId }),
    })),
  );
  return { collaborativeName, meeting: q.meeting, poolName, measures, agencies };
}
