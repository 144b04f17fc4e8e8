import { describe, it } from '@jest/globals';
import { A1, C1, NOW, P1, activeA1, applied, closedCollab, openCollab, participationWith } from '../shared/fixtures';
import { given } from '../shared/testing';
import type { ChangeProjectContext } from './decide';
import type { ChangeProjectEvent } from './events';
import { changeProject } from './index';

const ctx: ChangeProjectContext = { now: NOW, collaborative: openCollab, participation: activeA1 };
const ids = { projectId: P1, collaborativeId: C1, agencyId: A1 };
const startData = {
  ...ids,
  title: 'Same-day intake',
  aim: 'Cut days to treatment from 14 to 3 by September',
  measure: 'waiting_time' as const,
  baselineValue: 14,
  targetValue: 3,
  targetDate: '2025-09-30',
  changeIdea: 'Walk-in intake hours',
  levelOfCare: 'outpatient' as const,
  team: [{ name: 'Sam Lee', role: 'Change Leader' }],
};
const started: ChangeProjectEvent = { type: 'ChangeProjectStarted', data: startData };
const cycleData = (cycleNumber: number, decision: 'adopt' | 'adapt' | 'abandon' = 'adapt') => ({
  projectId: P1,
  cycleNumber,
  beginsOn: '2025-05-01',
  endsOn: '2025-05-14',
  changeTested: 'Walk-in Tuesday mornings',
  prediction: 'Half the callers come the same week',
  steps: [{ step: 'Post hours', who: 'Front desk' }],
  result: '8 of 10 came within two days',
  decision,
});
const cycle = (n: number, decision: 'adopt' | 'adapt' | 'abandon' = 'adapt'): ChangeProjectEvent => ({ type: 'PDSACycleLogged', data: { ...cycleData(n, decision), ...ids } });
const completion = { projectId: P1, actualEndOn: '2025-06-01', lessons: 'Start small', impact: '3 days', sustainPlan: 'Keep walk-in hours' };

describe('change project', () => {
  it('starts', () => given(changeProject, [], ctx).when({ type: 'StartChangeProject', data: startData }).then([started]));
  it('starts once', () => given(changeProject, [started], ctx).when({ type: 'StartChangeProject', data: startData }).thenFails('project_exists'));
  it('starts only for an admitted agency', () =>
    given(changeProject, [], { ...ctx, participation: participationWith(applied(A1)) }).when({ type: 'StartChangeProject', data: startData }).thenFails('agency_not_admitted'));
  it('starts only in an open collaborative', () =>
    given(changeProject, [], { ...ctx, collaborative: closedCollab }).when({ type: 'StartChangeProject', data: startData }).thenFails('collaborative_closed'));
  it('refuses a target date in the past', () =>
    given(changeProject, [], ctx).when({ type: 'StartChangeProject', data: { ...startData, targetDate: '2025-01-01' } }).thenFails('target_date_in_past', 'unprocessable', 'targetDate'));

  it('logs the first cycle', () => given(changeProject, [started], ctx).when({ type: 'LogPDSACycle', data: cycleData(1) }).then([cycle(1)]));
  it('numbers cycles by one', () => given(changeProject, [started, cycle(1)], ctx).when({ type: 'LogPDSACycle', data: cycleData(2) }).then([cycle(2)]));
  it('refuses a skipped cycle number', () =>
    given(changeProject, [started, cycle(1)], ctx).when({ type: 'LogPDSACycle', data: cycleData(3) }).thenFails('cycle_number_out_of_sequence', 'unprocessable', 'cycleNumber'));
  it('refuses a repeated cycle number', () =>
    given(changeProject, [started, cycle(1)], ctx).when({ type: 'LogPDSACycle', data: cycleData(1) }).thenFails('cycle_number_out_of_sequence'));
  it('logs cycles only on an active project', () =>
    given(changeProject, [started, cycle(1, 'adopt'), { type: 'ChangeProjectCompleted', data: { ...completion, ...ids } }], ctx)
      .when({ type: 'LogPDSACycle', data: cycleData(2) })
      .thenFails('project_not_active', 'conflict'));
  it('logs cycles only on an existing project', () =>
    given(changeProject, [], ctx).when({ type: 'LogPDSACycle', data: cycleData(1) }).thenFails('project_not_found', 'not_found'));
  it('logs cycles only while the agency is active', () =>
    given(changeProject, [started], { ...ctx, participation: participationWith(applied(A1)) }).when({ type: 'LogPDSACycle', data: cycleData(1) }).thenFails('agency_not_admitted'));

  it('completes after an adopt decision', () =>
    given(changeProject, [started, cycle(1), cycle(2, 'adopt')], ctx)
      .when({ type: 'CompleteChangeProject', data: completion })
      .then([{ type: 'ChangeProjectCompleted', data: { ...completion, ...ids } }]));
  it('completes after an abandon decision', () =>
    given(changeProject, [started, cycle(1, 'abandon')], ctx)
      .when({ type: 'CompleteChangeProject', data: completion })
      .then([{ type: 'ChangeProjectCompleted', data: { ...completion, ...ids } }]));
  it('does not complete after an adapt decision', () =>
    given(changeProject, [started, cycle(1, 'adapt')], ctx).when({ type: 'CompleteChangeProject', data: completion }).thenFails('last_cycle_adapted'));
  it('does not complete without a cycle', () => given(changeProject, [started], ctx).when({ type: 'CompleteChangeProject', data: completion }).thenFails('no_pdsa_cycle'));
  it('does not end before its last cycle', () =>
    given(changeProject, [started, cycle(1, 'adopt')], ctx)
      .when({ type: 'CompleteChangeProject', data: { ...completion, actualEndOn: '2025-05-10' } })
      .thenFails('end_before_last_cycle'));

  const abandon = { projectId: P1, abandonedOn: '2025-05-20', reason: 'Staff turnover' };
  it('is abandoned', () =>
    given(changeProject, [started, cycle(1)], ctx).when({ type: 'AbandonChangeProject', data: abandon }).then([{ type: 'ChangeProjectAbandoned', data: { ...abandon, ...ids } }]));
  it('is abandoned only while active', () =>
    given(changeProject, [started, { type: 'ChangeProjectAbandoned', data: { ...abandon, ...ids } }], ctx).when({ type: 'AbandonChangeProject', data: abandon }).thenFails('project_not_active'));
  it('nothing happens in a closed collaborative', () =>
    given(changeProject, [started], { ...ctx, collaborative: closedCollab }).when({ type: 'AbandonChangeProject', data: abandon }).thenFails('collaborative_closed'));

  // Issue 16 "past and present": a project already running is recorded with its business dates.
  const running = { ...startData, startedOn: '2025-02-03', targetDate: '2025-05-31' };
  it('issue 16 past: a project already running starts on its startedOn, and its past target date is accepted', () =>
    given(changeProject, [], ctx).when({ type: 'StartChangeProject', data: running }).then([{ type: 'ChangeProjectStarted', data: running }]));
  it('issue 16 past: a target date before startedOn is refused, naming targetDate and the bound', () =>
    given(changeProject, [], ctx).when({ type: 'StartChangeProject', data: { ...running, targetDate: '2025-02-01' } }).thenFails('target_before_start', 'unprocessable', 'targetDate'));
  it('issue 16 past: a project does not start after today', () =>
    given(changeProject, [], ctx).when({ type: 'StartChangeProject', data: { ...running, startedOn: '2025-06-17', targetDate: '2025-09-30' } }).thenFails('started_in_future', 'unprocessable', 'startedOn'));
  it('issue 16 past: a project does not start before the collaborative', () =>
    given(changeProject, [], ctx).when({ type: 'StartChangeProject', data: { ...running, startedOn: '2024-12-01' } }).thenFails('date_outside_collaborative', 'unprocessable', 'startedOn'));
  it('issue 16 past: a cycle is logged once it has ended (its result is known)', () =>
    given(changeProject, [started], ctx)
      .when({ type: 'LogPDSACycle', data: { ...cycleData(1), beginsOn: '2025-06-10', endsOn: '2025-06-24' } })
      .thenFails('cycle_not_ended', 'unprocessable', 'endsOn'));
  it('issue 16 past: cycle 2 does not begin before cycle 1', () =>
    given(changeProject, [started, cycle(1)], ctx)
      .when({ type: 'LogPDSACycle', data: { ...cycleData(2), beginsOn: '2025-04-20', endsOn: '2025-04-30' } })
      .thenFails('cycle_before_previous', 'unprocessable', 'beginsOn'));
  it('issue 16 past: cycles of months ago are logged in order after the fact', () =>
    given(changeProject, [{ type: 'ChangeProjectStarted', data: running }], ctx)
      .when({ type: 'LogPDSACycle', data: { ...cycleData(1), beginsOn: '2025-02-10', endsOn: '2025-02-24' } })
      .then([{ type: 'PDSACycleLogged', data: { ...cycleData(1), beginsOn: '2025-02-10', endsOn: '2025-02-24', ...ids } }]));
});
