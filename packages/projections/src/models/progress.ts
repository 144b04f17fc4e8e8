import { catalogueReports, periodKind, valuesToCounts, type MeasureValues } from '@convene/domain';
import type { Projection, Row, RowStore } from '../runtime/types';
import { countColumns, countsToColumns, tables } from './progress-tables';
import { refs, scoreKey } from './progress-refs';
import { agencyKey, typed, type DataOf } from './events';

export { countColumns, countsToColumns };

const handled = [
  'CollaborativeLaunched', 'CollaborativeClosed', 'CohortOpened', 'AgencyEnrolledInCohort',
  'ApplicationSubmitted', 'ApplicationScored', 'AgencyAdmitted', 'ApplicationDeclined', 'AgencyWithdrawn',
  'ParticipationCompleted', 'AgencyRoleAssigned', 'CoachAssigned', 'PeerMentorAssigned', 'WalkThroughSubmitted',
  'BaselineRecorded', 'MonthlyMeasuresRecorded', 'MonthlyMeasuresCorrected', 'CoachingNoteRecorded',
  'BaselineCorrected', 'MeasuresSubmitted', 'MeasuresCorrected', 'MeasureDefined', 'MeasureRetired',
  'ChangeProjectStarted', 'PDSACycleLogged', 'ChangeProjectCompleted', 'ChangeProjectAbandoned',
  // Issue 16: attendance per person; an agency attended when any of its people did (as the schedule derives it).
  'SiteVisitCompleted', 'AttendanceRecorded', 'PersonAttendanceRecorded',
  // Issue 16 corrections: the span (due periods follow it), a baseline's span, a walk-through's date, a role removed.
  'CollaborativeDatesCorrected', 'BaselinePeriodCorrected', 'WalkThroughCorrected', 'AgencyRoleRemoved',
  // v7: a score's correction replaces its reviewer's part of the agency's score total.
  'ApplicationScoreCorrected',
] as const;

const FINAL = new Set(['withdrawn', 'completed', 'declined']);
const insertSorted = (list: string[], value: string) => (list.includes(value) ? list : [...list, value].sort());
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** Changes the agency row when it exists (events about unknown agencies change nothing). */
function withAgency(store: RowStore, data: { collaborativeId: string; agencyId?: string }, at: string, change: (a: Row) => void) {
  if (!data.agencyId) return;
  const row = store.get('agencies', agencyKey(data.collaborativeId, data.agencyId));
  if (!row) return;
  change(row);
  row.updated_at = at;
  store.put('agencies', row);
}

/** A month's values (NIATx) into agency_months and the agency's latest month. */
function recordMonth(store: RowStore, d: { collaborativeId: string; agencyId: string; month: string; values: MeasureValues }, corrected: boolean, at: string): void {
  const counts = valuesToCounts(d.values);
  const agency = store.get('agencies', agencyKey(d.collaborativeId, d.agencyId));
  if (!agency) return;
  const id = `${agency.id}_${d.month}`;
  store.put('agency_months', {
    id, collaborative_id: d.collaborativeId, agency_id: d.agencyId, cohort_id: agency.cohort_id, month: d.month,
    ...countsToColumns(counts), median_days_to_treatment: counts.medianDaysToTreatment ?? null, corrected,
  });
  const months = insertSorted((agency.months_reported as string[] | null) ?? [], d.month);
  agency.months_reported = months;
  if (d.month === months.at(-1)) {
    agency.latest_month = d.month;
    agency.latest = counts;
  }
  if (!FINAL.has(String(agency.stage))) agency.stage = 'active';
  agency.updated_at = at;
  store.put('agencies', agency);
}

/** What the collaborative's row keeps of its catalogue: which measures report when (catalogueReports reads these fields). */
const reporting = (catalogue: unknown): { id: string; period: string; type: string; retired?: boolean }[] =>
  (Array.isArray(catalogue) ? catalogue : []).map((m: { id: string; period: string; type: string; retired?: boolean }) => ({ id: m.id, period: m.period, type: m.type, ...(m.retired ? { retired: true } : {}) }));

function evolve(store: RowStore, event: { type: string; data: unknown; recordedAt: Date }): void {
  const e = typed(event as never);
  const at = event.recordedAt.toISOString();
  switch (e.type) {
    case 'CollaborativeLaunched': {
      const d = e.data;
      const catalogue = reporting(d.catalogue);
      store.put('collaboratives', { id: d.collaborativeId, name: d.name, starts_on: d.startsOn, ends_on: d.endsOn, focus_measures: [...d.focusMeasures], status: 'open', closed_on: null, launched_at: at, catalogue, monthly_data: catalogueReports(catalogue, 'monthly') });
      return;
    }
    case 'MeasureDefined':
    case 'MeasureRetired': {
      // Months are owed while a monthly measure is in use: one defined later makes them owed (a
      // quarterly catalogue owes none), retiring the last one ends them (v8).
      const row = store.get('collaboratives', e.data.collaborativeId);
      if (!row) return;
      const was = reporting(row.catalogue);
      const catalogue = e.type === 'MeasureDefined' ? [...was, ...reporting([e.data.measure])] : was.map((m) => (m.id === e.data.measureId ? { ...m, retired: true } : m));
      store.put('collaboratives', { ...row, catalogue, monthly_data: catalogueReports(catalogue, 'monthly') });
      return;
    }
    case 'CollaborativeClosed': {
      const row = store.get('collaboratives', e.data.collaborativeId);
      if (row) store.put('collaboratives', { ...row, status: 'closed', closed_on: e.data.closedOn });
      return;
    }
    case 'CollaborativeDatesCorrected': {
      const row = store.get('collaboratives', e.data.collaborativeId);
      if (row) store.put('collaboratives', { ...row, starts_on: e.data.startsOn, ends_on: e.data.endsOn });
      return;
    }
    case 'BaselinePeriodCorrected':
      return withAgency(store, e.data, at, (a) => {
        a.baseline_from = e.data.period.from;
        a.baseline_to = e.data.period.to;
      });
    case 'WalkThroughCorrected':
      return withAgency(store, e.data, at, (a) => void (a.walk_through_on = e.data.walkedThroughOn));
    case 'AgencyRoleRemoved':
      return withAgency(store, e.data, at, (a) => {
        const roles = { ...(a.roles as Record<string, unknown>) };
        const { role, personId } = e.data;
        const held = roles[role];
        if (Array.isArray(held)) {
          const team = (held as { personId: string }[]).filter((p) => p.personId !== personId);
          if (team.length > 0) roles[role] = team;
          else delete roles[role];
        } else if ((held as { personId?: string } | undefined)?.personId === personId) delete roles[role];
        a.roles = roles;
        a.roles_filled = Object.keys(roles).sort();
      });
    case 'CohortOpened': {
      const d = e.data;
      store.put('cohorts', { id: d.cohortId, collaborative_id: d.collaborativeId, name: d.name, starts_on: d.startsOn, sequence: d.sequence, capacity: d.capacity, enrolled: 0 });
      return;
    }
    case 'AgencyEnrolledInCohort': {
      const row = store.get('cohorts', e.data.cohortId);
      if (row) store.put('cohorts', { ...row, enrolled: num(row.enrolled) + 1 });
      return;
    }
    case 'ApplicationSubmitted': {
      const d = e.data;
      store.put('agencies', {
        id: agencyKey(d.collaborativeId, d.agencyId), collaborative_id: d.collaborativeId, agency_id: d.agencyId, agency_name: d.agencyName,
        contact: d.contact, cohort_id: null, stage: 'applied', applied_at: d.submittedAt, application_scores: 0, application_score_total: 0,
        roles: {}, roles_filled: [], months_reported: [], coaching_notes: 0, projects_total: 0, projects_active: 0, projects_completed: 0,
        projects_abandoned: 0, cycles_logged: 0, site_visits_completed: 0, meetings_recorded: 0, meetings_attended: 0, updated_at: at,
      });
      return;
    }
    case 'ApplicationScored': {
      const d = e.data;
      store.put('application_scores', { id: scoreKey(d), collaborative_id: d.collaborativeId, agency_id: d.agencyId, reviewer_id: d.reviewerId, total: d.total });
      return withAgency(store, d, at, (a) => {
        a.application_scores = num(a.application_scores) + 1;
        a.application_score_total = num(a.application_score_total) + d.total;
      });
    }
    case 'ApplicationScoreCorrected': {
      // The reviewer's total replaced: the agency's sum loses the one it had and gains the new one.
      // (The decision accepts a correction only of a recorded score, so the row is there.)
      const d = e.data;
      const score = store.get('application_scores', scoreKey(d));
      if (!score) return;
      const before = num(score.total);
      store.put('application_scores', { ...score, total: d.total });
      return withAgency(store, d, at, (a) => void (a.application_score_total = num(a.application_score_total) - before + d.total));
    }
    case 'AgencyAdmitted':
      return withAgency(store, e.data, at, (a) => {
        a.stage = 'admitted';
        a.cohort_id = e.data.cohortId;
        a.admitted_at = at;
      });
    case 'ApplicationDeclined':
      return withAgency(store, e.data, at, (a) => void (a.stage = 'declined'));
    case 'AgencyWithdrawn':
      return withAgency(store, e.data, at, (a) => {
        a.stage = 'withdrawn';
        a.withdrawn_on = e.data.withdrawnOn;
      });
    case 'ParticipationCompleted':
      return withAgency(store, e.data, at, (a) => {
        a.stage = 'completed';
        a.completed_on = e.data.completedOn;
      });
    case 'AgencyRoleAssigned':
      return withAgency(store, e.data, at, (a) => {
        const roles = { ...(a.roles as Record<string, unknown>) };
        const { role, person } = e.data;
        if (role === 'change_team_member') {
          const team = ((roles[role] as DataOf<'AgencyRoleAssigned'>['person'][] | undefined) ?? []).filter((p) => p.personId !== person.personId);
          roles[role] = [...team, person];
        } else roles[role] = person;
        a.roles = roles;
        a.roles_filled = Object.keys(roles).sort();
      });
    case 'CoachAssigned':
      return withAgency(store, e.data, at, (a) => void (a.coach_id = e.data.coachId));
    case 'PeerMentorAssigned':
      return withAgency(store, e.data, at, (a) => void (a.peer_mentor_agency_id = e.data.mentorAgencyId));
    case 'WalkThroughSubmitted':
      return withAgency(store, e.data, at, (a) => {
        a.walk_through_on = e.data.walkedThroughOn;
        if (a.stage === 'admitted') a.stage = 'oriented';
      });
    case 'BaselineRecorded':
    case 'BaselineCorrected':
      return withAgency(store, e.data, at, (a) => {
        a.baseline_from = e.data.period.from;
        a.baseline_to = e.data.period.to;
        a.baseline = valuesToCounts(e.data.values);
      });
    case 'MeasuresSubmitted':
    case 'MeasuresCorrected':
      // NIATx columns hold monthly periods; quarterly catalogues are reported from the measures model.
      if (periodKind(e.data.period) !== 'monthly') return;
      return recordMonth(store, { ...e.data, month: e.data.period }, e.type === 'MeasuresCorrected', at);
    case 'MonthlyMeasuresRecorded':
    case 'MonthlyMeasuresCorrected':
      return recordMonth(store, e.data, e.type === 'MonthlyMeasuresCorrected', at);
    case 'CoachingNoteRecorded':
      return withAgency(store, e.data, at, (a) => void (a.coaching_notes = num(a.coaching_notes) + 1));
    case 'ChangeProjectStarted':
      return withAgency(store, e.data, at, (a) => {
        a.projects_total = num(a.projects_total) + 1;
        a.projects_active = num(a.projects_active) + 1;
      });
    case 'PDSACycleLogged':
      return withAgency(store, e.data, at, (a) => void (a.cycles_logged = num(a.cycles_logged) + 1));
    case 'ChangeProjectCompleted':
      return withAgency(store, e.data, at, (a) => {
        a.projects_active = num(a.projects_active) - 1;
        a.projects_completed = num(a.projects_completed) + 1;
      });
    case 'ChangeProjectAbandoned':
      return withAgency(store, e.data, at, (a) => {
        a.projects_active = num(a.projects_active) - 1;
        a.projects_abandoned = num(a.projects_abandoned) + 1;
      });
    case 'SiteVisitCompleted':
      return withAgency(store, e.data, at, (a) => {
        a.site_visits_completed = num(a.site_visits_completed) + 1;
        if (!a.last_site_visit_on || String(a.last_site_visit_on) < e.data.completedOn) a.last_site_visit_on = e.data.completedOn;
      });
    case 'AttendanceRecorded': {
      const d = e.data;
      for (const entry of d.attendance) {
        const agency = store.get('agencies', agencyKey(d.collaborativeId, entry.agencyId));
        if (!agency) continue;
        const id = `${d.meetingId}_${entry.agencyId}`;
        const before = store.get('attendance', id);
        // A second recording for the meeting corrects the first: count each meeting once.
        if (!before) agency.meetings_recorded = num(agency.meetings_recorded) + 1;
        agency.meetings_attended = num(agency.meetings_attended) + (entry.present ? 1 : 0) - (before?.present ? 1 : 0);
        agency.updated_at = at;
        store.put('attendance', { id, meeting_id: d.meetingId, agency_id: entry.agencyId, present: entry.present, people: before?.people ?? null });
        store.put('agencies', agency);
      }
      return;
    }
    case 'PersonAttendanceRecorded': {
      const d = e.data;
      const byAgency = new Map<string, Record<string, boolean>>();
      for (const a of d.attendance) if (a.agencyId) byAgency.set(a.agencyId, { ...byAgency.get(a.agencyId), [a.personId]: a.present });
      for (const [agencyId, recorded] of byAgency) {
        const agency = store.get('agencies', agencyKey(d.collaborativeId, agencyId));
        if (!agency) continue;
        const id = `${d.meetingId}_${agencyId}`;
        const before = store.get('attendance', id);
        // The people recorded so far for this agency at this meeting (a later recording corrects a person's entry).
        const people = { ...((before?.people as Record<string, boolean> | null) ?? {}), ...recorded };
        const present = Object.values(people).some(Boolean);
        if (!before) agency.meetings_recorded = num(agency.meetings_recorded) + 1;
        agency.meetings_attended = num(agency.meetings_attended) + (present ? 1 : 0) - (before?.present ? 1 : 0);
        agency.updated_at = at;
        store.put('attendance', { id, meeting_id: d.meetingId, agency_id: agencyId, present, people });
        store.put('agencies', agency);
      }
      return;
    }
    default:
      return;
  }
}

/** Cohort progress and agency detail, and the monthly counts the aggregate reports pool. */
export const progressProjection: Projection = {
  name: 'progress',
  // 2: count columns are bigint (a new version is rebuilt into fresh tables and swapped in).
  // 3: issue 15 (values by catalogue measure; new submission and baseline-correction events).
  // 4: whether the catalogue owes monthly data (a quarterly catalogue has no missing months).
  // 5 (issue 16): corrections of dates, baseline span, walk-through and roles applied.
  // 6 (issue 16): attendance per person counts in the agencies' attendance (attendance.people).
  // 7: a score's correction changes the agency's score total (application_scores: each reviewer's).
  // 8: a retired measure owes no data: months stop being owed when the last monthly one is retired.
  version: 8,
  holdsPersonalData: true,
  tables,
  eventTypes: [...handled],
  refs,
  evolve,
};
