// Read schemas of the measures context (issue 15).
import { z } from 'zod';
import { nullableString } from '../http/read-routes';

const num = z.number();
const nullableNum = z.number().nullable();
const stratification = z.object({ dimension: z.string(), name: z.string(), categories: z.array(z.string()) });
export const MeasureEntrySchema = z.object({
  id: z.string(), name: z.string(), definition: z.string(), type: z.string(), unit: z.string(), direction: z.string().optional(), period: z.string(),
  target: z.number().optional(), required: z.boolean(), perUnits: z.number().optional(), categories: z.array(z.string()).optional(),
  stratification: z.array(stratification).optional(), sharesDenominatorWith: z.string().optional(), retired: z.boolean().optional(),
});
export const CatalogueSchema = z
  .object({ collaborativeId: z.string(), template: z.string(), focusMeasures: z.array(z.string()), measures: z.array(MeasureEntrySchema) })
  .meta({ id: 'MeasureCatalogue', example: {
    collaborativeId: '0190a000-0000-7000-8000-000000000001', template: 'pediatric-preventive', focusMeasures: ['immunisations_24m'],
    measures: [{ id: 'immunisations_24m', name: 'Immunisations up to date by 24 months', definition: 'Children who turned 24 months in the quarter with every recommended dose', type: 'proportion', unit: 'children', direction: 'higher', period: 'quarterly', required: true }],
  } });

const runChartSchema = z.object({
  median: nullableNum,
  shifts: z.array(z.object({ from: num, to: num, side: z.string() })),
  trends: z.array(z.object({ from: num, to: num, direction: z.string() })),
  runs: z.object({ count: num, usefulObservations: num, lower: nullableNum, upper: nullableNum, tooFew: z.boolean(), tooMany: z.boolean() }),
  astronomical: z.array(num),
});
const pooled = z.object({ numerator: num, denominator: num, value: nullableNum, n: num });
const limits = z.object({ centre: num, lower: num, upper: num });
const seriesPoint = z.object({ period: z.string(), agencies: num, numerator: num, denominator: num, value: num });
export const MeasureReportSchema = z
  .object({
    measure: z.object({ id: z.string(), name: z.string(), type: z.string(), unit: z.string(), direction: z.string().optional(), period: z.string(), target: z.number().optional() }),
    chart: z.enum(['p', 'u', 'c', 'xmr']).nullable(),
    baseline: pooled,
    latest: pooled.extend({ period: z.string() }).nullable(),
    change: z.object({ absolute: num, relative: nullableNum }).nullable(),
    agencies: z.object({ improved: num, notImproved: num, noData: num }),
    points: z.array(seriesPoint.extend({ limits, signal: z.boolean(), phase: num.describe('Index into phases (0 without phases)') })),
    runChart: runChartSchema.describe("The current (last) phase's run chart"),
    phases: z.array(z.object({ startsWith: z.string(), freezeThrough: nullableString, from: num.describe('Index of its first point'), runChart: runChartSchema }))
      .describe('Chart phases a convener started (frozen centre line and limits); empty without'),
    categories: z.array(z.object({ period: z.string(), counts: z.record(z.string(), num) })),
    agencySeries: z.array(z.object({
      agency: z.string().describe('The agency id, or an anonymous label (Agency 2) of another agency for an agency key'),
      own: z.boolean(), baseline: nullableNum, latest: nullableNum,
      points: z.array(z.object({ period: z.string(), numerator: nullableNum, denominator: nullableNum, value: nullableNum, suppressed: z.boolean() })),
    })),
    strata: z.array(z.object({ dimension: z.string(), category: z.string(), points: z.array(seriesPoint) })),
    pdsa: z.array(z.object({ projectId: z.string(), agencyId: z.string(), cycleNumber: num, beginsOn: z.string(), endsOn: z.string(), decision: z.string() })),
  })
  .meta({ id: 'MeasureReport' });

/** A measure pooled over the collaborative or a cohort (the aggregate report): no agency series, strata or PDSA markers. */
export const PooledMeasureReportSchema = MeasureReportSchema.omit({ agencySeries: true, strata: true, pdsa: true })
  .extend({
    measure: MeasureReportSchema.shape.measure.extend({ retired: z.boolean().optional() }),
    suppressed: z.array(z.string()).describe('Analysts: the periods (or `baseline`) withheld by small-cell suppression, left out before pooling; empty for other roles'),
  })
  .meta({ id: 'PooledMeasureReport' });

const valuesSchema = z.record(z.string(), z.record(z.string(), z.unknown())).describe('Values by measure id');
export const SubmissionSchema = z
  .object({
    collaborativeId: z.string(), agencyId: z.string(), cohortId: nullableString, period: z.string(), kind: z.string(), periodFrom: nullableString, periodTo: nullableString,
    status: z.enum(['draft', 'submitted']), values: valuesSchema.nullable(), draft: valuesSchema.nullable(), corrections: num, draftSavedAt: nullableString,
    submittedAt: nullableString, correctedAt: nullableString, assessments: num, latestScore: nullableNum,
  })
  .meta({ id: 'MeasureSubmission' });
export const DuePeriodSchema = z
  .object({
    agencyId: z.string(), agencyName: z.string(), coachId: nullableString, period: z.string(), kind: z.string(),
    contact: z.object({ name: z.string(), email: z.string() }).nullable(), draftSaved: z.boolean(),
  })
  .meta({ id: 'DuePeriod' });
export const AssessmentSchema = z
  .object({ assessmentId: z.string(), collaborativeId: z.string(), agencyId: z.string(), period: z.string(), coachId: z.string(), score: num, comment: z.string(), assessedAt: z.string() })
  .meta({ id: 'ProgressAssessment' });
