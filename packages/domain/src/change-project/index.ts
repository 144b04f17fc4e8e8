import { streamIds } from '../shared/ids';
import type { AggregateDefinition, ContextRef } from '../shared/types';
import * as c from './commands';
import type { ChangeProjectCommand } from './commands';
import { decideChangeProject, type ChangeProjectContext } from './decide';
import { changeProjectEvents, type ChangeProjectEvent } from './events';
import { evolveChangeProject, initialChangeProjectState, type ChangeProjectState } from './state';

const target = (d: { projectId: string }) => streamIds.changeProject(d.projectId);
const refs = (ids: { collaborativeId: string; agencyId?: string | null } | null): ContextRef[] =>
  ids
    ? [
        { key: 'collaborative', aggregate: 'collaborative', streamId: streamIds.collaborative(ids.collaborativeId) },
        // A system-level project (issue 16) belongs to no agency.
        ...(ids.agencyId ? [{ key: 'participation', aggregate: 'participation' as const, streamId: streamIds.participation(ids.collaborativeId, ids.agencyId) }] : []),
      ]
    : [];
const fromState = (_: unknown, s: ChangeProjectState) => refs(s.status === 'none' ? null : s);

export const changeProject: AggregateDefinition<ChangeProjectState, ChangeProjectCommand, ChangeProjectEvent, ChangeProjectContext> = {
  name: 'changeproject',
  initialState: initialChangeProjectState,
  evolve: evolveChangeProject,
  decide: decideChangeProject,
  commands: {
    StartChangeProject: { schema: c.StartChangeProject, operationId: 'startChangeProject', description: 'Start a NIATx change project', streamId: target, context: (d) => refs(d) },
    StartSystemChangeProject: {
      schema: c.StartSystemChangeProject, operationId: 'startSystemChangeProject', streamId: target, context: (d) => refs(d),
      description: "Start a change project of the collaborative's system-level Change Team (the payer's own processes)",
    },
    LogPDSACycle: { schema: c.LogPDSACycle, operationId: 'logPdsaCycle', description: 'Log a Plan-Do-Study-Act cycle', streamId: target, context: fromState },
    CompleteChangeProject: { schema: c.CompleteChangeProject, operationId: 'completeChangeProject', description: 'Complete the project with a sustain plan', streamId: target, context: fromState },
    AbandonChangeProject: { schema: c.AbandonChangeProject, operationId: 'abandonChangeProject', description: 'Abandon the project', streamId: target, context: fromState },
  },
  events: changeProjectEvents,
};

export * from './commands';
export * from './events';
export * from './state';
export * from './decide';
