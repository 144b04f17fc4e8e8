// Date arithmetic of the demo, in UTC days (yyyy-mm-dd): everything is dated relative to today.

export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDay(d);
}

/** The first of the month `months` after (or before) the month of `day`. */
export function monthStart(day: string, months = 0): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00.000Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return isoDay(d);
}

/** `yyyy-mm` of every month from `from` through `to` (inclusive). */
export function monthsFrom(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = monthStart(from); m.slice(0, 7) <= to.slice(0, 7); m = monthStart(m, 1)) out.push(m.slice(0, 7));
  return out;
}

/** The first weekday (Mon–Fri) on or after `day`. */
export function weekdayOnOrAfter(day: string): string {
  let d = day;
  while ([0, 6].includes(new Date(`${d}T00:00:00.000Z`).getUTCDay())) d = addDays(d, 1);
  return d;
}

export const at = (day: string, time: string): string => `${day}T${time}:00Z`;
