// Measure submissions against the collaborative's catalogue (issue 15): drafts, submissions of a
// baseline or a reporting period, corrections of either, and the coach's progress assessment.
import type { OpenCollaborative } from '../collaborative/state';
import { periodBounds, periodKind } from '../measures/periods';
import { validateValues, type MeasureValues, type ValidationOptions } from '../measures/values';
import { countsToValues } from '../measures/niatx';
import { conflict, DomainError, unprocessable } from '../shared/errors';
import type { Period } from '../shared/schemas';
import type { ParticipationCommand } from './commands';
import type { ParticipationEvent } from './events';
import type { AdmittedParticipation } from './state';

type Cmd<T extends ParticipationCommand['type']> = Extract<ParticipationCommand, { type: T }>['data'];
type Events = ParticipationEvent[];
export interface Active {
  collab: OpenCollaborative;
  p: AdmittedParticipation;
  today: string;
  now: string;
}

/** Refuses values the catalogue does not take, naming every wrong field (422, `values.<measure>.<field>`). */
export function requireValidValues(collab: OpenCollaborative, values: MeasureValues, options: ValidationOptions, prefix = 'values'): void {
  const issues = validateValues(collab.catalogue, values, options);
  if (issues.length === 0) return;
  const details = issues.map((i) => ({ field: i.path ? `${prefix}.${i.path}` : prefix, message: i.message }));
  throw new DomainError('unprocessable', 'measure_values_invalid', `${details[0]!.field}: ${details[0]!.message}`, details[0]!.field, details);
}

/** A reporting period can take values once it has started and if it follows the baseline. */
function requireReportablePeriod(a: Active, key: string, field = 'period') {
  const { from } = periodBounds(key);
  if (!a.p.baseline) return conflict('baseline_required', 'Submit the baseline before a reporting period');
  if (from <= a.p.baseline.to) return unprocessable('period_not_after_baseline', 'The period must follow the baseline period', field);
  if (from > a.today) return unprocessable('period_in_future', 'The period has not started', field);
}
const requireBaselineSpan = (a: Active, span: Period, field: string) => {
  if (span.to > a.today) unprocessable('period_in_future', 'The baseline period has not ended', `${field}.to`);
};
const optionsFor = (period: string, complete: boolean): ValidationOptions => ({ period: period === 'baseline' ? 'baseline' : periodKind(period), complete });

export function saveDraft(d: Cmd<'SaveMeasuresDraft'>, a: Active): Events {
  if (d.period === 'baseline') {
    if (a.p.baseline) return conflict('baseline_already_recorded', 'The baseline is submitted; correct it instead');
  } else if (a.p.months.includes(d.period)) return conflict('period_already_submitted', 'This period is submitted; correct it instead', 'period');
  requireValidValues(a.collab, d.values, optionsFor(d.period, false));
  return [{ type: 'MeasuresDraftSaved', data: d }];
}

export function submit(d: Cmd<'SubmitMeasures'>, a: Active): Events {
  const draft = a.p.drafts[d.period];
  const values = d.values ?? draft?.values;
  if (!values) return unprocessable('draft_not_found', 'No values given and no draft saved for this period', 'values');
  const ids = { collaborativeId: d.collaborativeId, agencyId: d.agencyId };
  if (d.period === 'baseline') {
    if (a.p.baseline) return conflict('baseline_already_recorded', 'The baseline is already recorded');
    const span = d.baselinePeriod ?? draft?.baselinePeriod;
    if (!span) return unprocessable('baseline_period_required', 'A baseline submission names its baselinePeriod', 'baselinePeriod');
    requireBaselineSpan(a, span, 'baselinePeriod');
    requireValidValues(a.collab, values, optionsFor('baseline', true));
    return [{ type: 'BaselineRecorded', data: { ...ids, period: span, values } }];
  }
  if (a.p.months.includes(d.period)) return conflict('period_already_submitted', 'This period is submitted; correct it instead', 'period');
  requireReportablePeriod(a, d.period);
  requireValidValues(a.collab, values, optionsFor(d.period, true));
  return [{ type: 'MeasuresSubmitted', data: { ...ids, period: d.period, values } }];
}

export function correctBaseline(d: Cmd<'CorrectBaseline'>, a: Active): Events {
  if (!a.p.baseline) return conflict('baseline_required', 'No baseline to correct');
  const span = d.baselinePeriod ?? a.p.baseline;
  requireBaselineSpan(a, span, 'baselinePeriod');
  const first = a.p.months.map((m) => periodBounds(m).from).sort()[0];
  if (first && span.to >= first) return unprocessable('period_not_after_baseline', 'The corrected baseline must end before the first reported period', 'baselinePeriod.to');
  requireValidValues(a.collab, d.values, optionsFor('baseline', true));
  return [{ type: 'BaselineCorrected', data: { collaborativeId: d.collaborativeId, agencyId: d.agencyId, period: span, values: d.values, reason: d.reason } }];
}

export function correctPeriod(d: Cmd<'CorrectMeasures'>, a: Active): Events {
  if (!a.p.months.includes(d.period)) return conflict('period_not_submitted', 'This period was never submitted', 'period');
  requireValidValues(a.collab, d.values, optionsFor(d.period, true));
  return [{ type: 'MeasuresCorrected', data: d }];
}

export function assess(d: Cmd<'AssessProgress'>, a: Active): Events {
  if (!a.collab.coaches.includes(d.coachId)) return unprocessable('not_a_coach', 'Not a coach of this collaborative', 'coachId');
  const submitted = d.period === 'baseline' ? !!a.p.baseline : a.p.months.includes(d.period);
  if (!submitted) return conflict('period_not_submitted', 'Assess a submitted period', 'period');
  return [{ type: 'ProgressAssessed', data: { ...d, assessedAt: a.now } }];
}

/** Measures of the catalogue that were retired (they take no new values). */
export const retiredIds = (collab: OpenCollaborative): Set<string> => new Set(collab.catalogue.filter((m) => m.retired).map((m) => m.id));

/**
 * The NIATx count commands of before issue 15 write values too; their counts must fit the catalogue.
 * Counts of a retired measure are left out, not refused: those commands' request shape is fixed
 * (a client of them sends every count it has, and cannot leave out a measure it does not know was
 * retired), and a retired measure takes no new values. SubmitMeasures, which names measures,
 * refuses them instead (docs/measures.md).
 */
export function legacyValues(collab: OpenCollaborative, counts: Parameters<typeof countsToValues>[0], period: 'baseline' | 'monthly'): MeasureValues {
  const retired = retiredIds(collab);
  const values = Object.fromEntries(Object.entries(countsToValues(counts)).filter(([id]) => !retired.has(id)));
  requireValidValues(collab, values, { period, complete: false }, 'counts');
  return values;
}
