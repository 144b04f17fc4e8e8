import { requireOpenCollaborative, requireWithinSpan } from '../collaborative/decide';
import type { CollaborativeState } from '../collaborative/state';
import { requireActiveParticipation } from '../participation/decide';
import type { ParticipationState } from '../participation/state';
import { localDates } from '../shared/business-dates';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { assertNever, type BaseContext, type Decision } from '../shared/types';
import { streamIds } from '../shared/ids';
import type { ParticipationEvent } from '../participation/events';
import type { ChangeProjectCommand } from './commands';
import type { ChangeProjectEvent } from './events';
import type { ChangeProjectState } from './state';

export interface ChangeProjectContext extends BaseContext {
  collaborative?: CollaborativeState;
  /** The owning agency's participation. */
  participation?: ParticipationState;
}
type Cmd<T extends ChangeProjectCommand['type']> = Extract<ChangeProjectCommand, { type: T }>['data'];
type Events = ChangeProjectEvent[];
/** The ids every event of the project carries; a system-level project's have no agencyId. */
const idsOf = (p: { projectId: string; collaborativeId: string; agencyId: string | null }) => ({
  projectId: p.projectId, collaborativeId: p.collaborativeId, ...(p.agencyId === null ? {} : { agencyId: p.agencyId }),
});

const requireActiveProject = (s: ChangeProjectState, ctx: ChangeProjectContext) => {
  if (s.status === 'none') return notFound('project_not_found', 'No such change project');
  requireOpenCollaborative(ctx.collaborative);
  // A system-level project (issue 16) has no agency whose participation could end.
  if (s.agencyId !== null) requireActiveParticipation(ctx.participation);
  if (s.status !== 'active') return conflict('project_not_active', `The project is ${s.status}`);
  return s;
};

/** Today anywhere: a date-only field is the recorder's local date, which may be ahead of UTC. */
const todayOf = (now: string) => localDates(now).latest;

/**
 * A project started today aims at a date ahead; one already running when it is recorded (a
 * collaborative moving onto Convene) gives its `startedOn`, and its target date need only follow that.
 */
const start = (d: Cmd<'StartChangeProject'>, s: ChangeProjectState, ctx: ChangeProjectContext): Decision<ChangeProjectEvent> => {
  requireActiveParticipation(ctx.participation);
  const [started] = startProject(d, s, ctx);
  // On the participation stream too (issue 16): a completion decided without this project is refused by its version.
  const opened: ParticipationEvent = { type: 'AgencyChangeProjectOpened', data: { collaborativeId: d.collaborativeId, agencyId: d.agencyId, projectId: d.projectId } };
  return { events: [started!], also: [{ streamId: streamIds.participation(d.collaborativeId, d.agencyId), events: [opened] }] };
};

/** Issue 16: the payer's own Change Team; the same SMART aim and date rules, no agency. */
const startSystem = (d: Cmd<'StartSystemChangeProject'>, s: ChangeProjectState, ctx: ChangeProjectContext): Events => {
  const [started] = startProject(d, s, ctx);
  return [{ type: 'ChangeProjectStarted', data: { ...(started!.data as Cmd<'StartSystemChangeProject'>), owner: { kind: 'system' } } }];
};

/**
 * A project started today aims at a date ahead; one already running when it is recorded (a
 * collaborative moving onto Convene) gives its `startedOn`, and its target date need only follow that.
 */
const startProject = (d: Cmd<'StartSystemChangeProject'> & { agencyId?: string }, s: ChangeProjectState, ctx: ChangeProjectContext): Events => {
  const collab = requireOpenCollaborative(ctx.collaborative);
  if (s.status !== 'none') return conflict('project_exists', 'The project already exists', 'projectId');
  // The aim names a measure of the catalogue (issue 15); `continuation` is NIATx's name of the 30-day one.
  const measure = d.measure === 'continuation' ? 'continuation_30' : d.measure;
  const m = collab.catalogue.find((x) => x.id === measure);
  if (!m || m.retired) return unprocessable('measure_not_in_catalogue', `${d.measure} is not an active measure of the collaborative's catalogue`, 'measure');
  if (d.startedOn === undefined) {
    if (d.targetDate < ctx.now.slice(0, 10))
      return unprocessable('target_date_in_past', `targetDate must not be before today (${ctx.now.slice(0, 10)}); a project already running gives its startedOn`, 'targetDate');
    return [{ type: 'ChangeProjectStarted', data: { ...d, measure } }];
  }
  const today = todayOf(ctx.now);
  if (d.startedOn > today) return unprocessable('started_in_future', `startedOn must not be after today (${today})`, 'startedOn');
  requireWithinSpan(collab, d.startedOn, 'startedOn');
  if (d.targetDate < d.startedOn) return unprocessable('target_before_start', `targetDate must not be before startedOn (${d.startedOn})`, 'targetDate');
  return [{ type: 'ChangeProjectStarted', data: { ...d, measure } }];
};

const logCycle = (d: Cmd<'LogPDSACycle'>, s: ChangeProjectState, ctx: ChangeProjectContext): Events => {
  const p = requireActiveProject(s, ctx);
  if (d.cycleNumber !== p.cycles + 1)
    return unprocessable('cycle_number_out_of_sequence', `The next cycle is number ${p.cycles + 1}`, 'cycleNumber');
  // A logged cycle has a result: it has ended; and cycle n+1 does not begin before cycle n did.
  const today = todayOf(ctx.now);
  if (d.endsOn > today) return unprocessable('cycle_not_ended', `endsOn must not be after today (${today}): a cycle is logged with its result`, 'endsOn');
  if (p.lastCycleBeginsOn && d.beginsOn < p.lastCycleBeginsOn)
    return unprocessable('cycle_before_previous', `beginsOn must not be before cycle ${p.cycles} began (${p.lastCycleBeginsOn})`, 'beginsOn');
  return [{ type: 'PDSACycleLogged', data: { ...d, ...idsOf(p) } }];
};

const complete = (d: Cmd<'CompleteChangeProject'>, s: ChangeProjectState, ctx: ChangeProjectContext): Events => {
  const p = requireActiveProject(s, ctx);
  if (p.cycles === 0) return conflict('no_pdsa_cycle', 'A project completes after at least one PDSA cycle');
  if (p.lastDecision === 'adapt')
    return conflict('last_cycle_adapted', 'The last cycle chose to adapt: log the next cycle, or decide adopt or abandon');
  if (p.lastCycleEndsOn && d.actualEndOn < p.lastCycleEndsOn)
    return unprocessable('end_before_last_cycle', 'The project cannot end before its last cycle', 'actualEndOn');
  return [{ type: 'ChangeProjectCompleted', data: { ...d, ...idsOf(p) } }];
};

const abandon = (d: Cmd<'AbandonChangeProject'>, s: ChangeProjectState, ctx: ChangeProjectContext): Events => {
  return [{ type: 'ChangeProjectAbandoned', data: { ...d, ...idsOf(requireActiveProject(s, ctx)) } }];
};

export const decideChangeProject = (command: ChangeProjectCommand, state: ChangeProjectState, ctx: ChangeProjectContext): Decision<ChangeProjectEvent> => {
  switch (command.type) {
    case 'StartChangeProject':
      return start(command.data, state, ctx);
    case 'StartSystemChangeProject':
      return startSystem(command.data, state, ctx);
    case 'LogPDSACycle':
      return logCycle(command.data, state, ctx);
    case 'CompleteChangeProject':
      return complete(command.data, state, ctx);
    case 'AbandonChangeProject':
      return abandon(command.data, state, ctx);
    default:
      return assertNever(command);
  }
};
