import { z } from 'zod';
import { DATE_MAX, DATE_MIN, MAX_AMOUNT_CENTS, MAX_COUNT, unstorableText } from './bounds';

// Commands use the bounded schemas (isoDate, month, count, cents...); events use the `stored*`
// variants, which accept what earlier code accepted: an event stored before a bound existed must
// still read, replay and project (events are never rewritten). New event types may use either.

const refuseUnstorable = (value: string, ctx: z.core.$RefinementCtx<string>) => {
  const message = unstorableText(value);
  if (message) ctx.addIssue({ code: 'custom', message });
};
/** Any string that PostgreSQL can store (no NUL, no unpaired surrogate). */
export const storableString = () => z.string().superRefine(refuseUnstorable);

export const uuid = z.uuid();

const dateRange = `between ${DATE_MIN} and ${DATE_MAX}`;
const inDateRange = (date: string) => date >= DATE_MIN && date <= DATE_MAX;
export const storedIsoDate = z.iso.date();
export const isoDate = z.iso
  .date()
  .refine(inDateRange, { message: `must be a date ${dateRange}` })
  .describe(`A date YYYY-MM-DD ${dateRange}`);
export const storedIsoDateTime = z.iso.datetime({ offset: true });
export const isoDateTime = z.iso
  .datetime({ offset: true })
  .refine((t) => inDateRange(t.slice(0, 10)), { message: `must be a time on a date ${dateRange}` })
  .describe(`An ISO 8601 time with offset, on a date ${dateRange}`);
const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;
export const storedMonth = z.string().regex(monthPattern, 'Expected a month YYYY-MM');
export const month = z
  .string()
  .regex(monthPattern, 'Expected a month YYYY-MM')
  .refine((m) => inDateRange(`${m}-01`), { message: `must be a month ${dateRange}` })
  .describe(`A month YYYY-MM ${dateRange}`);

/** Free text: trimmed, not empty, at most `max` characters, storable. */
export const text = (max = 2000) => z.string().trim().min(1).max(max).superRefine(refuseUnstorable);
export const storedCount = z.number().int().min(0);
export const count = z.number().int().min(0).max(MAX_COUNT);
export const storedCents = z.number().int().positive();
export const cents = z.number().int().positive().max(MAX_AMOUNT_CENTS);

export const person = z
  .object({ personId: uuid, name: text(200), email: z.email() })
  .strict()
  .describe('A person with a stable id, a name and an e-mail');
export type Person = z.infer<typeof person>;

const periodOf = (date: z.ZodType<string>) =>
  z
    .object({ from: date, to: date })
    .strict()
    .refine((p) => p.from <= p.to, { message: 'from must not be after to', path: ['to'] });
export const period = periodOf(isoDate);
export const storedPeriod = periodOf(storedIsoDate);
export type Period = z.infer<typeof period>;

/** Events are written by deciders: same shapes, strict, versioned by the event spec. */
export const eventSchema = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict();
export const commandSchema = <T extends z.ZodRawShape>(shape: T) => z.object(shape).strict();
