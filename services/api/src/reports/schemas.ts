// Report schemas: cohort progress and the aggregate report (no person data: analysts read them).
import { z } from 'zod';
import { nullableString } from '../http/read-routes';
import { PooledMeasureReportSchema } from '../measures/schemas';

const Change = z.object({ absolute: z.number(), relative: z.number().nullable() }).nullable();
export const ProgressItemSchema = z
  .object({
    agencyId: z.string(),
    agencyName: z.string(),
    cohortId: nullableString,
    stage: z.string(),
    rolesFilled: z.array(z.string()),
    walkThroughSubmitted: z.boolean(),
    baselineRecorded: z.boolean(),
    baselinePeriod: z.object({ from: z.string(), to: z.string() }).nullable(),
    monthsReported: z.array(z.string()),
    monthsMissing: z.array(z.string()),
    projects: z.object({ total: z.number(), active: z.number(), completed: z.number(), abandoned: z.number() }),
    pdsaCycles: z.number(),
    lastSiteVisitOn: nullableString,
    attendanceRate: z.number().nullable(),
    latestMonth: nullableString,
    measures: z.array(z.object({ key: z.string(), baseline: z.number().nullable(), latest: z.number().nullable(), change: Change })),
  })
  .meta({ id: 'AgencyProgress' });
export const CohortProgressSchema = z.object({ items: z.array(ProgressItemSchema), nextCursor: z.string().nullable() }).extend({ cohortId: z.string(), collaborativeId: z.string() }).meta({ id: 'CohortProgress' });

const Pooled = z.object({ numerator: z.number(), denominator: z.number(), value: z.number().nullable() });
const Signal = z.object({ from: z.number().int(), to: z.number().int() });
const ProjectTally = z.object({
  total: z.number().int(), active: z.number().int(), completed: z.number().int(), abandoned: z.number().int(),
  cycles: z.number().int().describe('PDSA cycles logged'), adopted: z.number().int().describe('Projects whose last cycle decided adopt'),
});
export const AggregateReportSchema = z
  .object({
    collaborativeId: z.string(),
    changeProjects: z.object({
      agencies: ProjectTally.describe("The agencies' projects (of the cohort when given)"),
      system: ProjectTally.extend({
        projects: z.array(z.object({
          projectId: z.string(), title: z.string(), measure: z.string(), status: z.enum(['active', 'completed', 'abandoned']), cycles: z.number().int(),
          lastDecision: nullableString, startedAt: z.string(), targetDate: z.string(),
        })),
      }).describe("Issue 16: the system-level Change Team's projects on the payer's own processes, beside the agencies'"),
    }),
    cohortId: nullableString,
    agencies: z.number().int(),
    months: z.array(z.string()),
    template: z.string().nullable().describe("The catalogue's template (niatx, pediatric-preventive, ...); null before the measures read model has the collaborative"),
    catalogue: z.array(PooledMeasureReportSchema).describe('Every measure of the catalogue (text measures excepted) pooled per reporting period (month or quarter) by its type, with change against the pooled baseline, agencies improved, run-chart signals and control limits'),
    measures: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        kind: z.enum(['proportion', 'mean', 'count']),
        better: z.enum(['lower', 'higher']),
        chart: z.enum(['p', 'c', 'i']),
        baseline: Pooled,
        latest: Pooled.extend({ month: z.string() }).nullable(),
        change: Change,
        agencies: z.object({ improved: z.number().int(), notImproved: z.number().int(), noData: z.number().int() }),
        points: z.array(z.object({
          month: z.string(), agencies: z.number().int(), numerator: z.number(), denominator: z.number(), value: z.number(),
          limits: z.object({ centre: z.number(), lower: z.number(), upper: z.number() }),
        })),
        runChart: z.object({
          median: z.number().nullable(),
          shifts: z.array(Signal.extend({ side: z.enum(['above', 'below']) })),
          trends: z.array(Signal.extend({ direction: z.enum(['up', 'down']) })),
          runs: z.object({ count: z.number().int(), usefulObservations: z.number().int(), lower: z.number().nullable(), upper: z.number().nullable(), tooFew: z.boolean(), tooMany: z.boolean() }),
          astronomical: z.array(z.number().int()),
        }),
      }),
    ),
  })
  .meta({ id: 'AggregateReport', description: 'Pooled rates, change against baseline, run and control charts. No person data. `catalogue` has every catalogue measure; `measures` (and `months`) are the NIATx counts report, kept for niatx collaboratives (empty for other templates).' });

