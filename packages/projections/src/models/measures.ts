// The measures read model (issue 15): each collaborative's catalogue, every agency's submissions
// (drafts, submitted values with corrections applied, baseline), coach assessments, and the PDSA
// cycles of change projects by the measure their aim names (for chart markers).
import { periodBounds, periodKind, type CatalogueEntry } from '@convene/domain';
import type { RecordedEvent } from '@convene/eventstore';
import type { Projection, Row, RowRef, RowStore, TableSpec } from '../runtime/types';
import { agencyKey, typed } from './events';

const tables: TableSpec[] = [
  { name: 'catalogues', columns: { template: 'text', focus_measures: 'text[]', measures: 'jsonb', updated_at: 'text' } },
  {
    name: 'agencies',
    columns: { collaborative_id: 'text', agency_id: 'text', agency_name: 'text', cohort_id: 'text', coach_id: 'text', stage: 'text', contact: 'jsonb', change_leader: 'jsonb' },
    indexes: [['collaborative_id', 'cohort_id']],
  },
  {
    name: 'submissions',
    columns: {
      collaborative_id: 'text', agency_id: 'text', cohort_id: 'text', period: 'text', kind: 'text', period_from: 'text', period_to: 'text',
      status: 'text', submitted_values: 'jsonb', draft_values: 'jsonb', corrections: 'integer', draft_saved_at: 'text', submitted_at: 'text',
      corrected_at: 'text', assessments: 'integer', latest_score: 'double precision',
    },
    indexes: [['collaborative_id', 'period'], ['collaborative_id', 'agency_id']],
  },
  {
    name: 'assessments',
    columns: { collaborative_id: 'text', agency_id: 'text', period: 'text', coach_id: 'text', score: 'double precision', comment: 'text', assessed_at: 'text' },
    indexes: [['collaborative_id', 'agency_id']],
  },
  {
    name: 'chart_phases',
    columns: { collaborative_id: 'text', measure_id: 'text', starts_with: 'text', freeze_through: 'text', reason: 'text', started_at: 'text' },
    indexes: [['collaborative_id', 'measure_id']],
  },
  { name: 'projects', columns: { collaborative_id: 'text', agency_id: 'text', measure: 'text' } },
  {
    name: 'pdsa_cycles',
    columns: { project_id: 'text', collaborative_id: 'text', agency_id: 'text', measure: 'text', cycle_number: 'integer', begins_on: 'text', ends_on: 'text', decision: 'text' },
    indexes: [['collaborative_id', 'measure']],
  },
];

const handled = [
  'CollaborativeLaunched', 'MeasureDefined', 'MeasureRetired', 'ChartPhaseStarted', 'ApplicationSubmitted', 'AgencyAdmitted', 'ApplicationDeclined', 'AgencyWithdrawn',
  'ParticipationCompleted', 'CoachAssigned', 'AgencyRoleAssigned', 'BaselineRecorded', 'BaselineCorrected', 'MonthlyMeasuresRecorded',
  // Issue 16: the change leader removed, the baseline's span corrected.
  'AgencyRoleRemoved', 'BaselinePeriodCorrected',
  'MonthlyMeasuresCorrected', 'MeasuresSubmitted', 'MeasuresCorrected', 'MeasuresDraftSaved', 'ProgressAssessed', 'ChangeProjectStarted', 'PDSACycleLogged',
] as const;

const submissionKey = (c: string, a: string, period: string) => `${agencyKey(c, a)}_${period}`;
const periodOfEvent = (d: Record<string, unknown>): string | null =>
  typeof d.month === 'string' ? d.month : typeof d.period === 'string' ? d.period : d.period ? 'baseline' : null;

function refs(event: RecordedEvent): RowRef[] {
  const e = typed(event);
  const d = e.data as Record<string, any>;
  switch (e.type) {
    case 'CollaborativeLaunched':
    case 'MeasureDefined':
    case 'MeasureRetired':
      return [{ table: 'catalogues', id: d.collaborativeId }];
    case 'ChangeProjectStarted':
      return [{ table: 'projects', id: d.projectId }];
    case 'ChartPhaseStarted':
      return [{ table: 'chart_phases', id: `${d.collaborativeId}_${d.measureId}_${d.startsWith}` }];
    case 'PDSACycleLogged':
      return [{ table: 'projects', id: d.projectId }, { table: 'pdsa_cycles', id: `${d.projectId}_${d.cycleNumber}` }];
    case 'ProgressAssessed':
      return [
        { table: 'submissions', id: submissionKey(d.collaborativeId, d.agencyId, d.period) },
        { table: 'assessments', id: event.eventId },
      ];
    default: {
      const period = periodOfEvent(d);
      const own = { table: 'agencies', id: agencyKey(d.collaborativeId, d.agencyId) };
      return period ? [own, { table: 'submissions', id: submissionKey(d.collaborativeId, d.agencyId, period) }] : [own];
    }
  }
}

function upsertSubmission(store: RowStore, agency: Row, period: string, span: { from: string; to: string } | null, change: (s: Row) => void) {
  const id = submissionKey(String(agency.collaborative_id), String(agency.agency_id), period);
  const bounds = span ?? (period === 'baseline' ? null : periodBounds(period));
  const row: Row = store.get('submissions', id) ?? {
    id, collaborative_id: agency.collaborative_id, agency_id: agency.agency_id, cohort_id: agency.cohort_id, period,
    kind: period === 'baseline' ? 'baseline' : periodKind(period), status: 'draft', corrections: 0, assessments: 0,
  };
  if (bounds) {
    row.period_from = bounds.from;
    row.period_to = bounds.to;
  }
  change(row);
  store.put('submissions', row);
}

function evolve(store: RowStore, event: RecordedEvent): void {
  const e = typed(event);
  const at = event.recordedAt.toISOString();
  const d = e.data as Record<string, any>;
  const agency = d.agencyId && d.collaborativeId ? store.get('agencies', agencyKey(d.collaborativeId, d.agencyId)) : undefined;
  const setAgency = (change: (a: Row) => void) => {
    if (!agency) return;
    change(agency);
    store.put('agencies', agency);
  };
  switch (e.type) {
    case 'CollaborativeLaunched':
      store.put('catalogues', { id: e.data.collaborativeId, template: e.data.measureTemplate, focus_measures: [...e.data.focusMeasures], measures: e.data.catalogue, updated_at: at });
      return;
    case 'MeasureDefined':
    case 'MeasureRetired': {
      const row = store.get('catalogues', e.data.collaborativeId);
      if (!row) return;
      const measures = row.measures as CatalogueEntry[];
      row.measures = e.type === 'MeasureDefined' ? [...measures, e.data.measure] : measures.map((m) => (m.id === e.data.measureId ? { ...m, retired: true } : m));
      row.updated_at = at;
      store.put('catalogues', row);
      return;
    }
    case 'ApplicationSubmitted':
      store.put('agencies', {
        id: agencyKey(e.data.collaborativeId, e.data.agencyId), collaborative_id: e.data.collaborativeId, agency_id: e.data.agencyId,
        agency_name: e.data.agencyName, cohort_id: null, coach_id: null, stage: 'applied', contact: e.data.contact, change_leader: null,
      });
      return;
    case 'AgencyAdmitted':
      return setAgency((a) => {
        a.stage = 'admitted';
        a.cohort_id = e.data.cohortId;
      });
    case 'ApplicationDeclined':
      return setAgency((a) => void (a.stage = 'declined'));
    case 'AgencyWithdrawn':
      return setAgency((a) => void (a.stage = 'withdrawn'));
    case 'ParticipationCompleted':
      return setAgency((a) => void (a.stage = 'completed'));
    case 'CoachAssigned':
      return setAgency((a) => void (a.coach_id = e.data.coachId));
    case 'AgencyRoleAssigned':
      if (e.data.role === 'change_leader') setAgency((a) => void (a.change_leader = e.data.person));
      return;
    case 'AgencyRoleRemoved':
      if (e.data.role === 'change_leader') setAgency((a) => void ((a.change_leader as { personId?: string } | null)?.personId === e.data.personId && (a.change_leader = null)));
      return;
    case 'BaselinePeriodCorrected':
      if (!agency || !store.get('submissions', submissionKey(e.data.collaborativeId, e.data.agencyId, 'baseline'))) return;
      return upsertSubmission(store, agency, 'baseline', e.data.period, (s) => {
        s.corrections = Number(s.corrections ?? 0) + 1;
        s.corrected_at = at;
      });
    case 'MeasuresDraftSaved':
      if (!agency) return;
      return upsertSubmission(store, agency, e.data.period, e.data.baselinePeriod ?? null, (s) => {
        s.draft_values = e.data.values;
        s.draft_saved_at = at;
      });
    case 'BaselineRecorded':
    case 'MonthlyMeasuresRecorded':
    case 'MeasuresSubmitted': {
      if (!agency) return;
      const period = periodOfEvent(d)!;
      return upsertSubmission(store, agency, period, e.type === 'BaselineRecorded' ? e.data.period : null, (s) => {
        s.status = 'submitted';
        s.submitted_values = e.data.values;
        s.draft_values = null;
        s.submitted_at = at;
      });
    }
    case 'BaselineCorrected':
    case 'MonthlyMeasuresCorrected':
    case 'MeasuresCorrected': {
      if (!agency) return;
      const period = periodOfEvent(d)!;
      return upsertSubmission(store, agency, period, e.type === 'BaselineCorrected' ? e.data.period : null, (s) => {
        s.status = 'submitted';
        s.submitted_values = e.data.values;
        s.corrections = Number(s.corrections ?? 0) + 1;
        s.corrected_at = at;
      });
    }
    case 'ProgressAssessed': {
      const s = store.get('submissions', submissionKey(e.data.collaborativeId, e.data.agencyId, e.data.period));
      if (s) store.put('submissions', { ...s, assessments: Number(s.assessments ?? 0) + 1, latest_score: e.data.score });
      store.put('assessments', {
        id: event.eventId, collaborative_id: e.data.collaborativeId, agency_id: e.data.agencyId, period: e.data.period, coach_id: e.data.coachId,
        score: e.data.score, comment: e.data.comment, assessed_at: e.data.assessedAt,
      });
      return;
    }
    case 'ChartPhaseStarted':
      store.put('chart_phases', {
        id: `${e.data.collaborativeId}_${e.data.measureId}_${e.data.startsWith}`, collaborative_id: e.data.collaborativeId, measure_id: e.data.measureId,
        starts_with: e.data.startsWith, freeze_through: e.data.freezeThrough ?? null, reason: e.data.reason, started_at: at,
      });
      return;
    case 'ChangeProjectStarted':
      // The system-level Change Team's projects (issue 16, no agency) mark no agency's chart.
      if (!e.data.agencyId) return;
      store.put('projects', { id: e.data.projectId, collaborative_id: e.data.collaborativeId, agency_id: e.data.agencyId, measure: e.data.measure });
      return;
    case 'PDSACycleLogged': {
      const project = store.get('projects', e.data.projectId);
      if (!e.data.agencyId) return;
      store.put('pdsa_cycles', {
        id: `${e.data.projectId}_${e.data.cycleNumber}`, project_id: e.data.projectId, collaborative_id: e.data.collaborativeId, agency_id: e.data.agencyId,
        measure: project?.measure ?? null, cycle_number: e.data.cycleNumber, begins_on: e.data.beginsOn, ends_on: e.data.endsOn, decision: e.data.decision,
      });
      return;
    }
    default:
      return;
  }
}

/** Catalogues, submissions, assessments and PDSA markers by measure (issue 15). */
export const measuresProjection: Projection = {
  name: 'measures',
  // 2 (issue 16): a change leader removed, a baseline's span corrected.
  version: 2,
  holdsPersonalData: true,
  tables,
  eventTypes: [...handled],
  refs,
  evolve,
};
