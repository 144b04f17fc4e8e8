import { catalogueIssues, chartFor } from '../measures/catalogue';
import { periodKind } from '../measures/periods';
import { catalogueFromTemplate, templateUsesContinuationSettings } from '../measures/templates';
import { MAX_EXPENDITURES } from '../shared/bounds';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { assertNever } from '../shared/types';
import type { CollaborativeCommand } from './commands';
import type { CollaborativeEvent } from './events';
import type { CollaborativeState, OpenCollaborative } from './state';
import * as corrections from './corrections';

type Cmd<T extends CollaborativeCommand['type']> = Extract<CollaborativeCommand, { type: T }>['data'];

/** Every command of the collaborative and of its members goes through this: nothing happens in a closed collaborative. */
export const requireOpenCollaborative = (state: CollaborativeState | undefined): OpenCollaborative => {
  if (!state || state.status === 'none') return notFound('collaborative_not_found', 'No such collaborative');
  if (state.status === 'closed') return conflict('collaborative_closed', 'The collaborative is closed');
  return state;
};

/**
 * A date of the collaborative's own life (a cohort start, a walk-through, a coaching note) falls within its span.
 * Expenditures are not held to it: a convener spends before the launch (venues, materials).
 */
export const requireWithinSpan = (collab: { startsOn: string; endsOn: string }, date: string, field: string): void => {
  if (date < collab.startsOn || date > collab.endsOn) {
    unprocessable('date_outside_collaborative', `${field} must be between ${collab.startsOn} and ${collab.endsOn}, the collaborative's span`, field);
  }
};

const launch = (data: Cmd<'LaunchCollaborative'>, state: CollaborativeState): CollaborativeEvent[] => {
  if (state.status !== 'none') return conflict('collaborative_exists', 'The collaborative was already launched');
  const { measureTemplate = 'niatx', customMeasures = [], ...rest } = data;
  if (templateUsesContinuationSettings[measureTemplate] && !data.measureSettings)
    return unprocessable('measure_settings_required', `The ${measureTemplate} template has continuation measures: measureSettings (continuation windows and unit threshold) is required`, 'measureSettings');
  const required = requiredMeasureIds(data.focusMeasures);
  const catalogue = [...catalogueFromTemplate(measureTemplate, required), ...customMeasures];
  const [problem] = catalogueIssues(catalogue);
  if (problem) {
    const i = Number(problem.path.split('.')[0]) - (catalogue.length - customMeasures.length);
    return unprocessable('catalogue_invalid', problem.message, i >= 0 ? `customMeasures.${i}` : 'measureTemplate');
  }
  const unknown = required.find((id) => !catalogue.some((m) => m.id === id));
  if (unknown) return unprocessable('measure_not_in_catalogue', `Focus measure ${unknown} is not in the ${measureTemplate} catalogue or the custom measures`, 'focusMeasures');
  return [{ type: 'CollaborativeLaunched', data: { ...rest, measureTemplate, catalogue: catalogue.map((m) => (required.includes(m.id) ? { ...m, required: true } : m)) } }];
};

/** Focus measures name catalogue ids; `continuation` (the NIATx name) asks the 30-day count. */
const requiredMeasureIds = (focus: readonly string[]): string[] => [...new Set(focus.flatMap((f) => (f === 'continuation' ? ['continuation_30'] : [f])))];

const defineMeasure = (data: Cmd<'DefineMeasure'>, state: CollaborativeState): CollaborativeEvent[] => {
  const s = requireOpenCollaborative(state);
  // Never redefined: values already submitted under the id would change meaning.
  if (s.catalogue.some((m) => m.id === data.measure.id)) return conflict('measure_exists', `Measure ${data.measure.id} is defined; retire it and define a new id instead`, 'measure.id');
  const [problem] = catalogueIssues([...s.catalogue, data.measure]);
  if (problem) return unprocessable('catalogue_invalid', problem.message, 'measure');
  return [{ type: 'MeasureDefined', data }];
};

const startChartPhase = (data: Cmd<'StartChartPhase'>, state: CollaborativeState): CollaborativeEvent[] => {
  const s = requireOpenCollaborative(state);
  const m = s.catalogue.find((x) => x.id === data.measureId);
  if (!m) return notFound('measure_not_found', `No measure ${data.measureId} in this collaborative's catalogue`);
  if (!chartFor(m.type)) return unprocessable('measure_not_charted', `A ${m.type} measure has no control chart`, 'measureId');
  if (periodKind(data.startsWith) !== m.period) return unprocessable('period_kind_mismatch', `${m.id} is reported ${m.period}`, 'startsWith');
  if (data.freezeThrough && (periodKind(data.freezeThrough) !== m.period || data.freezeThrough < data.startsWith))
    return unprocessable('freeze_span_invalid', `freezeThrough must be a ${m.period} period from startsWith on`, 'freezeThrough');
  if ((s.chartPhases ?? []).includes(`${m.id}/${data.startsWith}`)) return conflict('chart_phase_exists', 'A phase of this measure already starts with this period', 'startsWith');
  return [{ type: 'ChartPhaseStarted', data }];
};

const retireMeasure = (data: Cmd<'RetireMeasure'>, state: CollaborativeState): CollaborativeEvent[] => {
  const s = requireOpenCollaborative(state);
  const m = s.catalogue.find((x) => x.id === data.measureId);
  if (!m) return notFound('measure_not_found', `No measure ${data.measureId} in this collaborative's catalogue`);
  if (m.retired) return conflict('measure_retired', `Measure ${data.measureId} is already retired`, 'measureId');
  return [{ type: 'MeasureRetired', data }];
};

const appointSystemRole = (data: Cmd<'AppointSystemRole'>, state: CollaborativeState): CollaborativeEvent[] => {
  requireOpenCollaborative(state);
  return [{ type: 'SystemRoleAppointed', data }];
};

const openCohort = (data: Cmd<'OpenCohort'>, state: CollaborativeState): CollaborativeEvent[] => {
  const s = requireOpenCollaborative(state);
  if (s.cohorts[data.cohortId]) return conflict('cohort_exists', 'The cohort is already open', 'cohortId');
  requireWithinSpan(s, data.startsOn, 'startsOn');
  const sequence = Object.keys(s.cohorts).length + 1;
  return [{ type: 'CohortOpened', data: { ...data, sequence } }];
};

const recordExpenditure = (data: Cmd<'RecordExpenditure'>, state: CollaborativeState): CollaborativeEvent[] => {
  const s = requireOpenCollaborative(state);
  if (s.expenditures.includes(data.expenditureId))
    return conflict('expenditure_exists', 'This expenditure is already recorded', 'expenditureId');
  // Bounded so that the collaborative's total stays a safe integer (docs/input-bounds.md).
  if (s.expenditures.length >= MAX_EXPENDITURES)
    return unprocessable('too_many_expenditures', `A collaborative records at most ${MAX_EXPENDITURES} expenditures`, 'expenditureId');
  return [{ type: 'ExpenditureRecorded', data }];
};

const close = (data: Cmd<'CloseCollaborative'>, state: CollaborativeState): CollaborativeEvent[] => {
  const s = requireOpenCollaborative(state);
  if (data.closedOn < s.startsOn)
    return unprocessable('date_outside_collaborative', `closedOn must not be before ${s.startsOn}, the collaborative's start`, 'closedOn');
  return [{ type: 'CollaborativeClosed', data }];
};

export const decideCollaborative = (
  command: CollaborativeCommand,
  state: CollaborativeState,
  context?: corrections.CollaborativeContext,
): CollaborativeEvent[] => {
  switch (command.type) {
    case 'LaunchCollaborative':
      return launch(command.data, state);
    case 'AppointSystemRole':
      return appointSystemRole(command.data, state);
    case 'OpenCohort':
      return openCohort(command.data, state);
    case 'RecordExpenditure':
      return recordExpenditure(command.data, state);
    case 'DefineMeasure':
      return defineMeasure(command.data, state);
    case 'RetireMeasure':
      return retireMeasure(command.data, state);
    case 'StartChartPhase':
      return startChartPhase(command.data, state);
    case 'CloseCollaborative':
      return close(command.data, state);
    case 'CorrectCollaborativeDates':
      return corrections.correctDates(command.data, state, context);
    case 'ChangeMeetingCadence':
      return corrections.changeCadence(command.data, state);
    case 'RemoveSystemRole':
      return corrections.removeSystemRole(command.data, state);
    case 'CorrectExpenditure':
      return corrections.correctExpenditure(command.data, state);
    case 'VoidExpenditure':
      return corrections.voidExpenditure(command.data, state);
    case 'SetBudget':
      return corrections.setBudget(command.data, state);
    default:
      return assertNever(command);
  }
};
