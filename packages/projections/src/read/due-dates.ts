// Due dates of a collaborative's agencies, pure: the baseline is due at its cohort's kick-off (the
// cohort's start: DESIGN.md, "before the kick-off it submits a walk-through and a baseline"), and a
// month's data as @convene/domain's data-due rules say (the worker's reminders count with them too).
import { collaborativeMonths, dataDueDate, owesMonth } from '@convene/domain';

export interface DueAgency {
  agencyId: string;
  agencyName: string;
  cohortId: string | null;
  stage: string;
  baselineTo: string | null;
  monthsReported: string[];
  /** When it withdrew or completed: months after it are no longer expected. */
  stoppedOn?: string | null;
}

export interface DueDate {
  type: 'baseline_due' | 'data_due';
  /** yyyy-mm-dd (a whole day, UTC). */
  date: string;
  cohortId: string | null;
  month: string | null;
  agencies: { agencyId: string; agencyName: string; met: boolean }[];
}

/** Stages in which nothing more is expected (what was delivered still shows as met). */
const STOPPED = new Set(['applied', 'declined', 'withdrawn', 'completed']);

export { dataDueDate };

/** Every due date falling in [from, to) (yyyy-mm-dd), one per cohort kick-off and per month. */
export function dueDates(
  collaborative: { startsOn: string; endsOn: string },
  cohorts: { cohortId: string; startsOn: string }[],
  agencies: DueAgency[],
  dataDueDay: number,
  range: { from: string; to: string },
): DueDate[] {
  const within = (date: string) => date >= range.from && date < range.to;
  const out: DueDate[] = [];
  for (const cohort of cohorts) {
    if (!within(cohort.startsOn)) continue;
    const members = agencies
      .filter((a) => a.cohortId === cohort.cohortId && (!STOPPED.has(a.stage) || a.baselineTo !== null))
      .map((a) => ({ agencyId: a.agencyId, agencyName: a.agencyName, met: a.baselineTo !== null }));
    if (members.length > 0) out.push({ type: 'baseline_due', date: cohort.startsOn, cohortId: cohort.cohortId, month: null, agencies: members });
  }
  for (const month of collaborativeMonths(collaborative)) {
    const date = dataDueDate(month, dataDueDay);
    if (!within(date)) continue;
    const members = agencies
      .filter((a) => owesMonth(collaborative, a.baselineTo, month))
      .map((a) => ({
        agencyId: a.agencyId, agencyName: a.agencyName, met: a.monthsReported.includes(month),
        stopped: STOPPED.has(a.stage) && (!a.stoppedOn || a.stoppedOn.slice(0, 7) <= month),
      }))
      .filter((a) => a.met || !a.stopped)
      .map(({ stopped: _s, ...a }) => a);
    if (members.length > 0) out.push({ type: 'data_due', date, cohortId: null, month, agencies: members });
  }
  return out;
}
