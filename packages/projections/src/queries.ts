// Read-model queries: what the API's query routes answer with. Each reads the live instance of its projection.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { owedMonths } from '@convene/domain';
import { keysetPage, nameKey, paged, textKey, type Keyset, type KeysetPage, type KeyValue } from './read/keyset';
import { liveSchema } from './runtime/instances';
import { buildAggregateReport, change, measureReport, periodMonths, pool, reportMeasures, type Counts, type MeasureReport, type ReportInput, type ReportMeasure } from './reports/aggregate';
import { countColumns } from './models/progress';
import { changeProjectsOfAgency } from './read/change-projects';
import { siteVisitsOfAgency } from './read/site-visits';
import { catalogueProgressMeasures } from './read/progress-measures';

export class ProjectionNotReady extends Error {
  constructor(readonly projection: string) {
    super(`read model ${projection} is not built yet`);
  }
}

const cache = new Map<string, { schema: string; at: number }>();

/** Runs `fn` on the live schema of a projection; a swap between lookup and query is retried once. */
export async function withLive<T>(db: Kysely<any>, name: string, fn: (q: Kysely<any>) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let hit = cache.get(name);
    if (!hit || Date.now() - hit.at > 1000 || attempt > 0) {
      const schema = await liveSchema(db, name);
      if (!schema) throw new ProjectionNotReady(name);
      cache.set(name, (hit = { schema, at: Date.now() }));
    }
    try {
      return await fn(db.withSchema(hit.schema));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt === 0 && (code === '42P01' || code === '3F000')) continue;
      throw error;
    }
  }
}

type AnyRow = Record<string, any>;
const rates = (counts: Counts | null) =>
  Object.fromEntries(reportMeasures.map((m) => [m.key, counts ? pool([counts], m).value : null])) as Record<string, number | null>;

const currentMonth = (today: string) => today.slice(0, 7);

export interface ProgressItem {
  agencyId: string;
  agencyName: string;
  cohortId: string | null;
  stage: string;
  rolesFilled: string[];
  walkThroughSubmitted: boolean;
  baselineRecorded: boolean;
  baselinePeriod: { from: string; to: string } | null;
  monthsReported: string[];
  monthsMissing: string[];
  projects: { total: number; active: number; completed: number; abandoned: number };
  pdsaCycles: number;
  lastSiteVisitOn: string | null;
  attendanceRate: number | null;
  latestMonth: string | null;
  measures: { key: string; baseline: number | null; latest: number | null; change: { absolute: number; relative: number | null } | null }[];
}

export function toProgressItem(a: AnyRow, collaborative: AnyRow | undefined, today: string): ProgressItem {
  const reported: string[] = a.months_reported ?? [];
  // Missing: every month owed (@convene/domain's data-due rules) that has ended, until the agency stopped.
  const stopped = a.stage === 'withdrawn' || a.stage === 'completed' || a.stage === 'declined';
  const span = { startsOn: String(collaborative?.starts_on ?? '0000-01'), endsOn: String(collaborative?.ends_on ?? '9999-12') };
  // A catalogue without monthly measures (quarterly reporting) owes no months.
  const owesMonths = collaborative?.monthly_data !== false;
  const expected = a.baseline_to && !stopped && owesMonths ? owedMonths(span, String(a.baseline_to), prevMonth(currentMonth(today))) : [];
  const baseline = rates(a.baseline as Counts | null);
  const latest = rates(a.latest as Counts | null);
  return {
    agencyId: a.agency_id,
    agencyName: a.agency_name,
    cohortId: a.cohort_id,
    stage: a.stage,
    rolesFilled: a.roles_filled ?? [],
    walkThroughSubmitted: !!a.walk_through_on,
    baselineRecorded: !!a.baseline_to,
    baselinePeriod: a.baseline_to ? { from: a.baseline_from, to: a.baseline_to } : null,
    monthsReported: reported,
    monthsMissing: expected.filter((m) => !reported.includes(m)),
    projects: { total: a.projects_total ?? 0, active: a.projects_active ?? 0, completed: a.projects_completed ?? 0, abandoned: a.projects_abandoned ?? 0 },
    pdsaCycles: a.cycles_logged ?? 0,
    lastSiteVisitOn: a.last_site_visit_on,
    attendanceRate: a.meetings_recorded ? a.meetings_attended / a.meetings_recorded : null,
    latestMonth: a.latest_month,
    measures: reportMeasures.map((m) => ({ key: m.key, baseline: baseline[m.key] ?? null, latest: latest[m.key] ?? null, change: change(baseline[m.key] ?? null, latest[m.key] ?? null) })),
  };
}

function prevMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** What cohort progress reads (no person data: roles and contact stay out). */
const PROGRESS_COLUMNS = [
  'id', 'agency_id', 'agency_name', 'cohort_id', 'stage', 'roles_filled', 'walk_through_on', 'baseline_from', 'baseline_to', 'baseline',
  'months_reported', 'latest_month', 'latest', 'projects_total', 'projects_active', 'projects_completed', 'projects_abandoned',
  'cycles_logged', 'last_site_visit_on', 'meetings_recorded', 'meetings_attended',
];

/** Sort keys of cohort progress. */
const PROGRESS_SORTS: Record<string, RawBuilder<KeyValue>> = { agencyName: nameKey('agency_name'), stage: textKey('stage') };

/** Cohort progress: one item per agency of the cohort, by agency name (or stage), then id. */
export async function cohortProgress(
  db: Kysely<any>,
  q: { collaborativeId: string; cohortId: string; keyset: Keyset & { field: string }; today?: string },
): Promise<KeysetPage<ProgressItem> & { cohort: AnyRow | null }> {
  const page = await withLive(db, 'progress', async (p) => {
    const [collaborative, cohort, rows] = await Promise.all([
      p.selectFrom('collaboratives').selectAll().where('id', '=', q.collaborativeId).executeTakeFirst(),
      p.selectFrom('cohorts').selectAll().where('id', '=', q.cohortId).where('collaborative_id', '=', q.collaborativeId).executeTakeFirst(),
      paged(
        p.selectFrom('agencies').select(PROGRESS_COLUMNS).where('collaborative_id', '=', q.collaborativeId).where('cohort_id', '=', q.cohortId),
        PROGRESS_SORTS[q.keyset.field] ?? PROGRESS_SORTS.agencyName!,
        q.keyset,
      ).execute(),
    ]);
    const today = q.today ?? new Date().toISOString().slice(0, 10);
    return { cohort: cohort ?? null, ...keysetPage(rows as AnyRow[] as { sort_key: KeyValue; id: string }[], q.keyset, (r) => toProgressItem(r, collaborative, today)) };
  });
  // Another template than NIATx: each agency's measures are the catalogue's (the measures model).
  const measures = await catalogueProgressMeasures(db, q.collaborativeId);
  return measures ? { ...page, items: page.items.map((i) => ({ ...i, measures: measures(i.agencyId) })) } : page;
}

/** One agency in a collaborative: progress, roles (person data), coach, mentor, change projects, site visits. */
export async function agencyDetail(db: Kysely<any>, q: { collaborativeId: string; agencyId: string; today?: string }) {
  const row = await withLive(db, 'progress', async (p) => {
    const a = await p.selectFrom('agencies').selectAll().where('id', '=', `${q.collaborativeId}_${q.agencyId}`).executeTakeFirst();
    const c = await p.selectFrom('collaboratives').selectAll().where('id', '=', q.collaborativeId).executeTakeFirst();
    return a ? { a, c } : null;
  });
  if (!row) return null;
  // The same resources as GET /v1/change-projects/{id} and /v1/site-visits/{id}: one shape per kind.
  const [projects, visits] = await Promise.all([changeProjectsOfAgency(db, q), siteVisitsOfAgency(db, q)]);
  const measures = await catalogueProgressMeasures(db, q.collaborativeId);
  const item = toProgressItem(row.a, row.c, q.today ?? new Date().toISOString().slice(0, 10));
  return {
    ...item,
    ...(measures ? { measures: measures(q.agencyId) } : {}),
    collaborativeId: q.collaborativeId,
    appliedAt: row.a.applied_at,
    contact: row.a.contact,
    roles: row.a.roles ?? {},
    coachId: row.a.coach_id,
    peerMentorAgencyId: row.a.peer_mentor_agency_id,
    coachingNotes: row.a.coaching_notes ?? 0,
    withdrawnOn: row.a.withdrawn_on,
    completedOn: row.a.completed_on,
    changeProjects: projects,
    siteVisits: visits,
  };
}

/**
 * Spent against budget per category (issue 16): voided expenditures are not spent; a category
 * with a budget and no spending is listed too. Budget and remaining are null where no budget is set.
 */
export async function expendituresByCategory(db: Kysely<any>, q: { collaborativeId: string }) {
  const [rows, budgets] = await withLive(db, 'schedule', (p) =>
    Promise.all([
      p.selectFrom('expenditures').select(['category', sql<number>`sum(amount_cents)::float8`.as('total'), sql<number>`count(*)::int`.as('count')])
        .where('collaborative_id', '=', q.collaborativeId).where('status', 'is distinct from', 'voided').groupBy('category').orderBy('category').execute(),
      p.selectFrom('budgets').select(['category', sql<number>`amount_cents::float8`.as('amount')]).where('collaborative_id', '=', q.collaborativeId).execute(),
    ]),
  );
  const budgetOf = new Map((budgets as AnyRow[]).map((b) => [b.category as string, Number(b.amount)]));
  const spent = new Map((rows as AnyRow[]).map((r) => [r.category as string, { totalCents: Number(r.total), count: Number(r.count) }]));
  const names = [...new Set([...spent.keys(), ...budgetOf.keys()])].sort();
  const categories = names.map((category) => {
    const { totalCents, count } = spent.get(category) ?? { totalCents: 0, count: 0 };
    const budgetCents = budgetOf.get(category) ?? null;
    return { category, totalCents, count, budgetCents, remainingCents: budgetCents === null ? null : budgetCents - totalCents };
  });
  const totalCents = categories.reduce((s, c) => s + c.totalCents, 0);
  const budgetCents = budgetOf.size > 0 ? [...budgetOf.values()].reduce((s, b) => s + b, 0) : null;
  return { collaborativeId: q.collaborativeId, totalCents, budgetCents, remainingCents: budgetCents === null ? null : budgetCents - totalCents, categories };
}

export interface AggregateReport {
  collaborativeId: string;
  cohortId: string | null;
  agencies: number;
  months: string[];
  measures: MeasureReport[];
}

/**
 * Per collaborative (or cohort): each measure pooled from counts per month, change against the
 * pooled baseline, agencies improved, run chart and control limits. No person data.
 */
/**
 * The NIATx counts report. `hidden` (analysts: the cells the catalogue export's complementary
 * suppression hides, by catalogue measure id and month or `baseline`) leaves a measure's numerator
 * out of those months and baselines before pooling: the point is gone and nothing shown derives from it.
 */
export async function aggregateReport(
  db: Kysely<any>,
  q: { collaborativeId: string; cohortId?: string; from?: string; to?: string },
  hidden?: (measureId: string, period: string) => boolean,
): Promise<AggregateReport> {
  return withLive(db, 'progress', async (p) => {
    // float8, not int8: a sum past 2^53 (possible only from counts stored before the input bounds) still reads.
    const sums = Object.keys(countColumns).map((c) => sql<number>`sum(${sql.ref(c)})::float8`.as(c));
    const [months, agencies] = await Promise.all([
      p.selectFrom('agency_months').select(['month', sql<number>`count(*)::int`.as('agencies'), ...sums])
        .where('collaborative_id', '=', q.collaborativeId)
        .$if(!!q.cohortId, (b) => b.where('cohort_id', '=', q.cohortId!))
        .$if(!!q.from, (b) => b.where('month', '>=', q.from!))
        .$if(!!q.to, (b) => b.where('month', '<=', q.to!))
        .groupBy('month').orderBy('month').execute(),
      p.selectFrom('agencies').select(['agency_id', 'baseline', 'baseline_from', 'baseline_to', 'latest'])
        .where('collaborative_id', '=', q.collaborativeId)
        .$if(!!q.cohortId, (b) => b.where('cohort_id', '=', q.cohortId!))
        .where('cohort_id', 'is not', null).execute(),
    ]);
    const toCounts = (r: AnyRow): Counts => Object.fromEntries(Object.entries(countColumns).map(([c, f]) => [f, r[c] === null ? null : Number(r[c])]));
    const input = {
      months: months.map((r: AnyRow) => ({ month: r.month as string, agencies: Number(r.agencies), counts: toCounts(r) })),
      agencies: agencies.map((a: AnyRow) => ({
        agencyId: a.agency_id as string,
        baseline: (a.baseline as Counts | null) ?? null,
        baselineMonths: a.baseline_from ? periodMonths(a.baseline_from, a.baseline_to) : 1,
        latest: (a.latest as Counts | null) ?? null,
      })),
    };
    return {
      collaborativeId: q.collaborativeId,
      cohortId: q.cohortId ?? null,
      agencies: agencies.length,
      months: input.months.map((m) => m.month),
      measures: hidden ? reportMeasures.map((m) => measureReport(m, withoutHidden(input, m, hidden))) : buildAggregateReport(input),
    };
  });
}

/** The report input without measure `m`'s numerator in hidden months and baselines (pooling skips a cell without it). */
function withoutHidden(input: ReportInput, m: ReportMeasure, hidden: (measureId: string, period: string) => boolean): ReportInput {
  const drop = (c: Counts): Counts => ({ ...c, [m.numerator]: null });
  const baselineHidden = hidden(m.key, 'baseline');
  return {
    months: input.months.map((x) => (hidden(m.key, x.month) ? { ...x, counts: drop(x.counts) } : x)),
    agencies: input.agencies.map((a) => (baselineHidden && a.baseline ? { ...a, baseline: drop(a.baseline) } : a)),
  };
}
