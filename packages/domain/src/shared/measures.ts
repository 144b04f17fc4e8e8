import { z } from 'zod';
import { MAX_MEDIAN_DAYS, MAX_TOTAL_DAYS } from './bounds';
import { count, storedCount } from './schemas';

export const focusMeasures = ['waiting_time', 'intake_no_show', 'first_post_admission_no_show', 'admissions', 'continuation'] as const;
export const focusMeasure = z.enum(focusMeasures);
export type FocusMeasure = z.infer<typeof focusMeasure>;
export const isFocusMeasure = (m: string): m is FocusMeasure => (focusMeasures as readonly string[]).includes(m);

/** Raw counts for a period (MEASURES.md). A measure's fields come together or not at all. */
const countsShapeOf = (c: z.ZodNumber, totalDays: z.ZodNumber, median: z.ZodNumber) =>
  z
    .object({
      admissions: c.optional(),
      intakeScheduled: c.optional(),
      intakeNoShows: c.optional(),
      firstPostAdmissionScheduled: c.optional(),
      firstPostAdmissionNoShows: c.optional(),
      admittedInWindow: c.optional(),
      retained30: c.optional(),
      retained60: c.optional(),
      clientsTreated: c.optional(),
      totalDaysToTreatment: totalDays.optional(),
      medianDaysToTreatment: median.optional(),
    })
    .strict();
/** Commands: bounded (docs/input-bounds.md). */
const countsShape = countsShapeOf(count, z.number().int().min(0).max(MAX_TOTAL_DAYS), z.number().min(0).max(MAX_MEDIAN_DAYS));
/** Events: what earlier code accepted, so that stored history keeps reading. */
const storedCountsShape = countsShapeOf(storedCount, storedCount, z.number().min(0));

export type MeasureCounts = z.infer<typeof countsShape>;

export const measureGroups: Record<FocusMeasure, (keyof MeasureCounts)[]> = {
  admissions: ['admissions'],
  intake_no_show: ['intakeScheduled', 'intakeNoShows'],
  first_post_admission_no_show: ['firstPostAdmissionScheduled', 'firstPostAdmissionNoShows'],
  // 30-day continuation is the focus; the 60-day count is optional (issue 15: two proportions over one denominator).
  continuation: ['admittedInWindow', 'retained30'],
  waiting_time: ['clientsTreated', 'totalDaysToTreatment'],
};

const checkCounts = (c: MeasureCounts, ctx: z.core.$RefinementCtx<MeasureCounts>) => {
  const issue = (path: keyof MeasureCounts, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  let any = false;
  for (const fields of Object.values(measureGroups)) {
    const present = fields.filter((f) => c[f] !== undefined);
    if (present.length > 0) any = true;
    if (present.length > 0 && present.length < fields.length)
      for (const f of fields) if (c[f] === undefined) issue(f, `${f} is required with ${present.join(', ')}`);
  }
  if (c.retained60 !== undefined) {
    any = true;
    if (c.admittedInWindow === undefined) issue('admittedInWindow', 'admittedInWindow is required with retained60');
  }
  if (!any) issue('admissions', 'at least one measure is required');
  const le = (a: keyof MeasureCounts, b: keyof MeasureCounts) => {
    const x = c[a];
    const y = c[b];
    if (x !== undefined && y !== undefined && x > y) issue(a, `${a} must not exceed ${b}`);
  };
  le('intakeNoShows', 'intakeScheduled');
  le('firstPostAdmissionNoShows', 'firstPostAdmissionScheduled');
  le('retained60', 'retained30');
  le('retained30', 'admittedInWindow');
  if (c.medianDaysToTreatment !== undefined && c.clientsTreated === undefined)
    issue('medianDaysToTreatment', 'medianDaysToTreatment needs clientsTreated');
  if (c.clientsTreated === 0 && (c.totalDaysToTreatment ?? 0) > 0)
    issue('totalDaysToTreatment', 'no clients treated: totalDaysToTreatment must be 0');
};
export const measureCounts = countsShape.superRefine(checkCounts);
export const storedMeasureCounts = storedCountsShape.superRefine(checkCounts);

/** Focus measures of the collaborative that these counts leave out. */
export const missingFocusMeasures = (counts: MeasureCounts, focus: readonly FocusMeasure[]): FocusMeasure[] =>
  focus.filter((m) => measureGroups[m].some((f) => counts[f] === undefined));
