import { periodKind } from '@convene/domain';
import type { RowRef } from '../runtime/types';
import { agencyKey, typed } from './events';

// The rows of the progress projection (progress.ts) each event reads and writes.

/** An application's score row: one per reviewer. */
export const scoreKey = (d: { collaborativeId: string; agencyId: string; reviewerId: string }) => `${agencyKey(d.collaborativeId, d.agencyId)}_${d.reviewerId}`;

export function refs(event: { type: string; data: unknown }): RowRef[] {
  const e = typed(event as never);
  switch (e.type) {
    case 'CollaborativeLaunched':
    case 'CollaborativeClosed':
    case 'MeasureDefined':
    case 'MeasureRetired':
    case 'CollaborativeDatesCorrected':
      return [{ table: 'collaboratives', id: e.data.collaborativeId }];
    case 'CohortOpened':
    case 'AgencyEnrolledInCohort':
      return [{ table: 'cohorts', id: e.data.cohortId }];
    case 'MeasuresSubmitted':
    case 'MeasuresCorrected':
      if (periodKind(e.data.period) !== 'monthly') return [{ table: 'agencies', id: agencyKey(e.data.collaborativeId, e.data.agencyId) }];
      return [
        { table: 'agencies', id: agencyKey(e.data.collaborativeId, e.data.agencyId) },
        { table: 'agency_months', id: `${agencyKey(e.data.collaborativeId, e.data.agencyId)}_${e.data.period}` },
      ];
    case 'MonthlyMeasuresRecorded':
    case 'MonthlyMeasuresCorrected':
      return [
        { table: 'agencies', id: agencyKey(e.data.collaborativeId, e.data.agencyId) },
        { table: 'agency_months', id: `${agencyKey(e.data.collaborativeId, e.data.agencyId)}_${e.data.month}` },
      ];
    case 'ApplicationScored':
    case 'ApplicationScoreCorrected':
      return [
        { table: 'agencies', id: agencyKey(e.data.collaborativeId, e.data.agencyId) },
        { table: 'application_scores', id: scoreKey(e.data) },
      ];
    case 'AttendanceRecorded':
      return e.data.attendance.flatMap((a) => [
        { table: 'agencies', id: agencyKey(e.data.collaborativeId, a.agencyId) },
        { table: 'attendance', id: `${e.data.meetingId}_${a.agencyId}` },
      ]);
    case 'PersonAttendanceRecorded':
      return e.data.attendance.flatMap((a) => (a.agencyId ? [
        { table: 'agencies', id: agencyKey(e.data.collaborativeId, a.agencyId) },
        { table: 'attendance', id: `${e.data.meetingId}_${a.agencyId}` },
      ] : []));
    default:
      // A system-level change project (issue 16) has no agencyId: no agency row.
      if ('agencyId' in e.data && e.data.agencyId && 'collaborativeId' in e.data)
        return [{ table: 'agencies', id: agencyKey(e.data.collaborativeId, e.data.agencyId) }];
      return [];
  }
}
