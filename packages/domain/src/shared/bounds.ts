// The limits every command's input is held to (docs/input-bounds.md). They are what a real
// collaborative could report and what the read side can store and sum without overflow; events
// stored before a bound existed keep reading (their schemas stay lenient, see schemas.ts).

/** Dates (and the date part of timestamps and months) a command may carry. */
export const DATE_MIN = '2000-01-01';
export const DATE_MAX = '2100-12-31';

/** A raw count of one agency in one month or baseline (admissions, intakes, clients...). */
export const MAX_COUNT = 100_000;
/** Sum of days to treatment over the clients of one month: MAX_COUNT clients x 100 days. */
export const MAX_TOTAL_DAYS = 10_000_000;
/** A median wait in days (ten years). */
export const MAX_MEDIAN_DAYS = 3_650;
/** One expenditure: 100 million dollars. */
export const MAX_AMOUNT_CENTS = 10_000_000_000;
/**
 * Expenditures per collaborative: with MAX_AMOUNT_CENTS the total stays below 10^15, under
 * Number.MAX_SAFE_INTEGER (9.007 x 10^15) and far under int8.
 */
export const MAX_EXPENDITURES = 100_000;
/** A baseline or target value of a change project (a rate, days or a count). */
export const MAX_MEASURE_VALUE = 1_000_000_000;
/** PDSA cycles of one change project. */
export const MAX_PDSA_CYCLE = 1_000;
/** Continuation windows (days) and the units of service that count as continuation. */
export const MAX_WINDOW_DAYS = 365;
export const MAX_UNIT_THRESHOLD = 100;

/**
 * Where a string cannot be stored: PostgreSQL refuses NUL (U+0000) in text and jsonb, and an
 * unpaired UTF-16 surrogate is not Unicode (jsonb refuses it, and it cannot be encoded as UTF-8).
 * Returns a message naming the problem, or undefined when the string is storable.
 */
export function unstorableText(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL (U+0000) characters';
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)) {
    return 'must not contain unpaired UTF-16 surrogates';
  }
  return undefined;
}
