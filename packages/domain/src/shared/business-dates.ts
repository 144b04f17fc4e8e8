// Business dates: when something happened, as opposed to when it was recorded (the command's `now`).
// A refusal names the field and the bound it crossed.
import { unprocessable } from './errors';

const HOUR = 3_600_000;
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The calendar dates an instant can have somewhere: UTC-12 to UTC+14. Date-only fields (a visit's
 * `completedOn`, the collaborative's span) are local dates, so an instant is compared with the widest
 * range rather than its UTC date, which would refuse a 00:30+03:00 call on the first day of the span.
 */
export const localDates = (instant: string): { earliest: string; latest: string } => {
  const t = Date.parse(instant);
  return { earliest: utcDate(t - 12 * HOUR), latest: utcDate(t + 14 * HOUR) };
};

/** Something recorded as having happened cannot lie after the moment it is recorded. */
export const requireNotAfterNow = (instant: string, now: string, field: string): void => {
  if (Date.parse(instant) > Date.parse(now)) unprocessable('held_in_future', `${field} must not be after now (${now}): it records what has happened`, field);
};

/** An instant of the collaborative's own life (a meeting) falls within its span. */
export const requireInstantWithinSpan = (collab: { startsOn: string; endsOn: string }, instant: string, field: string): void => {
  const { earliest, latest } = localDates(instant);
  if (latest < collab.startsOn || earliest > collab.endsOn)
    unprocessable('date_outside_collaborative', `${field} must be between ${collab.startsOn} and ${collab.endsOn}, the collaborative's span`, field);
};
