// Due dates of a collaborative's agencies, pure: the baseline is due at its cohort's kick-off (the
// cohort's start: DESIGN.md, "before the kick-off it submits a walk-through and a baseline"), and a
// period's data as @convene/domain's data-due rules say (the worker's reminders count with them
// too): months when the catalogue has monthly measures, quarters when it has quarterly ones
// (catalogueReports, the one rule for which periods a catalogue chases).
import { collaborativeMonths, dataDueDate, owedQuarters, owesMonth, quarterDataDueDate, quarterIndex, quarterOf } from '@convene/domain';

export interface DueAgency {
  agencyId: string;
  agencyName: string;
  cohortId: string | null;
  stage: string;
  baselineTo: string | null;
  monthsReported: string[];
  /** Quarters submitted (yyyy-Qn); none when the catalogue reports no quarters. */
  quartersReported?: string[];
  /** When it applied: due dates list agencies in application order. */
  appliedAt?: string | null;
  /** When it withdrew or completed: periods after it are no longer expected. */
  stoppedOn?: string | null;
}

export interface DueDate {
  type: 'baseline_due' | 'data_due';
  /** yyyy-mm-dd (a whole day, UTC). */
  date: string;
  cohortId: string | null;
  /** A monthly due date's month (null for a quarter's or a baseline's). */
  month: string | null;
  /** The period whose data is due: a month (yyyy-mm) or a quarter (yyyy-Qn); null for a baseline. */
  period: string | null;
  agencies: { agencyId: string; agencyName: string; met: boolean }[];
}

/** Which periods the catalogue chases (catalogueReports of @convene/domain). Default: months only, as before catalogues. */
export interface DueCadence {
  monthly: boolean;
  quarterly: boolean;
}

/** Stages in which nothing more is expected (what was delivered still shows as met). */
const STOPPED = new Set(['applied', 'declined', 'withdrawn', 'completed']);

export { dataDueDate };

/** The collaborative's quarters, in order. */
function collaborativeQuarters(span: { startsOn: string; endsOn: string }): string[] {
  const q = (date: string) => `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
  const out: string[] = [];
  for (let i = quarterIndex(q(span.startsOn)); i <= quarterIndex(q(span.endsOn)); i++) out.push(quarterOf(i));
  return out;
}

/** Every due date falling in [from, to) (yyyy-mm-dd), one per cohort kick-off and per period the catalogue chases. */
export function dueDates(
  collaborative: { startsOn: string; endsOn: string },
  cohorts: { cohortId: string; startsOn: string }[],
  agencies: DueAgency[],
  dataDueDay: number,
  range: { from: string; to: string },
  cadence: DueCadence = { monthly: true, quarterly: false },
): DueDate[] {
  const within = (date: string) => date >= range.from && date < range.to;
  // In application order, then by id: the read model's row order is not an order (a replay stores rows in another).
  agencies = [...agencies].sort((a, b) => (a.appliedAt ?? '').localeCompare(b.appliedAt ?? '') || a.agencyId.localeCompare(b.agencyId));
  const out: DueDate[] = [];
  for (const cohort of cohorts) {
    if (!within(cohort.startsOn)) continue;
    const members = agencies
      .filter((a) => a.cohortId === cohort.cohortId && (!STOPPED.has(a.stage) || a.baselineTo !== null))
      .map((a) => ({ agencyId: a.agencyId, agencyName: a.agencyName, met: a.baselineTo !== null }));
    if (members.length > 0) out.push({ type: 'baseline_due', date: cohort.startsOn, cohortId: cohort.cohortId, month: null, period: null, agencies: members });
  }
  // An agency that stopped is no longer expected from the period holding its stop date on (what it delivered stays met).
  const expected = (owes: (a: DueAgency) => boolean, met: (a: DueAgency) => boolean, stopMonth: string) =>
    agencies
      .filter(owes)
      .map((a) => ({ agencyId: a.agencyId, agencyName: a.agencyName, met: met(a), stopped: STOPPED.has(a.stage) && (!a.stoppedOn || a.stoppedOn.slice(0, 7) <= stopMonth) }))
      .filter((a) => a.met || !a.stopped)
      .map(({ stopped: _s, ...a }) => a);
  if (cadence.monthly)
    for (const month of collaborativeMonths(collaborative)) {
      const date = dataDueDate(month, dataDueDay);
      if (!within(date)) continue;
      const members = expected((a) => owesMonth(collaborative, a.baselineTo, month), (a) => a.monthsReported.includes(month), month);
      if (members.length > 0) out.push({ type: 'data_due', date, cohortId: null, month, period: month, agencies: members });
    }
  if (cadence.quarterly)
    for (const quarter of collaborativeQuarters(collaborative)) {
      const date = quarterDataDueDate(quarter, dataDueDay);
      if (!within(date)) continue;
      // Stopping within a quarter ends what is expected of that quarter (as a month's stop ends that month).
      const lastMonth = `${quarter.slice(0, 4)}-${String(Number(quarter.slice(6)) * 3).padStart(2, '0')}`;
      const members = expected(
        (a) => owedQuarters(collaborative, a.baselineTo, quarter).includes(quarter),
        (a) => (a.quartersReported ?? []).includes(quarter),
        lastMonth,
      );
      if (members.length > 0) out.push({ type: 'data_due', date, cohortId: null, month: null, period: quarter, agencies: members });
    }
  return out.sort((a, b) => a.date.localeCompare(b.date) || (a.period ?? '').localeCompare(b.period ?? ''));
}
