// Issue 16: change projects of the collaborative's system-level Change Team (no agency), and the
// participation stream told of an agency's new project.
import { describe, expect, it } from '@jest/globals';
import { A1, C1, NOW, P1, activeA1, closedCollab, openCollab } from '../shared/fixtures';
import { given } from '../shared/testing';
import { streamIds } from '../shared/ids';
import { ChangeProjectStarted } from './events';
import type { ChangeProjectContext } from './decide';
import type { ChangeProjectEvent } from './events';
import { changeProject } from './index';

const ctx: ChangeProjectContext = { now: NOW, collaborative: openCollab };
const system = {
  projectId: P1, collaborativeId: C1, title: 'Pay walk-in intakes', aim: 'Pay within 30 days by September', measure: 'waiting_time' as const,
  baselineValue: 75, targetValue: 30, targetDate: '2025-09-30', changeIdea: 'A billing code for walk-in intake', levelOfCare: 'other' as const,
  team: [{ name: 'Casey Convener', role: 'Change Leader' }],
};
const started: ChangeProjectEvent = { type: 'ChangeProjectStarted', data: { ...system, owner: { kind: 'system' } } };
const cycle = {
  projectId: P1, cycleNumber: 1, beginsOn: '2025-05-01', endsOn: '2025-05-14', changeTested: 'Weekly payment run', prediction: 'Half paid in 14 days',
  steps: [{ step: 'Add the code', who: 'Claims' }], result: '60% paid in 14 days', decision: 'adopt' as const,
};

describe('issue 16: system-level change projects', () => {
  it('starts with owner system and no agency (no participation needed)', () =>
    given(changeProject, [], ctx).when({ type: 'StartSystemChangeProject', data: system }).then([started]));
  it('is held to the same rules: an active catalogue measure, target ahead, open collaborative', () => {
    given(changeProject, [], ctx).when({ type: 'StartSystemChangeProject', data: { ...system, measure: 'nope' } }).thenFails('measure_not_in_catalogue', 'unprocessable', 'measure');
    given(changeProject, [], ctx).when({ type: 'StartSystemChangeProject', data: { ...system, targetDate: '2025-01-01' } }).thenFails('target_date_in_past', 'unprocessable', 'targetDate');
    given(changeProject, [], { ...ctx, collaborative: closedCollab }).when({ type: 'StartSystemChangeProject', data: system }).thenFails('collaborative_closed');
    given(changeProject, [started], ctx).when({ type: 'StartSystemChangeProject', data: system }).thenFails('project_exists', 'conflict');
  });
  it('logs PDSA cycles and completes like an agency project; its events carry no agencyId', () => {
    given(changeProject, [started], ctx).when({ type: 'LogPDSACycle', data: cycle }).then([{ type: 'PDSACycleLogged', data: { ...cycle, collaborativeId: C1 } }]);
    const logged: ChangeProjectEvent = { type: 'PDSACycleLogged', data: { ...cycle, collaborativeId: C1 } };
    const completion = { projectId: P1, actualEndOn: '2025-06-01', lessons: 'Pay fast', impact: '30 days', sustainPlan: 'Policy' };
    given(changeProject, [started, logged], ctx).when({ type: 'CompleteChangeProject', data: completion }).then([{ type: 'ChangeProjectCompleted', data: { ...completion, collaborativeId: C1 } }]);
  });
  it('reads only the collaborative as context', () => {
    const state = [started].reduce(changeProject.evolve, changeProject.initialState());
    expect(changeProject.commands.LogPDSACycle.context!(cycle, state).map((r) => r.key)).toEqual(['collaborative']);
  });
  it('an agency project started before issue 16 (no owner) still parses and reads as the agency\'s', () => {
    const old = { ...system, agencyId: A1 };
    expect(ChangeProjectStarted.safeParse(old).success).toBe(true);
    const state = [{ type: 'ChangeProjectStarted', data: old } as ChangeProjectEvent].reduce(changeProject.evolve, changeProject.initialState());
    expect(state).toMatchObject({ status: 'active', agencyId: A1 });
  });
  it('an agency project tells the participation stream (a completion decided without it is refused by the version)', () =>
    given(changeProject, [], { ...ctx, participation: activeA1 })
      .when({ type: 'StartChangeProject', data: { ...system, agencyId: A1, levelOfCare: 'outpatient' } })
      .then([{ type: 'ChangeProjectStarted', data: { ...system, agencyId: A1, levelOfCare: 'outpatient' } }], [
        { streamId: streamIds.participation(C1, A1), events: [{ type: 'AgencyChangeProjectOpened', data: { collaborativeId: C1, agencyId: A1, projectId: P1 } }] },
      ]));
});
