// Due dates of a collaborative's agencies, pure: the baseline is due at its cohort's kick-off (the
// cohort's start: DESIGN.md, "before the kick-off it submits a walk-through and a baseline"), and a
// month's data on `dataDueDay` of the following month (UTC), as the worker's reminders count it
// (services/worker/src/data-due.ts), from the month after the baseline to the collaborative's end.

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

const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const monthOf = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
export const dataDueDate = (month: string, dueDay: number) => {
  const next = monthIndex(month) + 1;
  return `${monthOf(next)}-${String(dueDay).padStart(2, '0')}`;
};

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
  const first = monthIndex(collaborative.startsOn.slice(0, 7));
  const last = monthIndex(collaborative.endsOn.slice(0, 7));
  for (let i = first; i <= last; i++) {
    const month = monthOf(i);
    const date = dataDueDate(month, dataDueDay);
    if (!within(date)) continue;
    const members = agencies
      .filter((a) => a.baselineTo !== null && monthIndex(a.baselineTo.slice(0, 7)) < i)
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
