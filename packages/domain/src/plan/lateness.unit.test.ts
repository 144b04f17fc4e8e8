import { describe, expect, it } from '@jest/globals';
import { A1, A2, C1, COHORT2, admitted, applied, baselineRecorded, openCollab, participationWith } from '../shared/fixtures';
import type { ParticipationEvent } from '../participation/events';
import type { PlanEvent } from './events';
import { lateAgainstPlan } from './lateness';
import { evolvePlan, initialPlanState } from './state';
import { planEntries } from './templates';

const entries = planEntries({ collaborativeId: C1, template: 'niatx-year', startsOn: '2025-01-01', endsOn: '2026-06-30', agencyIds: [A1, A2], cadences: { monthly: true, quarterly: false } });
const proposed: PlanEvent = { type: 'PlanProposed', data: { collaborativeId: C1, template: 'niatx-year', startsOn: '2025-01-01', location: 'x', callIn: 'y', agencyIds: [A1, A2], entries } };
const planOf = (...events: PlanEvent[]) => events.reduce(evolvePlan, initialPlanState());
const kickOff = entries.find((e) => e.step === 'kick-off')!;
const walk: ParticipationEvent = { type: 'WalkThroughSubmitted', data: { collaborativeId: C1, agencyId: A1, walkedThroughOn: '2025-03-01', findings: 'f' } };
const month = (m: string): ParticipationEvent => ({ type: 'MeasuresSubmitted', data: { collaborativeId: C1, agencyId: A1, period: m, values: {} } });
const a1 = (...more: ParticipationEvent[]) => participationWith(applied(A1), admitted(A1), ...more);
const a2 = participationWith(applied(A2), admitted(A2, COHORT2), baselineRecorded(A2), { ...walk, data: { ...walk.data, agencyId: A2 } });

describe('late against the plan', () => {
  it('issue 18: an agency without a baseline when the kick-off begins is late, and only that agency', () => {
    const before = lateAgainstPlan(planOf(proposed), openCollab, { [A1]: a1(walk), [A2]: a2 }, '2025-04-15T15:59:59.000Z');
    expect(before).toEqual([]);
    const late = lateAgainstPlan(planOf(proposed), openCollab, { [A1]: a1(walk), [A2]: a2 }, '2025-04-15T16:00:00.000Z');
    expect(late).toEqual([
      { itemId: `baseline_missing/${A1}/${kickOff.entryId}`, kind: 'baseline_missing', agencyId: A1, entryId: kickOff.entryId, lateSince: '2025-04-15T16:00:00.000Z', description: 'The baseline was due before the kick-off learning session of 2025-04-15' },
    ]);
    expect(lateAgainstPlan(planOf(proposed), openCollab, { [A1]: a1(walk, baselineRecorded(A1)), [A2]: a2 }, '2025-04-16T00:00:00Z')).toEqual([]);
  });
  it('the kick-off moved later moves the baseline deadline with it; a dropped kick-off expects nothing', () => {
    const moved: PlanEvent = { type: 'PlanEntryMoved', data: { collaborativeId: C1, entryId: kickOff.entryId, previousDate: kickOff.date, date: '2025-04-29', startsAt: '2025-04-29T16:00:00.000Z' } };
    expect(lateAgainstPlan(planOf(proposed, moved), openCollab, { [A1]: a1(walk), [A2]: a2 }, '2025-04-20T00:00:00Z')).toEqual([]);
    const dropped: PlanEvent = { type: 'PlanEntryDropped', data: { collaborativeId: C1, entryId: kickOff.entryId } };
    expect(lateAgainstPlan(planOf(proposed, dropped), openCollab, { [A1]: a1(walk), [A2]: a2 }, '2025-05-01T00:00:00Z')).toEqual([]);
  });
  it('a walk-through missing after its due day and a month without data are late', () => {
    const late = lateAgainstPlan(planOf(proposed), openCollab, { [A1]: a1(baselineRecorded(A1), month('2025-04')), [A2]: a2 }, '2025-06-11T00:00:00Z');
    expect(late.filter((l) => l.agencyId === A1).map((l) => `${l.kind} ${l.period ?? ''} ${l.lateSince}`)).toEqual(['walk_through_missing  2025-04-02T00:00:00.000Z', 'data_missing 2025-05 2025-06-11T00:00:00.000Z']);
    // A2 (with baseline and walk-through) misses April and May.
    expect(lateAgainstPlan(planOf(proposed), openCollab, { [A1]: a1(baselineRecorded(A1), month('2025-04'), month('2025-05'), walk), [A2]: a2 }, '2025-06-11T00:00:00Z').map((l) => `${l.agencyId} ${l.period}`)).toEqual([
      `${A2} 2025-04`,
      `${A2} 2025-05`,
    ]);
  });
  it('withdrawn agencies are not late', () => {
    const gone = a1({ type: 'AgencyWithdrawn', data: { collaborativeId: C1, agencyId: A1, withdrawnOn: '2025-03-01', reason: 'r' } } as ParticipationEvent);
    expect(lateAgainstPlan(planOf(proposed), openCollab, { [A1]: gone, [A2]: a2 }, '2025-04-16T00:00:00Z')).toEqual([]);
  });
});
