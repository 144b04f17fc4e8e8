import { describe, expect, it } from '@jest/globals';
import { A1, A2, C1, COACH, COHORT1, COHORT2, admitted, applied, closedCollab, openCollab, participationWith } from '../shared/fixtures';
import { streamIds } from '../shared/ids';
import { given } from '../shared/testing';
import type { ParticipationEvent } from '../participation/events';
import type { PlanContext } from './decide';
import type { PlanEvent } from './events';
import { plan } from './index';
import { evolvePlan, initialPlanState } from './state';
import { planEntries } from './templates';

// openCollab: 2025-01-01 to 2026-06-30, NIATx catalogue (monthly), A1 in cohort 1, A2 in cohort 2.
const BEFORE = '2024-12-20T12:00:00.000Z';
const coached: ParticipationEvent = { type: 'CoachAssigned', data: { collaborativeId: C1, agencyId: A1, coachId: COACH } };
const a1 = participationWith(applied(A1), admitted(A1), coached);
const a2 = participationWith(applied(A2), admitted(A2, COHORT2));
const ctx: PlanContext = { now: BEFORE, collaborative: openCollab, participations: { [A1]: a1, [A2]: a2 } };
const where = { location: 'State capitol, room 4', callIn: 'https://meet.example.org/niatx' };
const propose = { collaborativeId: C1, template: 'niatx-year' as const, ...where };
const entries = planEntries({ collaborativeId: C1, template: 'niatx-year', startsOn: '2025-01-01', endsOn: '2026-06-30', agencyIds: [A1, A2], cadences: { monthly: true, quarterly: false } });
const proposed: PlanEvent = { type: 'PlanProposed', data: { collaborativeId: C1, template: 'niatx-year', startsOn: '2025-01-01', ...where, agencyIds: [A1, A2], entries } };
const entry = (step: string) => entries.find((e) => e.step === step)!;
const kickOff = entry('kick-off');
const visit = entry(`visit-02/${A1}`);
const baseline = entry('baseline-window');
const adopted = (e: typeof kickOff, ids: object = {}): PlanEvent => ({
  type: 'PlanEntryAdopted',
  data: { collaborativeId: C1, entryId: e.entryId, date: e.date, ...(e.startsAt ? { startsAt: e.startsAt } : {}), ...(e.endsOn ? { endsOn: e.endsOn } : {}), ...ids },
});
const stateOf = (...events: PlanEvent[]) => {
  const s = events.reduce(evolvePlan, initialPlanState());
  if (s.status === 'none') throw new Error('no plan');
  return s;
};

describe('plan', () => {
  it('issue 18: proposing the NIATx year for the collaborative proposes the template entries for its agencies', () =>
    given(plan, [], ctx).when({ type: 'ProposePlan', data: propose }).then([proposed]));
  it('is proposed for a cohort from the cohort start, with the cohort members', () => {
    const cohortEntries = planEntries({ collaborativeId: C1, cohortId: COHORT2, template: 'niatx-year', startsOn: '2025-02-01', endsOn: '2026-06-30', agencyIds: [A2], cadences: { monthly: true, quarterly: false } });
    given(plan, [proposed], ctx)
      .when({ type: 'ProposePlan', data: { ...propose, cohortId: COHORT2 } })
      .then([{ type: 'PlanProposed', data: { collaborativeId: C1, cohortId: COHORT2, template: 'niatx-year', startsOn: '2025-02-01', ...where, agencyIds: [A2], entries: cohortEntries } }]);
  });
  it('is proposed once per scope with every entry', () => given(plan, [proposed], ctx).when({ type: 'ProposePlan', data: propose }).thenFails('plan_already_proposed', 'conflict'));
  it('is not proposed for an unknown cohort', () =>
    given(plan, [], ctx).when({ type: 'ProposePlan', data: { ...propose, cohortId: A1 } }).thenFails('cohort_not_found', 'unprocessable', 'cohortId'));
  it('is not proposed to start outside the collaborative', () =>
    given(plan, [], ctx).when({ type: 'ProposePlan', data: { ...propose, startsOn: '2026-07-01' } }).thenFails('date_outside_collaborative', 'unprocessable', 'startsOn'));
  it('is not proposed in a closed collaborative', () => given(plan, [], { ...ctx, collaborative: closedCollab }).when({ type: 'ProposePlan', data: propose }).thenFails('collaborative_closed'));

  it('issue 18: adopting a meeting entry schedules its meeting (the entry id is the meeting id) in the same append', () =>
    given(plan, [proposed], ctx)
      .when({ type: 'AdoptPlanEntry', data: { collaborativeId: C1, entryId: kickOff.entryId } })
      .then(
        [adopted(kickOff, { meetingId: kickOff.entryId })],
        [{
          streamId: streamIds.meeting(kickOff.entryId),
          events: [{
            type: 'MeetingScheduled',
            data: {
              meetingId: kickOff.entryId, collaborativeId: C1, kind: 'kick_off_learning_session', modality: 'in_person', startsAt: '2025-04-15T16:00:00.000Z', durationMinutes: 420,
              location: where.location, agenda: 'Kick-off learning session\n\nDue before it:\n- Baseline data recorded\n- Walk-through submitted\n- Storyboard of the agency and its aim', invitedAgencyIds: [A1, A2],
            },
          }],
        }],
      ));
  it('issue 18: adopting a visit entry schedules the site visit with the agency\'s coach', () =>
    given(plan, [proposed], ctx)
      .when({ type: 'AdoptPlanEntry', data: { collaborativeId: C1, entryId: visit.entryId } })
      .then([adopted(visit, { visitId: visit.entryId })], [{
        streamId: streamIds.siteVisit(visit.entryId),
        events: [{ type: 'SiteVisitScheduled', data: { visitId: visit.entryId, collaborativeId: C1, agencyId: A1, coachId: COACH, scheduledAt: '2025-02-08T14:00:00.000Z', agenda: 'Site visit, month 2\n\nDue before it:\n- Walk-through findings to review' } }],
      }]));
  it('a visit to an agency without a coach needs one named', () =>
    given(plan, [proposed], ctx).when({ type: 'AdoptPlanEntry', data: { collaborativeId: C1, entryId: entry(`visit-02/${A2}`).entryId } }).thenFails('coach_not_assigned', 'unprocessable', 'coachId'));
  it('the scheduling rules hold for an adopted entry (a coach of the collaborative)', () =>
    given(plan, [proposed], ctx).when({ type: 'AdoptPlanEntry', data: { collaborativeId: C1, entryId: entry(`visit-02/${A2}`).entryId, coachId: A1 } }).thenFails('not_a_coach', 'unprocessable', 'coachId'));
  it('adopting a deadline schedules nothing', () =>
    given(plan, [proposed], ctx).when({ type: 'AdoptPlanEntry', data: { collaborativeId: C1, entryId: baseline.entryId } }).then([adopted(baseline)], []));
  it('issue 18: an entry whose time has passed is not adopted, the problem naming the entry', () =>
    given(plan, [proposed], { ...ctx, now: '2025-04-20T00:00:00Z' }).when({ type: 'AdoptPlanEntry', data: { collaborativeId: C1, entryId: kickOff.entryId } }).thenFails('plan_entry_in_past', 'unprocessable', 'entryId'));
  it('an entry is adopted once', () =>
    given(plan, [proposed, adopted(kickOff, { meetingId: kickOff.entryId })], ctx).when({ type: 'AdoptPlanEntry', data: { collaborativeId: C1, entryId: kickOff.entryId } }).thenFails('plan_entry_adopted', 'conflict'));
  it('the meeting stream refuses a second scheduling (a retry after the meeting exists)', () =>
    given(plan, [proposed], { ...ctx, meetings: { [kickOff.entryId]: { status: 'scheduled', meetingId: kickOff.entryId, collaborativeId: C1, kind: 'kick_off_learning_session', startsAt: kickOff.startsAt!, durationMinutes: 360, invited: [], invitedPersons: [], audiences: [], presenters: [], attendanceRecorded: [], minutesPublished: false, registered: {} } } })
      .when({ type: 'AdoptPlanEntry', data: { collaborativeId: C1, entryId: kickOff.entryId } })
      .thenFails('meeting_exists', 'conflict', 'entryId'));

  it('issue 18: adopting the plan as a whole schedules every meeting and visit', () => {
    const a1Only = { ...ctx, participations: { [A1]: a1, [A2]: participationWith(applied(A2), admitted(A2, COHORT2), { type: 'CoachAssigned', data: { collaborativeId: C1, agencyId: A2, coachId: COACH } }) } };
    const decision = plan.decide({ type: 'AdoptPlan', data: { collaborativeId: C1 } }, stateOf(proposed), a1Only);
    if (Array.isArray(decision)) throw new Error('expected also');
    expect(decision.events).toHaveLength(entries.length);
    const scheduled = decision.also.map((a) => a.events[0]?.type);
    expect(scheduled.filter((t) => t === 'MeetingScheduled')).toHaveLength(entries.filter((e) => e.startsAt && e.kind !== 'site_visit').length);
    expect(scheduled.filter((t) => t === 'SiteVisitScheduled')).toHaveLength(10);
    expect(decision.also.map((a) => a.streamId)).toContain(streamIds.meeting(kickOff.entryId));
  });
  it('nothing is left to adopt once every entry is adopted or dropped', () => {
    const all = entries.map((e) => (e.startsAt ? adopted(e, e.kind === 'site_visit' ? { visitId: e.entryId } : { meetingId: e.entryId }) : adopted(e)));
    given(plan, [proposed, ...all], ctx).when({ type: 'AdoptPlan', data: { collaborativeId: C1 } }).thenFails('plan_nothing_to_adopt', 'conflict');
  });

  it('a tentative meeting entry moves by startsAt', () =>
    given(plan, [proposed], ctx)
      .when({ type: 'MovePlanEntry', data: { collaborativeId: C1, entryId: kickOff.entryId, startsAt: '2025-04-22T15:00:00.000Z' } })
      .then([{ type: 'PlanEntryMoved', data: { collaborativeId: C1, entryId: kickOff.entryId, previousDate: '2025-04-15', date: '2025-04-22', startsAt: '2025-04-22T15:00:00.000Z' } }]));
  it('a window moves with its length', () =>
    given(plan, [proposed], ctx)
      .when({ type: 'MovePlanEntry', data: { collaborativeId: C1, entryId: baseline.entryId, date: '2025-02-11' } })
      .then([{ type: 'PlanEntryMoved', data: { collaborativeId: C1, entryId: baseline.entryId, previousDate: '2025-02-01', date: '2025-02-11', endsOn: '2025-04-10' } }]));
  it('a meeting entry is not moved by date, nor into the past', () => {
    given(plan, [proposed], ctx).when({ type: 'MovePlanEntry', data: { collaborativeId: C1, entryId: kickOff.entryId, date: '2025-04-22' } }).thenFails('plan_entry_has_a_start', 'unprocessable', 'date');
    given(plan, [proposed], ctx).when({ type: 'MovePlanEntry', data: { collaborativeId: C1, entryId: kickOff.entryId, startsAt: '2024-12-01T15:00:00Z' } }).thenFails('scheduled_in_past', 'unprocessable', 'startsAt');
  });
  it('an adopted meeting entry is rescheduled as a meeting, not moved or dropped in the plan', () => {
    const done = adopted(kickOff, { meetingId: kickOff.entryId });
    given(plan, [proposed, done], ctx).when({ type: 'MovePlanEntry', data: { collaborativeId: C1, entryId: kickOff.entryId, startsAt: '2025-04-22T15:00:00Z' } }).thenFails('plan_entry_adopted', 'conflict');
    given(plan, [proposed, done], ctx).when({ type: 'DropPlanEntry', data: { collaborativeId: C1, entryId: kickOff.entryId } }).thenFails('plan_entry_adopted', 'conflict');
  });
  it('a dropped entry is neither adopted nor moved', () => {
    const dropped: PlanEvent = { type: 'PlanEntryDropped', data: { collaborativeId: C1, entryId: kickOff.entryId, reason: 'merged with the call' } };
    given(plan, [proposed], ctx).when({ type: 'DropPlanEntry', data: { collaborativeId: C1, entryId: kickOff.entryId, reason: 'merged with the call' } }).then([dropped]);
    given(plan, [proposed, dropped], ctx).when({ type: 'AdoptPlanEntry', data: { collaborativeId: C1, entryId: kickOff.entryId } }).thenFails('plan_entry_dropped', 'conflict');
    expect(stateOf(proposed, dropped).entries[kickOff.entryId]?.status).toBe('dropped');
  });
  it('an unknown entry is not found', () =>
    given(plan, [proposed], ctx).when({ type: 'DropPlanEntry', data: { collaborativeId: C1, entryId: COHORT1 } }).thenFails('plan_entry_not_found', 'not_found'));

  it('issue 18: moving the start moves the tentative entries and not the adopted ones', () => {
    const done = adopted(kickOff, { meetingId: kickOff.entryId });
    const handMoved: PlanEvent = { type: 'PlanEntryMoved', data: { collaborativeId: C1, entryId: entry('call-05').entryId, previousDate: '2025-05-15', date: '2025-05-20', startsAt: '2025-05-20T16:00:00.000Z' } };
    const decision = plan.decide({ type: 'RebasePlan', data: { collaborativeId: C1, startsOn: '2025-02-01' } }, stateOf(proposed, done, handMoved), ctx);
    if (!Array.isArray(decision)) throw new Error('plan events only');
    const after = stateOf(proposed, done, handMoved, ...decision);
    const at = (step: string) => after.entries[entry(step).entryId]!;
    expect(at('kick-off')).toMatchObject({ status: 'adopted', startsAt: '2025-04-15T16:00:00.000Z' }); // adopted: stays
    expect(at('orientation')).toMatchObject({ status: 'tentative', startsAt: '2025-02-22T16:00:00.000Z' }); // a month later, from the template
    expect(at('baseline-window')).toMatchObject({ date: '2025-03-01', endsOn: '2025-04-30' });
    expect(at('change-leader-meeting').startsAt).toBe('2025-09-15T16:00:00.000Z');
    expect(at('call-05').startsAt).toBe('2025-06-20T16:00:00.000Z'); // moved by hand: shifted by the 31 days
    expect(at('data-01')).toMatchObject({ period: '2025-05', date: '2025-06-10' });
    expect(after.scopes.collaborative?.startsOn).toBe('2025-02-01');
    expect(decision[0]).toMatchObject({ type: 'PlanRebased', data: { previousStartsOn: '2025-01-01', startsOn: '2025-02-01' } });
  });
  it('a rebase names a new start', () =>
    given(plan, [proposed], ctx).when({ type: 'RebasePlan', data: { collaborativeId: C1, startsOn: '2025-01-01' } }).thenFails('plan_start_unchanged', 'conflict', 'startsOn'));
  it('a scope without a plan is not rebased', () =>
    given(plan, [proposed], ctx).when({ type: 'RebasePlan', data: { collaborativeId: C1, cohortId: COHORT1, startsOn: '2025-03-01' } }).thenFails('plan_not_found', 'not_found'));
  it('a re-proposal adds the entries of agencies admitted since', () => {
    const onlyA1: PlanEvent = { type: 'PlanProposed', data: { ...(proposed.data as any), agencyIds: [A1], entries: entries.filter((e) => e.agencyId !== A2) } };
    const decision = plan.decide({ type: 'ProposePlan', data: propose }, stateOf(onlyA1), ctx) as PlanEvent[];
    expect(decision[0]?.type).toBe('PlanProposed');
    expect((decision[0]?.data as { entries: { agencyId?: string }[] }).entries.map((e) => e.agencyId)).toEqual([A2, A2, A2, A2, A2]);
  });
});
