// Strict query strings, app-wide: an unknown query parameter is a 400 naming it (never silently
// ignored), and integers are plain decimal digits only (`limit=0x10`, `limit= 1`, `limit=1.5`
// and `limit=` are refused; zod's coerce would have read the first three as numbers).
import { z } from 'zod';

const DIGITS = /^[0-9]{1,16}$/;

/** A query-string integer: plain decimal digits, within [min, max]. */
export function strictInt({ min = 0, max = Number.MAX_SAFE_INTEGER, description }: { min?: number; max?: number; description?: string } = {}) {
  return z
    .string()
    .regex(DIGITS, 'Expected a whole number written in decimal digits')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    // The document shows the integer the parameter is (its wire form is a string of digits).
    .meta({ type: 'integer', minimum: min, maximum: max, pattern: undefined, ...(description ? { description } : {}) });
}

/** A query-string boolean: `true` or `false` only. */
export const strictBool = () => z.enum(['true', 'false']).transform((v) => v === 'true');
