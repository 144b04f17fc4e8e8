// A collaborative's measure catalogue (issue 15): what its agencies report, how each measure is
// pooled across agencies and which control chart fits it. Set at launch from a template
// (templates.ts) and extended later; a defined measure is never redefined (history would change
// meaning), it can only be retired.
import { z } from 'zod';
import { MAX_MEASURE_VALUE } from '../shared/bounds';
import { text } from '../shared/schemas';

/** How a measure is reported and pooled (MEASURES.md: sums of numerators over sums of denominators). */
export const measureTypes = ['count', 'proportion', 'rate', 'mean', 'median', 'categorical', 'text'] as const;
export type MeasureType = (typeof measureTypes)[number];
export const measureType = z.enum(measureTypes);

export const measureId = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, 'Expected a measure id: lower case letters, digits and _, starting with a letter')
  .describe('A measure id of the collaborative\'s catalogue, e.g. intake_no_show');
const categoryName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_ .+/-]{0,79}$/, 'Expected a category name (letters, digits, space, _ . + / -)');
const categories = z
  .array(categoryName)
  .min(1)
  .max(50)
  .refine((c) => new Set(c).size === c.length, { message: 'categories must be distinct' });

export const reportingPeriod = z.enum(['monthly', 'quarterly']);
export type ReportingPeriod = z.infer<typeof reportingPeriod>;

export const stratification = z
  .object({ dimension: measureId.describe('e.g. race_ethnicity, payer, level_of_care'), name: text(200), categories })
  .strict();

const definitionShape = {
  id: measureId,
  name: text(200),
  definition: text(4000),
  type: measureType,
  /** e.g. "clients", "days", "per 1,000 client-days". */
  unit: text(100),
  /** Direction of improvement; categorical and text measures have none. */
  direction: z.enum(['lower', 'higher']).optional(),
  period: reportingPeriod,
  target: z.number().min(0).max(MAX_MEASURE_VALUE).optional(),
  required: z.boolean(),
  /** Rate per unit: the exposure multiplier (1,000 for "per 1,000 client-days"). */
  perUnits: z.number().int().positive().max(1_000_000).optional(),
  /** Categorical measures: the categories counted. */
  categories: categories.optional(),
  stratification: z.array(stratification).max(10).optional(),
  /** A proportion sharing another proportion's denominator (30- and 60-day continuation). */
  sharesDenominatorWith: measureId.optional(),
};

const checkDefinition = (m: MeasureDefinitionShape, ctx: z.core.$RefinementCtx<MeasureDefinitionShape>) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const numeric = m.type !== 'text' && m.type !== 'categorical';
  if (numeric && !m.direction) issue('direction', `a ${m.type} measure needs a direction of improvement`);
  if (!numeric && m.direction) issue('direction', `a ${m.type} measure has no direction of improvement`);
  if ((m.type === 'categorical') !== (m.categories !== undefined)) issue('categories', 'categories belong to categorical measures, and every categorical measure has them');
  if (m.perUnits !== undefined && m.type !== 'rate') issue('perUnits', 'perUnits belongs to rate measures');
  if (m.sharesDenominatorWith !== undefined && m.type !== 'proportion') issue('sharesDenominatorWith', 'only a proportion shares a denominator');
  if (m.sharesDenominatorWith === m.id) issue('sharesDenominatorWith', 'a measure cannot share its own denominator');
  if (m.type === 'text' && (m.stratification?.length ?? 0) > 0) issue('stratification', 'text measures are not stratified');
  if (m.target !== undefined && (m.type === 'text' || m.type === 'categorical')) issue('target', `a ${m.type} measure has no target`);
  if (m.target !== undefined && m.type === 'proportion' && m.target > 1) issue('target', 'a proportion target is between 0 and 1');
  const dims = (m.stratification ?? []).map((s) => s.dimension);
  if (new Set(dims).size !== dims.length) issue('stratification', 'stratification dimensions must be distinct');
};
const definitionObject = z.object(definitionShape).strict();
type MeasureDefinitionShape = z.infer<typeof definitionObject>;
export const measureDefinition = definitionObject.superRefine(checkDefinition);
export type MeasureDefinition = z.infer<typeof measureDefinition>;

/** A catalogue entry: the definition and whether it was retired (history stays; no new values). */
export interface CatalogueEntry extends MeasureDefinition {
  retired?: boolean;
}
export type Catalogue = readonly CatalogueEntry[];

/** Catalogue-level rules: distinct ids, shared denominators naming a proportion of the same period. */
export function catalogueIssues(measures: readonly MeasureDefinition[]): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const byId = new Map<string, MeasureDefinition>();
  measures.forEach((m, i) => {
    if (byId.has(m.id)) out.push({ path: `${i}.id`, message: `measure ${m.id} is defined twice` });
    byId.set(m.id, m);
  });
  measures.forEach((m, i) => {
    if (!m.sharesDenominatorWith) return;
    const other = byId.get(m.sharesDenominatorWith);
    if (!other || other.type !== 'proportion' || other.period !== m.period)
      out.push({ path: `${i}.sharesDenominatorWith`, message: `${m.sharesDenominatorWith} is not a ${m.period} proportion of this catalogue` });
  });
  return out;
}
export const catalogueSchema = z
  .array(measureDefinition)
  .min(1)
  .max(200)
  .superRefine((ms, ctx) => {
    for (const i of catalogueIssues(ms)) ctx.addIssue({ code: 'custom', path: i.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), message: i.message });
  });

/** Kinds of chart that fit each type (issue 15): p for proportions, u for rates, c for counts, XmR for means and medians. */
export const chartFor = (type: MeasureType): 'p' | 'u' | 'c' | 'xmr' | null =>
  type === 'proportion' ? 'p' : type === 'rate' ? 'u' : type === 'count' ? 'c' : type === 'mean' || type === 'median' ? 'xmr' : null;

export const findMeasure = (catalogue: Catalogue, id: string): CatalogueEntry | undefined => catalogue.find((m) => m.id === id);
