// Reads of the measures model (issue 15): the catalogue, a measure's report for any catalogue, the
// coach's review lists (submissions awaiting assessment, due periods not submitted) and the
// assessment history.
import type { Kysely } from 'kysely';
import { periodsBetween, type CatalogueEntry, type MeasureValues, type ReportingPeriod } from '@convene/domain';
import { withLive } from '../queries';
import { catalogueMeasureReport, type AgencySubmissions, type MeasureSeriesReport, type PdsaMarker } from '../reports/measure-report';
import type { ChartPhase } from '../reports/phases';
import { catalogueAggregate, hideParts, withoutHiddenCells, type HiddenCell, type PooledMeasureReport } from '../reports/catalogue-aggregate';
import { keysetPage, paged, textKey, type Keyset, type KeysetPage, type KeyValue } from './keyset';

type AnyRow = Record<string, any>;

export interface CatalogueView {
  collaborativeId: string;
  template: string;
  focusMeasures: string[];
  measures: CatalogueEntry[];
}

export async function getCatalogue(db: Kysely<any>, collaborativeId: string): Promise<CatalogueView | null> {
  const row = await withLive(db, 'measures', (p) => p.selectFrom('catalogues').selectAll().where('id', '=', collaborativeId).executeTakeFirst());
  return row ? { collaborativeId, template: row.template, focusMeasures: row.focus_measures ?? [], measures: row.measures ?? [] } : null;
}

/** Each agency's submitted baseline and periods (corrections applied), for the report. */
export async function agencySubmissions(db: Kysely<any>, q: { collaborativeId: string; cohortId?: string }): Promise<AgencySubmissions[]> {
  const rows = await withLive(db, 'measures', (p) =>
    p.selectFrom('submissions').select(['agency_id', 'period', 'period_from', 'period_to', 'submitted_values'])
      .where('collaborative_id', '=', q.collaborativeId).where('status', '=', 'submitted')
      .$if(!!q.cohortId, (b) => b.where('cohort_id', '=', q.cohortId!))
      .orderBy('agency_id').orderBy('period').execute(),
  );
  const byAgency = new Map<string, AgencySubmissions>();
  for (const r of rows as AnyRow[]) {
    const a: AgencySubmissions = byAgency.get(r.agency_id) ?? { agencyId: r.agency_id, baseline: null, periods: [] };
    if (r.period === 'baseline') a.baseline = { from: r.period_from, to: r.period_to, values: r.submitted_values as MeasureValues };
    else a.periods.push({ period: r.period, values: r.submitted_values as MeasureValues });
    byAgency.set(r.agency_id, a);
  }
  return [...byAgency.values()];
}

export async function pdsaMarkers(db: Kysely<any>, q: { collaborativeId: string; measureId: string }): Promise<PdsaMarker[]> {
  const rows = await withLive(db, 'measures', (p) =>
    p.selectFrom('pdsa_cycles').selectAll().where('collaborative_id', '=', q.collaborativeId).where('measure', '=', q.measureId).orderBy('begins_on').orderBy('id').execute(),
  );
  return (rows as AnyRow[]).map((r) => ({ projectId: r.project_id, agencyId: r.agency_id, cycleNumber: r.cycle_number, beginsOn: r.begins_on, endsOn: r.ends_on, decision: r.decision }));
}

export async function chartPhases(db: Kysely<any>, q: { collaborativeId: string; measureId: string }): Promise<ChartPhase[]> {
  const rows = await withLive(db, 'measures', (p) =>
    p.selectFrom('chart_phases').select(['starts_with', 'freeze_through']).where('collaborative_id', '=', q.collaborativeId).where('measure_id', '=', q.measureId).orderBy('starts_with').execute(),
  );
  return (rows as AnyRow[]).map((r) => ({ startsWith: r.starts_with, freezeThrough: r.freeze_through }));
}

/** One measure's report over the collaborative (or a cohort); null when the catalogue has no such measure. */
export async function measureReportOf(db: Kysely<any>, q: { collaborativeId: string; measureId: string; cohortId?: string }, hidden?: HiddenCell): Promise<MeasureSeriesReport | null> {
  const catalogue = await getCatalogue(db, q.collaborativeId);
  const m = catalogue?.measures.find((x) => x.id === q.measureId);
  if (!m) return null;
  const [agencies, pdsa, phases] = await Promise.all([agencySubmissions(db, q), pdsaMarkers(db, q), chartPhases(db, q)]);
  // Analysts: the cells the analyst export hides are left out before pooling (agencies' series included), strata and category counts hidden alike.
  if (!hidden) return catalogueMeasureReport(m, agencies, { pdsa, phases });
  return hideParts(m, catalogueMeasureReport(m, m.type === 'categorical' ? agencies : withoutHiddenCells(m, agencies, hidden), { pdsa, phases }), hidden);
}

/** Every catalogue measure pooled over the collaborative (or a cohort), periods within `from`..`to` (months); null without a catalogue. */
export async function catalogueAggregateOf(
  db: Kysely<any>,
  q: { collaborativeId: string; cohortId?: string; from?: string; to?: string },
  hidden?: HiddenCell,
): Promise<{ template: string; measures: (PooledMeasureReport & { suppressed: string[] })[] } | null> {
  const catalogue = await getCatalogue(db, q.collaborativeId);
  if (!catalogue) return null;
  const agencies = await agencySubmissions(db, { collaborativeId: q.collaborativeId, ...(q.cohortId ? { cohortId: q.cohortId } : {}) });
  return { template: catalogue.template, measures: catalogueAggregate(catalogue.measures, agencies, { ...(q.from ? { from: q.from } : {}), ...(q.to ? { to: q.to } : {}) }, hidden) };
}

/** The submitted rows of a collaborative as stored (the analyst export's suppression reads them). */
export async function submittedRows(db: Kysely<any>, collaborativeId: string): Promise<AnyRow[]> {
  return withLive(db, 'measures', (p) =>
    p.selectFrom('submissions').select(['agency_id', 'cohort_id', 'period', 'period_from', 'period_to', 'status', 'submitted_values'])
      .where('collaborative_id', '=', collaborativeId).where('status', '=', 'submitted').execute(),
  );
}

export interface SubmissionView {
  collaborativeId: string;
  agencyId: string;
  cohortId: string | null;
  period: string;
  kind: string;
  periodFrom: string | null;
  periodTo: string | null;
  status: 'draft' | 'submitted';
  values: MeasureValues | null;
  draft: MeasureValues | null;
  corrections: number;
  draftSavedAt: string | null;
  submittedAt: string | null;
  correctedAt: string | null;
  assessments: number;
  latestScore: number | null;
}
const toSubmission = (r: AnyRow): SubmissionView => ({
  collaborativeId: r.collaborative_id, agencyId: r.agency_id, cohortId: r.cohort_id, period: r.period, kind: r.kind, periodFrom: r.period_from,
  periodTo: r.period_to, status: r.status, values: r.submitted_values, draft: r.draft_values, corrections: r.corrections ?? 0,
  draftSavedAt: r.draft_saved_at, submittedAt: r.submitted_at, correctedAt: r.corrected_at, assessments: r.assessments ?? 0, latestScore: r.latest_score,
});

const SUBMISSION_SORTS: Record<string, ReturnType<typeof textKey>> = { period: textKey('period_to'), submittedAt: textKey('submitted_at') };

/** Submissions of a collaborative; `awaitingAssessment`: submitted and not yet assessed (the coach's queue). */
export async function listSubmissions(
  db: Kysely<any>,
  q: { collaborativeId: string; agencyIds?: string[]; agencyId?: string; status?: string; period?: string; awaitingAssessment?: boolean; keyset: Keyset & { field: string } },
): Promise<KeysetPage<SubmissionView>> {
  if (q.agencyIds && q.agencyIds.length === 0) return { items: [], next: null };
  const rows = await withLive(db, 'measures', (p) =>
    paged(
      p.selectFrom('submissions').selectAll().where('collaborative_id', '=', q.collaborativeId)
        .$if(!!q.agencyIds, (b) => b.where('agency_id', 'in', q.agencyIds!))
        .$if(!!q.agencyId, (b) => b.where('agency_id', '=', q.agencyId!))
        .$if(!!q.status, (b) => b.where('status', '=', q.status!))
        .$if(!!q.period, (b) => b.where('period', '=', q.period!))
        .$if(q.awaitingAssessment === true, (b) => b.where('status', '=', 'submitted').where('assessments', '=', 0))
        .$if(q.awaitingAssessment === false, (b) => b.where('assessments', '>', 0)),
      SUBMISSION_SORTS[q.keyset.field] ?? SUBMISSION_SORTS.period!, q.keyset,
    ).execute(),
  );
  return keysetPage(rows as (AnyRow & { sort_key: KeyValue })[], q.keyset, toSubmission);
}

export interface AssessmentView {
  assessmentId: string;
  collaborativeId: string;
  agencyId: string;
  period: string;
  coachId: string;
  score: number;
  comment: string;
  assessedAt: string;
}
export async function listAssessments(db: Kysely<any>, q: { collaborativeId: string; agencyId: string; keyset: Keyset & { field: string } }): Promise<KeysetPage<AssessmentView>> {
  const rows = await withLive(db, 'measures', (p) =>
    paged(p.selectFrom('assessments').selectAll().where('collaborative_id', '=', q.collaborativeId).where('agency_id', '=', q.agencyId), textKey('assessed_at'), q.keyset).execute(),
  );
  return keysetPage(rows as (AnyRow & { sort_key: KeyValue })[], q.keyset, (r) => ({
    assessmentId: r.id, collaborativeId: r.collaborative_id, agencyId: r.agency_id, period: r.period, coachId: r.coach_id, score: r.score, comment: r.comment, assessedAt: r.assessed_at,
  }));
}

export interface DuePeriod {
  agencyId: string;
  agencyName: string;
  coachId: string | null;
  period: string;
  kind: ReportingPeriod;
  /** Whom to chase: the Change Leader, else the application contact. */
  contact: { name: string; email: string } | null;
  draftSaved: boolean;
}

/**
 * Reporting periods that have ended since each active agency's baseline and are not submitted,
 * for every period kind of the catalogue's active measures (the coach's chase list).
 */
export async function dueSubmissions(db: Kysely<any>, q: { collaborativeId: string; today: string; agencyIds?: string[] }): Promise<DuePeriod[]> {
  const catalogue = await getCatalogue(db, q.collaborativeId);
  if (!catalogue || (q.agencyIds && q.agencyIds.length === 0)) return [];
  const kinds = [...new Set(catalogue.measures.filter((m) => !m.retired && m.type !== 'text').map((m) => m.period))];
  const [agencies, subs] = await withLive(db, 'measures', (p) =>
    Promise.all([
      p.selectFrom('agencies').selectAll().where('collaborative_id', '=', q.collaborativeId).where('stage', '=', 'admitted')
        .$if(!!q.agencyIds, (b) => b.where('agency_id', 'in', q.agencyIds!)).execute(),
      p.selectFrom('submissions').select(['agency_id', 'period', 'status', 'period_to']).where('collaborative_id', '=', q.collaborativeId).execute(),
    ]),
  );
  const out: DuePeriod[] = [];
  for (const a of (agencies as AnyRow[]).sort((x, y) => String(x.agency_name).localeCompare(String(y.agency_name)) || String(x.agency_id).localeCompare(String(y.agency_id)))) {
    const own = (subs as AnyRow[]).filter((s) => s.agency_id === a.agency_id);
    const baseline = own.find((s) => s.period === 'baseline' && s.status === 'submitted');
    if (!baseline) continue;
    for (const kind of kinds)
      for (const period of periodsBetween(baseline.period_to, q.today, kind)) {
        const s = own.find((x) => x.period === period);
        if (s?.status === 'submitted') continue;
        if (!periodEnded(period, q.today)) continue;
        const person = a.change_leader ?? a.contact ?? null;
        out.push({
          agencyId: a.agency_id, agencyName: a.agency_name, coachId: a.coach_id, period, kind,
          contact: person ? { name: person.name, email: person.email } : null, draftSaved: s?.status === 'draft',
        });
      }
  }
  return out;
}

const periodEnded = (period: string, today: string) => {
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  const lastMonth = q ? `${q[1]}-${String(Number(q[2]) * 3).padStart(2, '0')}` : period;
  return lastMonth < today.slice(0, 7);
};
