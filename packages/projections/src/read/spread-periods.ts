// The periods of the spread's time series (issue 16): months YYYY-MM or quarters YYYY-Qn.
export type SpreadInterval = 'month' | 'quarter';

/** The period a date (YYYY-MM-DD) falls in. */
export const periodOf = (date: string, interval: SpreadInterval) =>
  interval === 'month' ? date.slice(0, 7) : `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
/** The last day of a period. */
export const endOf = (period: string): string => {
  const [y, rest] = [Number(period.slice(0, 4)), period.slice(5)];
  const lastMonth = rest.startsWith('Q') ? Number(rest.slice(1)) * 3 : Number(rest);
  return new Date(Date.UTC(y, lastMonth, 0)).toISOString().slice(0, 10);
};
export const next = (period: string): string => {
  const y = Number(period.slice(0, 4));
  const rest = period.slice(5);
  if (rest.startsWith('Q')) {
    const q = Number(rest.slice(1));
    return q === 4 ? `${y + 1}-Q1` : `${y}-Q${q + 1}`;
  }
  const m = Number(rest);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};
