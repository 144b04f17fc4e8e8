import type { MeasureCounts } from '@convene/domain';
import type { TableSpec } from '../runtime/types';

// The progress projection's tables: collaboratives, cohorts, agencies with their stage and
// counters, the monthly counts the aggregate reports pool, attendance (evolve: progress.ts).

/** Columns of the raw counts (MEASURES.md), in agency_months and wherever counts are stored flat. */
export const countColumns = {
  admissions: 'admissions',
  intake_scheduled: 'intakeScheduled',
  intake_no_shows: 'intakeNoShows',
  fpa_scheduled: 'firstPostAdmissionScheduled',
  fpa_no_shows: 'firstPostAdmissionNoShows',
  admitted_in_window: 'admittedInWindow',
  retained30: 'retained30',
  retained60: 'retained60',
  clients_treated: 'clientsTreated',
  total_days_to_treatment: 'totalDaysToTreatment',
} as const satisfies Record<string, keyof MeasureCounts>;

// bigint: a count may be anything the schema accepts (an int4 column refused 2,147,483,648 and
// stopped the projection; issue 11.11). Values stay safe JS integers (packages/db's int8 parser).
const countSpec = Object.fromEntries(Object.keys(countColumns).map((c) => [c, 'bigint' as const]));

export const tables: TableSpec[] = [
  {
    name: 'collaboratives',
    columns: { name: 'text', starts_on: 'text', ends_on: 'text', focus_measures: 'text[]', status: 'text', closed_on: 'text', launched_at: 'text', monthly_data: 'boolean', catalogue: 'jsonb' },
  },
  {
    name: 'cohorts',
    columns: { collaborative_id: 'text', name: 'text', starts_on: 'text', sequence: 'integer', capacity: 'integer', enrolled: 'integer' },
    indexes: [['collaborative_id']],
  },
  {
    name: 'agencies',
    columns: {
      collaborative_id: 'text',
      agency_id: 'text',
      agency_name: 'text',
      contact: 'jsonb',
      cohort_id: 'text',
      stage: 'text',
      applied_at: 'text',
      application_scores: 'integer',
      application_score_total: 'integer',
      admitted_at: 'text',
      roles: 'jsonb',
      roles_filled: 'jsonb',
      coach_id: 'text',
      peer_mentor_agency_id: 'text',
      walk_through_on: 'text',
      baseline_from: 'text',
      baseline_to: 'text',
      baseline: 'jsonb',
      months_reported: 'jsonb',
      latest_month: 'text',
      latest: 'jsonb',
      coaching_notes: 'integer',
      projects_total: 'integer',
      projects_active: 'integer',
      projects_completed: 'integer',
      projects_abandoned: 'integer',
      cycles_logged: 'integer',
      site_visits_completed: 'integer',
      last_site_visit_on: 'text',
      meetings_recorded: 'integer',
      meetings_attended: 'integer',
      withdrawn_on: 'text',
      completed_on: 'text',
      updated_at: 'text',
    },
    indexes: [['collaborative_id', 'cohort_id']],
  },
  // Each reviewer's current total of an application (v7): a score correction replaces that
  // reviewer's total, so the agency's sum needs the one it replaces.
  { name: 'application_scores', columns: { collaborative_id: 'text', agency_id: 'text', reviewer_id: 'text', total: 'integer' } },
  {
    name: 'agency_months',
    columns: { collaborative_id: 'text', agency_id: 'text', cohort_id: 'text', month: 'text', ...countSpec, median_days_to_treatment: 'double precision', corrected: 'boolean' },
    indexes: [['collaborative_id', 'month']],
  },
  // people (issue 16): { personId: present } of the agency's people recorded per person; null when recorded per agency only.
  { name: 'attendance', columns: { meeting_id: 'text', agency_id: 'text', present: 'boolean', people: 'jsonb' } },
];

export const countsToColumns = (counts: MeasureCounts): Record<string, number | null> => {
  const out: Record<string, number | null> = {};
  for (const [column, field] of Object.entries(countColumns)) out[column] = counts[field] ?? null;
  return out;
};
