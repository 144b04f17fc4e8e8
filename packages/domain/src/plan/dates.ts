// Calendar arithmetic of plan offsets, in UTC dates (yyyy-mm-dd). A plan offset is "month m, day d"
// of the plan: month 1 day 1 is the plan's start, month 4 day 15 the middle of its fourth month.
import { createHash } from 'node:crypto';

const pad = (n: number) => String(n).padStart(2, '0');
const daysInMonth = (y: number, m0: number) => new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();

/** `date` plus `n` calendar months; a day past the end of the target month is the month's last day. */
export const addMonths = (date: string, n: number): string => {
  const y = Number(date.slice(0, 4));
  const m0 = Number(date.slice(5, 7)) - 1 + n;
  const ty = y + Math.floor(m0 / 12);
  const tm = ((m0 % 12) + 12) % 12;
  const d = Math.min(Number(date.slice(8, 10)), daysInMonth(ty, tm));
  return `${ty}-${pad(tm + 1)}-${pad(d)}`;
};

export const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export interface PlanOffset {
  /** Month of the plan, from 1. */
  month: number;
  /** Day within that plan month, from 1. */
  day: number;
}

/** The date of an offset from the plan's start. */
export const offsetDate = (startsOn: string, o: PlanOffset): string => addDays(addMonths(startsOn, o.month - 1), o.day - 1);

/** An instant on `date` at `time` (HH:MM, UTC). */
export const at = (date: string, time: string): string => `${date}T${time}:00.000Z`;

/**
 * A deterministic uuid (RFC 4122 version 5 layout over SHA-1) for a name: a plan entry's id, which is
 * also the id of the meeting or site visit its adoption schedules, so a retried adoption can only
 * address the same stream (and the stream's expected version refuses a second scheduling).
 */
export const nameUuid = (name: string): string => {
  const h = createHash('sha1').update(`convene-plan:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
};
