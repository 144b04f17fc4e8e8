import { conflict, notFound } from '../shared/errors';
import { assertNever, type BaseContext } from '../shared/types';
import type { CollaborativeCommand } from './commands';
import type { CollaborativeEvent } from './events';
import type { CollaborativeState, OpenCollaborative } from './state';

type Cmd<T extends CollaborativeCommand['type']> = Extract<CollaborativeCommand, { type: T }>['data'];

/** Every command of the collaborative and of its members goes through this: nothing happens in a closed collaborative. */
export const requireOpenCollaborative = (state: CollaborativeState | undefined): OpenCollaborative => {
  if (!state || state.status === 'none') return notFound('collaborative_not_found', 'No such collaborative');
  if (state.status === 'closed') return conflict('collaborative_closed', 'The collaborative is closed');
  return state;
};

const launch = (data: Cmd<'LaunchCollaborative'>, state: CollaborativeState): CollaborativeEvent[] => {
  if (state.status !== 'none') return conflict('collaborative_exists', 'The collaborative was already launched');
  return [{ type: 'CollaborativeLaunched', data }];
};

const appointSystemRole = (data: Cmd<'AppointSystemRole'>, state: CollaborativeState): CollaborativeEvent[] => {
  requireOpenCollaborative(state);
  return [{ type: 'SystemRoleAppointed', data }];
};

const openCohort = (data: Cmd<'OpenCohort'>, state: CollaborativeState): CollaborativeEvent[] => {
  const s = requireOpenCollaborative(state);
  if (s.cohorts[data.cohortId]) return conflict('cohort_exists', 'The cohort is already open', 'cohortId');
  const sequence = Object.keys(s.cohorts).length + 1;
  return [{ type: 'CohortOpened', data: { ...data, sequence } }];
};

const recordExpenditure = (data: Cmd<'RecordExpenditure'>, state: CollaborativeState): CollaborativeEvent[] => {
  const s = requireOpenCollaborative(state);
  if (s.expenditures.includes(data.expenditureId))
    return conflict('expenditure_exists', 'This expenditure is already recorded', 'expenditureId');
  return [{ type: 'ExpenditureRecorded', data }];
};

const close = (data: Cmd<'CloseCollaborative'>, state: CollaborativeState): CollaborativeEvent[] => {
  requireOpenCollaborative(state);
  return [{ type: 'CollaborativeClosed', data }];
};

export const decideCollaborative = (
  command: CollaborativeCommand,
  state: CollaborativeState,
  _context?: BaseContext,
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
    case 'CloseCollaborative':
      return close(command.data, state);
    default:
      return assertNever(command);
  }
};
