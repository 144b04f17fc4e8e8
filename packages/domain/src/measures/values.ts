// Values an agency submits for a period, and their validation against the catalogue (issue 15):
// the fields a type needs, numerator <= denominator, non-negative, categories known, strata summing
// to the total where both are given. Pure: the deciders and the API's 400s both use it.
import { z } from 'zod';
import { MAX_COUNT, MAX_MEASURE_VALUE, MAX_TOTAL_DAYS } from '../shared/bounds';
import { text } from '../shared/schemas';
import { findMeasure, type Catalogue, type CatalogueEntry, type MeasureType, type ReportingPeriod } from './catalogue';

const count = z.number().int().min(0).max(MAX_COUNT);
const amount = z.number().min(0).max(MAX_TOTAL_DAYS);
const valueFields = {
  count: count.optional(),
  numerator: count.optional(),
  denominator: count.optional(),
  exposure: z.number().min(0).max(MAX_MEASURE_VALUE).optional(),
  total: amount.optional(),
  cases: count.optional(),
  median: z.number().min(0).max(MAX_MEASURE_VALUE).optional(),
  counts: z.record(z.string().max(80), count).optional(),
  text: text(20000).optional(),
};
/** One stratum cell: the same fields as the measure's own value. */
export const stratumValue = z.object(valueFields).strict();
export const measureValue = z
  .object({ ...valueFields, strata: z.record(z.string().max(63), z.record(z.string().max(80), stratumValue)).optional() })
  .strict()
  .describe('The value of one measure: the fields its type needs (count; numerator+denominator; count+exposure; total+cases; median+cases; counts per category; text), optionally per stratum');
export type MeasureValue = z.infer<typeof measureValue>;
export type StratumValue = z.infer<typeof stratumValue>;
export const measureValues = z.record(z.string().max(63), measureValue).describe('Values by measure id');
export type MeasureValues = z.infer<typeof measureValues>;

/** As stored in events: what earlier code accepted (no upper bounds), so history keeps reading. */
const storedCount = z.number().int().min(0);
const storedFields = {
  count: storedCount.optional(), numerator: storedCount.optional(), denominator: storedCount.optional(), exposure: z.number().min(0).optional(),
  total: z.number().min(0).optional(), cases: storedCount.optional(), median: z.number().min(0).optional(),
  counts: z.record(z.string(), storedCount).optional(), text: z.string().optional(),
};
export const storedMeasureValues = z.record(
  z.string(),
  z.object({ ...storedFields, strata: z.record(z.string(), z.record(z.string(), z.object(storedFields).strict())).optional() }).strict(),
);

/** Fields each type needs; the others are refused. */
export const fieldsOf: Record<MeasureType, (keyof StratumValue)[]> = {
  count: ['count'],
  proportion: ['numerator', 'denominator'],
  rate: ['count', 'exposure'],
  mean: ['total', 'cases'],
  median: ['median', 'cases'],
  categorical: ['counts'],
  text: ['text'],
};
/** Fields that add up across strata (and across agencies when pooled). */
const additive: Record<MeasureType, (keyof StratumValue)[]> = {
  count: ['count'], proportion: ['numerator', 'denominator'], rate: ['count', 'exposure'], mean: ['total', 'cases'], median: ['cases'], categorical: [], text: [],
};

export interface ValueIssue {
  path: string;
  message: string;
}
export interface ValidationOptions {
  /** baseline: any measure; monthly/quarterly: the measures reported at that period. */
  period: 'baseline' | ReportingPeriod;
  /** Submitting (not a draft): every required, unretired measure of the period must be there. */
  complete: boolean;
}

function cellIssues(m: CatalogueEntry, v: StratumValue, path: string, out: ValueIssue[]) {
  const need = fieldsOf[m.type];
  for (const [f, x] of Object.entries(v)) if (x !== undefined && !need.includes(f as keyof StratumValue) && f !== 'strata') out.push({ path: `${path}.${f}`, message: `a ${m.type} measure has no ${f}` });
  for (const f of need) if (v[f] === undefined) out.push({ path: `${path}.${f}`, message: `${f} is required for a ${m.type} measure` });
  if (m.type === 'proportion' && v.numerator !== undefined && v.denominator !== undefined && v.numerator > v.denominator)
    out.push({ path: `${path}.numerator`, message: 'numerator must not exceed denominator' });
  if (m.type === 'mean' && v.cases === 0 && (v.total ?? 0) > 0) out.push({ path: `${path}.total`, message: 'no cases: total must be 0' });
  if (m.type === 'rate' && v.exposure === 0 && (v.count ?? 0) > 0) out.push({ path: `${path}.exposure`, message: 'no exposure: count must be 0' });
  if (m.type === 'categorical' && v.counts)
    for (const c of Object.keys(v.counts)) if (!m.categories?.includes(c)) out.push({ path: `${path}.counts.${c}`, message: `unknown category ${c} (known: ${m.categories?.join(', ')})` });
}

function strataIssues(m: CatalogueEntry, v: MeasureValue, path: string, out: ValueIssue[]) {
  for (const [dimension, cells] of Object.entries(v.strata ?? {})) {
    const dim = m.stratification?.find((s) => s.dimension === dimension);
    if (!dim) {
      out.push({ path: `${path}.strata.${dimension}`, message: `${m.id} is not stratified by ${dimension}` });
      continue;
    }
    for (const [category, cell] of Object.entries(cells)) {
      if (!dim.categories.includes(category)) out.push({ path: `${path}.strata.${dimension}.${category}`, message: `unknown category ${category} of ${dimension} (known: ${dim.categories.join(', ')})` });
      else cellIssues(m, cell, `${path}.strata.${dimension}.${category}`, out);
    }
    // Where both are given, the strata add up to the total (per additive field).
    for (const f of additive[m.type]) {
      const total = v[f];
      if (typeof total !== 'number') continue;
      const sum = Object.values(cells).reduce((s, c) => s + (typeof c[f] === 'number' ? c[f] : 0), 0);
      if (Math.abs(sum - total) > 1e-9 * Math.max(1, total)) out.push({ path: `${path}.strata.${dimension}`, message: `the ${dimension} strata's ${f} sum to ${sum}, not the total ${total}` });
    }
    if (m.type === 'categorical' && v.counts)
      for (const c of m.categories ?? []) {
        const sum = Object.values(cells).reduce((s, x) => s + (x.counts?.[c] ?? 0), 0);
        if (v.counts[c] !== undefined && sum !== v.counts[c]) out.push({ path: `${path}.strata.${dimension}`, message: `the ${dimension} strata's ${c} sum to ${sum}, not the total ${v.counts[c]}` });
      }
  }
}

/** Every problem of the values against the catalogue; empty when they are valid. Paths are relative to `values`. */
export function validateValues(catalogue: Catalogue, values: MeasureValues, options: ValidationOptions): ValueIssue[] {
  const out: ValueIssue[] = [];
  const inPeriod = (m: CatalogueEntry) => options.period === 'baseline' || m.period === options.period;
  for (const [id, v] of Object.entries(values)) {
    const m = findMeasure(catalogue, id);
    if (!m) out.push({ path: id, message: `unknown measure ${id}` });
    else if (m.retired) out.push({ path: id, message: `measure ${id} is retired` });
    else if (!inPeriod(m)) out.push({ path: id, message: `${id} is reported ${m.period}, not in a ${options.period} submission` });
    else {
      cellIssues(m, v, id, out);
      strataIssues(m, v, id, out);
    }
  }
  // Proportions over one denominator (30- and 60-day continuation) agree on it.
  for (const m of catalogue) {
    const shared = m.sharesDenominatorWith;
    const a = values[m.id]?.denominator;
    const b = shared ? values[shared]?.denominator : undefined;
    if (a !== undefined && b !== undefined && a !== b) out.push({ path: `${m.id}.denominator`, message: `${m.id} shares its denominator with ${shared}: ${a} is not ${b}` });
  }
  if (options.complete) {
    for (const m of catalogue) if (m.required && !m.retired && inPeriod(m) && values[m.id] === undefined) out.push({ path: m.id, message: `${m.id} is required` });
    if (Object.keys(values).length === 0) out.push({ path: '', message: 'at least one measure is required' });
  }
  return out;
}
