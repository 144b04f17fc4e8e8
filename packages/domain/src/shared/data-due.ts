// When monthly (and quarterly) data is due, pure, in one place: the worker's reminders (services/worker/src/data-due.ts),
// the calendar's due dates (packages/projections/src/read/due-dates.ts) and the progress read's
// missing months all count with these rules.
//  - An agency owes each month after its baseline period, from the collaborative's first month to
//    its last (DESIGN.md: monthly data follows the baseline).
//  - A month's data is due on `dueDay` of the following month (UTC); the day is a delivery setting
//    of the collaborative, `DEFAULT_DATA_DUE_DAY` unless set.

export const DEFAULT_DATA_DUE_DAY = 10;

/** `2025-03` -> a month count (year * 12 + month - 1), for arithmetic on months. */
export const monthIndex = (month: string): number => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
/** The inverse of `monthIndex`: `yyyy-mm`. */
export const monthOf = (index: number): string => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** The day a month's data is due: `dueDay` of the following month (yyyy-mm-dd, UTC). */
export function dataDueDate(month: string, dueDay: number): string {
  return `${monthOf(monthIndex(month) + 1)}-${String(dueDay).padStart(2, '0')}`;
}

export interface DueSpan {
  /** yyyy-mm-dd (or yyyy-mm): the collaborative's first and last day. */
  startsOn: string;
  endsOn: string;
}

/** Whether an agency whose baseline period ends `baselineTo` owes `month` (yyyy-mm). */
export function owesMonth(span: DueSpan, baselineTo: string | null, month: string): boolean {
  if (baselineTo === null) return false;
  const i = monthIndex(month);
  return i > monthIndex(baselineTo.slice(0, 7)) && i >= monthIndex(span.startsOn.slice(0, 7)) && i <= monthIndex(span.endsOn.slice(0, 7));
}

/** Every month an agency owes, through `through` (yyyy-mm, inclusive), in order. */
export function owedMonths(span: DueSpan, baselineTo: string | null, through: string): string[] {
  if (baselineTo === null) return [];
  const first = Math.max(monthIndex(baselineTo.slice(0, 7)) + 1, monthIndex(span.startsOn.slice(0, 7)));
  const last = Math.min(monthIndex(through), monthIndex(span.endsOn.slice(0, 7)));
  const out: string[] = [];
  for (let i = first; i <= last; i++) out.push(monthOf(i));
  return out;
}

/** Every month of the collaborative (the months whose data may be due), in order. */
export function collaborativeMonths(span: DueSpan): string[] {
  const out: string[] = [];
  for (let i = monthIndex(span.startsOn.slice(0, 7)); i <= monthIndex(span.endsOn.slice(0, 7)); i++) out.push(monthOf(i));
  return out;
}

/** The latest month of the collaborative whose due date has come at `now` (yyyy-mm), or null. */
export function latestDueMonth(span: DueSpan, dueDay: number, now: Date): string | null {
  const nowMonth = monthIndex(now.toISOString().slice(0, 7));
  const latest = Math.min(now.getUTCDate() >= dueDay ? nowMonth - 1 : nowMonth - 2, monthIndex(span.endsOn.slice(0, 7)));
  return latest < monthIndex(span.startsOn.slice(0, 7)) ? null : monthOf(latest);
}

// Quarterly data (issue 15: a catalogue whose measures report quarterly, e.g. the pediatric
// template): the same rules by quarter. An agency owes each quarter after the one holding its
// baseline's end, within the collaborative's quarters; a quarter's data is due on `dueDay` of the
// month after its last month.

/** `2025-Q2` -> a quarter count (year * 4 + quarter - 1). */
export const quarterIndex = (quarter: string): number => Number(quarter.slice(0, 4)) * 4 + Number(quarter.slice(6)) - 1;
/** The inverse of `quarterIndex`: `yyyy-Qn`. */
export const quarterOf = (index: number): string => `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
const quarterOfMonth = (month: string): number => Math.floor(monthIndex(month.slice(0, 7)) / 3);

/** The day a quarter's data is due: `dueDay` of the month after its last month (yyyy-mm-dd, UTC). */
export function quarterDataDueDate(quarter: string, dueDay: number): string {
  return `${monthOf(quarterIndex(quarter) * 3 + 3)}-${String(dueDay).padStart(2, '0')}`;
}

/** Every quarter an agency owes, through `through` (yyyy-Qn, inclusive), in order. */
export function owedQuarters(span: DueSpan, baselineTo: string | null, through: string): string[] {
  if (baselineTo === null) return [];
  const first = Math.max(quarterOfMonth(baselineTo) + 1, quarterOfMonth(span.startsOn));
  const last = Math.min(quarterIndex(through), quarterOfMonth(span.endsOn));
  const out: string[] = [];
  for (let i = first; i <= last; i++) out.push(quarterOf(i));
  return out;
}

/** The latest quarter of the collaborative whose due date has come at `now` (yyyy-Qn), or null. */
export function latestDueQuarter(span: DueSpan, dueDay: number, now: Date): string | null {
  // The latest month whose due day has come; quarter q is due in month q * 3 + 3.
  const month = monthIndex(now.toISOString().slice(0, 7)) - (now.getUTCDate() >= dueDay ? 0 : 1);
  const latest = Math.min(Math.floor((month - 3) / 3), quarterOfMonth(span.endsOn));
  return latest < quarterOfMonth(span.startsOn) ? null : quarterOf(latest);
}
