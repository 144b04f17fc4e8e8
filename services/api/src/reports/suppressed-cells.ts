// Which pooled cells an analyst may not see in the aggregate report (issue 15): the same cells the
// analyst export hides (catalogue-export.ts: small cells under the threshold with complementary
// suppression over the cohort x period table with its `all` and `total` margins, and the baseline
// column), so the report and the export published side by side reveal nothing either hides.
import type { Kysely } from 'kysely';
import { getCatalogue, submittedRows, type HiddenCell } from '@convene/projections';
import { catalogueExportRows, type SubmissionRow } from '../exports/catalogue-export';
import { ALL_COHORTS } from '../exports/report';

/** The analysts' threshold: the configured one (CONVENE_SUPPRESSION_THRESHOLD), 11 unless set. */
export const analystThreshold = (): number => Number(process.env.CONVENE_SUPPRESSION_THRESHOLD || 11);

/** The hidden cells of the collaborative's (or a cohort's) row of the export, by measure, stratum or category, and period (or `baseline`). */
export async function hiddenCells(db: Kysely<any>, collaborativeId: string, cohortId: string | undefined, threshold: number): Promise<HiddenCell> {
  const catalogue = await getCatalogue(db, collaborativeId);
  if (!catalogue) return () => false;
  const rows = catalogueExportRows(collaborativeId, catalogue.measures, (await submittedRows(db, collaborativeId)) as SubmissionRow[], threshold);
  const scope = cohortId ?? ALL_COHORTS;
  const key = (measureId: string, dimension: string, category: string, period: string) => `${measureId}|${dimension}|${category}|${period}`;
  const hidden = new Set(rows.filter((r) => r.cohortId === scope && r.suppressed !== '').map((r) => key(r.measureId, r.dimension, r.category, r.period)));
  // Strata are published for the collaborative as a whole only: a cohort's strata are never shown to analysts.
  return (measureId, period, part = {}) => (part.dimension !== undefined && cohortId !== undefined) || hidden.has(key(measureId, part.dimension ?? '', part.category ?? '', period));
}
