// Reporting periods: a month `2025-03` or a quarter `2025-Q1`. A baseline is a span of dates instead.
import { z } from 'zod';
import type { ReportingPeriod } from './catalogue';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;
export const periodKey = z
  .string()
  .refine((s) => MONTH.test(s) || QUARTER.test(s), { message: 'Expected a month YYYY-MM or a quarter YYYY-Qn' })
  .refine((s) => s.slice(0, 4) >= '2000' && s.slice(0, 4) <= '2100', { message: 'must be a period between 2000 and 2100' })
  .describe('A reporting period: a month YYYY-MM or a quarter YYYY-Qn');

export const periodKind = (key: string): ReportingPeriod => (QUARTER.test(key) ? 'quarterly' : 'monthly');

const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const pad = (n: number) => String(n).padStart(2, '0');

/** First and last day of a period (ISO dates). */
export function periodBounds(key: string): { from: string; to: string } {
  const q = QUARTER.exec(key);
  if (q) {
    const y = Number(q[1]);
    const first = (Number(q[2]) - 1) * 3 + 1;
    return { from: `${y}-${pad(first)}-01`, to: `${y}-${pad(first + 2)}-${pad(lastDay(y, first + 2))}` };
  }
  const [y, m] = key.split('-').map(Number) as [number, number];
  return { from: `${key}-01`, to: `${key}-${pad(lastDay(y, m))}` };
}

/** The period of a kind that holds a date. */
export function periodOf(date: string, kind: ReportingPeriod): string {
  const y = date.slice(0, 4);
  const m = Number(date.slice(5, 7));
  return kind === 'monthly' ? date.slice(0, 7) : `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}

/** Periods of a kind from the one after `afterDate`'s to the one holding `untilDate`, inclusive. */
export function periodsBetween(afterDate: string, untilDate: string, kind: ReportingPeriod): string[] {
  const out: string[] = [];
  const step = kind === 'monthly' ? 1 : 3;
  let [y, m] = [Number(afterDate.slice(0, 4)), Number(afterDate.slice(5, 7))];
  const start = periodOf(afterDate, kind);
  for (let i = 0; i < 1200; i++) {
    const key = periodOf(`${y}-${pad(m)}-01`, kind);
    if (periodBounds(key).from > untilDate) break;
    if (key !== start) out.push(key);
    m += step;
    if (m > 12) {
      m -= 12;
      y++;
    }
  }
  return out;
}

/** Reporting periods of a kind a baseline span covers (at least 1): count measures are per period. */
export const periodsInSpan = (from: string, to: string, kind: ReportingPeriod): number => Math.max(1, periodsBetween(from, to, kind).length + 1);

/**
 * Whether a catalogue (as stored in an event: possibly absent on events older than catalogues)
 * asks agencies for data every `period`: one of its measures reports that often, is not text
 * (qualitative answers are never chased) and is not retired (a retired measure takes no values,
 * so a period whose measures are all retired has nothing to submit: no months or quarters are
 * owed for it, no reminder chases them). With no catalogue, the fixed NIATx measures: monthly.
 */
export function catalogueReports(catalogue: unknown, period: ReportingPeriod): boolean {
  if (!Array.isArray(catalogue)) return period === 'monthly';
  return catalogue.some((m: { period?: string; type?: string; retired?: boolean }) => m.period === period && m.type !== 'text' && m.retired !== true);
}
