// Issue 16: corrections of an agency's records and the completion rule, given/when/then.
import { describe, expect, it } from '@jest/globals';
import { A1, C1, NOW, P1, X1, admitted, applied, baselineRecorded, counts, openCollab, person } from '../shared/fixtures';
import { countsToValues } from '../measures/niatx';
import { DomainError } from '../shared/errors';
import { given } from '../shared/testing';
import { streamIds } from '../shared/ids';
import type { ChangeProjectState } from '../change-project/state';
import type { ParticipationContext } from './decide';
import type { ParticipationEvent } from './events';
import { participation } from './index';

const ctx: ParticipationContext = { now: NOW, collaborative: openCollab };
const ids = { collaborativeId: C1, agencyId: A1 };
const reason = 'Entered in error';
const active = [applied(A1), admitted(A1)];
const withBaseline = [...active, baselineRecorded(A1)];

describe('issue 16: CorrectBaselinePeriod', () => {
  const data = { ...ids, baselinePeriod: { from: '2024-12-01', to: '2025-02-28' }, reason };
  it('corrects the span (the values stay)', () =>
    given(participation, withBaseline, ctx).when({ type: 'CorrectBaselinePeriod', data }).then([{ type: 'BaselinePeriodCorrected', data: { ...ids, period: data.baselinePeriod, reason } }]));
  it('needs a baseline', () => given(participation, active, ctx).when({ type: 'CorrectBaselinePeriod', data }).thenFails('baseline_required', 'conflict'));
  it('refuses a span not yet ended, naming baselinePeriod.to', () =>
    given(participation, withBaseline, ctx)
      .when({ type: 'CorrectBaselinePeriod', data: { ...data, baselinePeriod: { from: '2025-05-01', to: '2025-06-30' } } })
      .thenFails('period_in_future', 'unprocessable', 'baselinePeriod.to'));
  it('refuses a span reaching the first reported month', () => {
    const march: ParticipationEvent = { type: 'MonthlyMeasuresRecorded', data: { ...ids, month: '2025-03', values: countsToValues(counts) } };
    given(participation, [...withBaseline, march], ctx)
      .when({ type: 'CorrectBaselinePeriod', data: { ...data, baselinePeriod: { from: '2025-01-01', to: '2025-03-15' } } })
      .thenFails('period_not_after_baseline', 'unprocessable', 'baselinePeriod.to');
  });
  it('refuses the recorded span', () =>
    given(participation, withBaseline, ctx)
      .when({ type: 'CorrectBaselinePeriod', data: { ...data, baselinePeriod: { from: '2025-01-01', to: '2025-02-28' } } })
      .thenFails('nothing_to_correct', 'conflict'));
});

describe('issue 16: CorrectWalkThrough', () => {
  const walk: ParticipationEvent = { type: 'WalkThroughSubmitted', data: { ...ids, walkedThroughOn: '2025-02-07', findings: 'Long waits' } };
  const data = { ...ids, walkedThroughOn: '2025-02-06', findings: 'Long waits; duplicated forms', reason };
  it('corrects date and findings', () => given(participation, [...active, walk], ctx).when({ type: 'CorrectWalkThrough', data }).then([{ type: 'WalkThroughCorrected', data }]));
  it('needs a submitted walk-through', () => given(participation, active, ctx).when({ type: 'CorrectWalkThrough', data }).thenFails('walk_through_not_submitted', 'conflict'));
  it('is held to the span and to today like the original', () => {
    given(participation, [...active, walk], ctx).when({ type: 'CorrectWalkThrough', data: { ...data, walkedThroughOn: '2024-12-31' } }).thenFails('date_outside_collaborative', 'unprocessable', 'walkedThroughOn');
    given(participation, [...active, walk], ctx).when({ type: 'CorrectWalkThrough', data: { ...data, walkedThroughOn: '2025-06-20' } }).thenFails('walk_through_in_future', 'unprocessable', 'walkedThroughOn');
  });
});

describe('issue 16: CorrectApplicationScore', () => {
  const scoring = { ...ids, reviewerId: X1, scores: [{ criterion: 'readiness', score: 7 }] };
  const scored: ParticipationEvent = { type: 'ApplicationScored', data: { ...scoring, total: 7 } };
  const data = { ...scoring, scores: [{ criterion: 'readiness', score: 9 }, { criterion: 'data', score: 4 }], reason };
  it('replaces the reviewer\'s score, total recomputed', () =>
    given(participation, [applied(A1), scored], ctx).when({ type: 'CorrectApplicationScore', data }).then([{ type: 'ApplicationScoreCorrected', data: { ...data, total: 13 } }]));
  it('also after admission (the reviewers are kept)', () =>
    given(participation, [applied(A1), scored, admitted(A1)], ctx).when({ type: 'CorrectApplicationScore', data }).then([{ type: 'ApplicationScoreCorrected', data: { ...data, total: 13 } }]));
  it('refuses a reviewer who did not score', () =>
    given(participation, [applied(A1)], ctx).when({ type: 'CorrectApplicationScore', data }).thenFails('score_not_found', 'not_found'));
});

describe('issue 16: RemoveAgencyRole', () => {
  const assigned: ParticipationEvent = { type: 'AgencyRoleAssigned', data: { ...ids, role: 'change_leader', person: person(X1) } };
  const removal = { ...ids, role: 'change_leader' as const, personId: X1, reason: 'Left the agency' };
  const successor = '99999999-9999-4999-8999-999999999991';
  it('removes the holder', () => given(participation, [...active, assigned], ctx).when({ type: 'RemoveAgencyRole', data: removal }).then([{ type: 'AgencyRoleRemoved', data: removal }]));
  it('reassigns to a successor in one decision', () =>
    given(participation, [...active, assigned], ctx)
      .when({ type: 'RemoveAgencyRole', data: { ...removal, successor: person(successor) } })
      .then([{ type: 'AgencyRoleRemoved', data: removal }, { type: 'AgencyRoleAssigned', data: { ...ids, role: 'change_leader', person: person(successor) } }]));
  it('refuses a person who no longer holds it (replaced by a later change leader, or removed)', () => {
    const replaced: ParticipationEvent = { type: 'AgencyRoleAssigned', data: { ...ids, role: 'change_leader', person: person(successor) } };
    given(participation, [...active, assigned, replaced], ctx).when({ type: 'RemoveAgencyRole', data: removal }).thenFails('role_holder_not_found', 'not_found');
    given(participation, [...active, assigned, { type: 'AgencyRoleRemoved', data: removal }], ctx).when({ type: 'RemoveAgencyRole', data: removal }).thenFails('role_holder_not_found');
  });
});

describe('issue 16: completion needs every change project completed or abandoned', () => {
  const project = (status: 'active' | 'completed' | 'abandoned', projectId = P1): ChangeProjectState => ({
    status, projectId, collaborativeId: C1, agencyId: A1, cycles: 1, lastDecision: 'adopt', lastCycleEndsOn: null, lastCycleBeginsOn: null,
  });
  const P2 = '55555555-5555-4555-8555-555555555552';
  const completion = { ...ids, completedOn: '2025-06-01' };
  const withProjects = (...ps: ChangeProjectState[]): ParticipationContext => ({ ...ctx, projects: Object.fromEntries(ps.map((p) => [streamIds.changeProject(p.status === 'none' ? '' : p.projectId), p])) });
  it('completes when every project is closed', () =>
    given(participation, active, withProjects(project('completed'), project('abandoned', P2))).when({ type: 'CompleteParticipation', data: completion }).then([{ type: 'ParticipationCompleted', data: completion }], []));
  it('is refused while a project is active, naming it', () => {
    given(participation, active, withProjects(project('active'), project('completed', P2))).when({ type: 'CompleteParticipation', data: completion }).thenFails('change_projects_open', 'conflict', 'closeOpenProjects');
    let refused: unknown;
    try {
      participation.decide({ type: 'CompleteParticipation', data: completion }, [...active].reduce(participation.evolve, participation.initialState()), withProjects(project('active')));
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).message).toContain(P1);
    expect((refused as DomainError).details).toEqual([{ field: 'closeOpenProjects', message: `change project ${P1} is active` }]);
  });
  it('with closeOpenProjects the active projects are abandoned on their own streams', () =>
    given(participation, active, withProjects(project('active'), project('completed', P2)))
      .when({ type: 'CompleteParticipation', data: { ...completion, closeOpenProjects: true } })
      .then([{ type: 'ParticipationCompleted', data: completion }], [
        {
          streamId: streamIds.changeProject(P1),
          events: [{ type: 'ChangeProjectAbandoned', data: { projectId: P1, ...ids, abandonedOn: '2025-06-01', reason: 'Closed when the agency completed the collaborative on 2025-06-01' } }],
        },
      ]));
  it('the participation stream lists projects started since issue 16 (its completion reads them)', () => {
    const opened: ParticipationEvent = { type: 'AgencyChangeProjectOpened', data: { ...ids, projectId: P1 } };
    const state = [...active, opened].reduce(participation.evolve, participation.initialState());
    const refs = participation.commands.CompleteParticipation.context!(completion, state);
    expect(refs.map((r) => r.streamId)).toContain(streamIds.changeProject(P1));
    expect(participation.commands.CompleteParticipation.discover!(completion, state)).toEqual([
      { key: 'projects', aggregate: 'changeproject', eventType: 'ChangeProjectStarted', match: { collaborativeId: C1, agencyId: A1 } },
    ]);
  });
});
