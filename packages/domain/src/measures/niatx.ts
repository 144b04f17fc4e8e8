// The fixed NIATx counts of the code before issue 15, read as values of the `niatx` template. The
// upcasters (upcasters.ts) use countsToValues; valuesToCounts gives the flat counts back where a
// read model or export still keeps NIATx columns. The two are exact inverses on every v1 payload.
import type { FocusMeasure, MeasureCounts } from '../shared/measures';
import type { MeasureValues } from './values';

export function countsToValues(c: MeasureCounts): MeasureValues {
  const v: MeasureValues = {};
  if (c.admissions !== undefined) v.admissions = { count: c.admissions };
  if (c.intakeScheduled !== undefined || c.intakeNoShows !== undefined) v.intake_no_show = { numerator: c.intakeNoShows, denominator: c.intakeScheduled };
  if (c.firstPostAdmissionScheduled !== undefined || c.firstPostAdmissionNoShows !== undefined)
    v.first_post_admission_no_show = { numerator: c.firstPostAdmissionNoShows, denominator: c.firstPostAdmissionScheduled };
  if (c.retained30 !== undefined) v.continuation_30 = { numerator: c.retained30, denominator: c.admittedInWindow };
  if (c.retained60 !== undefined) v.continuation_60 = { numerator: c.retained60, denominator: c.admittedInWindow };
  // admittedInWindow alone (no retained count yet): kept as the denominator of continuation_30.
  if (c.admittedInWindow !== undefined && c.retained30 === undefined && c.retained60 === undefined) v.continuation_30 = { denominator: c.admittedInWindow };
  if (c.clientsTreated !== undefined || c.totalDaysToTreatment !== undefined) v.waiting_time = { total: c.totalDaysToTreatment, cases: c.clientsTreated };
  if (c.medianDaysToTreatment !== undefined) v.waiting_time_median = { median: c.medianDaysToTreatment, cases: c.clientsTreated };
  return strip(v);
}

/** Drops undefined fields (JSON has none; toEqual and hashing should not see them). */
const strip = (v: MeasureValues): MeasureValues =>
  Object.fromEntries(Object.entries(v).map(([k, x]) => [k, Object.fromEntries(Object.entries(x).filter(([, y]) => y !== undefined))]));

export function valuesToCounts(v: MeasureValues): MeasureCounts {
  const c: Record<string, number | undefined> = {
    admissions: v.admissions?.count,
    intakeScheduled: v.intake_no_show?.denominator,
    intakeNoShows: v.intake_no_show?.numerator,
    firstPostAdmissionScheduled: v.first_post_admission_no_show?.denominator,
    firstPostAdmissionNoShows: v.first_post_admission_no_show?.numerator,
    admittedInWindow: v.continuation_30?.denominator ?? v.continuation_60?.denominator,
    retained30: v.continuation_30?.numerator,
    retained60: v.continuation_60?.numerator,
    clientsTreated: v.waiting_time?.cases ?? v.waiting_time_median?.cases,
    totalDaysToTreatment: v.waiting_time?.total,
    medianDaysToTreatment: v.waiting_time_median?.median,
  };
  return Object.fromEntries(Object.entries(c).filter(([, x]) => x !== undefined)) as MeasureCounts;
}

/** The catalogue measures a legacy focus measure requires: continuation asks the 30-day count only. */
export const focusToMeasureIds: Record<FocusMeasure, string[]> = {
  waiting_time: ['waiting_time'],
  intake_no_show: ['intake_no_show'],
  first_post_admission_no_show: ['first_post_admission_no_show'],
  admissions: ['admissions'],
  continuation: ['continuation_30'],
};
export const requiredFromFocus = (focus: readonly FocusMeasure[]): string[] => focus.flatMap((f) => focusToMeasureIds[f]);
