/**
 * A range bound given as a date (`2025-03-01`) or a date-time with offset, as a UTC instant.
 * A date `to` means the whole day, so it becomes the next midnight (the bound is exclusive).
 */
export function instant(value: string, bound: 'from' | 'to'): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = new Date(`${value}T00:00:00.000Z`);
    if (bound === 'to') day.setUTCDate(day.getUTCDate() + 1);
    return day.toISOString();
  }
  return new Date(value).toISOString();
}
