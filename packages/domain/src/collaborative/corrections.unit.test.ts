// Issue 16: corrections of the collaborative's records, given/when/then.
import { describe, it } from '@jest/globals';
import { C1, COACH, COHORT1, NOW, X1, closed, coachAppointed, cohortOpened, launched, person } from '../shared/fixtures';
import { given } from '../shared/testing';
import type { CollaborativeEvent } from './events';
import { collaborative } from './index';
import { CorrectCollaborativeDates, LaunchCollaborative } from './commands';
import { launchData } from '../shared/fixtures';
import { expect } from '@jest/globals';

const ctx = { now: NOW };
const expenditure = { collaborativeId: C1, expenditureId: X1, amountCents: 125000, category: 'coaching' as const, spentOn: '2025-03-01' };
const recorded: CollaborativeEvent = { type: 'ExpenditureRecorded', data: expenditure };
const reason = 'Entered in error';

describe('issue 16: CorrectCollaborativeDates', () => {
  const dates = { collaborativeId: C1, startsOn: '2024-12-01', endsOn: '2026-12-31', reason: 'Funding extended' };
  it('corrects the span', () =>
    given(collaborative, [launched], ctx).when({ type: 'CorrectCollaborativeDates', data: dates }).then([{ type: 'CollaborativeDatesCorrected', data: dates }]));
  it('refuses a start after the first cohort starts, naming startsOn and the bound', () =>
    given(collaborative, [launched, cohortOpened(COHORT1, 1)], ctx)
      .when({ type: 'CorrectCollaborativeDates', data: { ...dates, startsOn: '2025-01-15' } })
      .thenFails('cohort_outside_dates', 'unprocessable', 'startsOn'));
  it('refuses an end before the last cohort starts, naming endsOn', () =>
    given(collaborative, [launched, cohortOpened(COHORT1, 1)], ctx)
      .when({ type: 'CorrectCollaborativeDates', data: { ...dates, startsOn: '2024-06-01', endsOn: '2024-12-31' } })
      .thenFails('cohort_outside_dates', 'unprocessable', 'endsOn'));
  it('refuses the recorded dates (nothing to correct)', () =>
    given(collaborative, [launched], ctx)
      .when({ type: 'CorrectCollaborativeDates', data: { ...dates, startsOn: launchData.startsOn, endsOn: launchData.endsOn } })
      .thenFails('nothing_to_correct', 'conflict'));
  it('the schema refuses an end before the start, naming endsOn', () => {
    const parsed = CorrectCollaborativeDates.safeParse({ ...dates, endsOn: '2024-11-30' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['endsOn']);
  });
  it('later commands are held to the corrected span', () =>
    given(collaborative, [launched, { type: 'CollaborativeDatesCorrected', data: { ...dates, startsOn: '2025-03-01' } }], ctx)
      .when({ type: 'OpenCohort', data: { collaborativeId: C1, cohortId: COHORT1, name: 'C', startsOn: '2025-02-01', capacity: 3 } })
      .thenFails('date_outside_collaborative', 'unprocessable', 'startsOn'));
  const meeting = (status: 'scheduled' | 'cancelled', startsAt: string) => ({
    status, meetingId: 'm1', collaborativeId: C1, kind: 'regular_call', startsAt, durationMinutes: 60, invited: [], invitedPersons: [], audiences: [], presenters: [], attendanceRecorded: [], minutesPublished: false, registered: {},
  });
  it('refuses dates that would leave a meeting or a site visit outside, naming the bound and the record', () => {
    const shorter = { ...dates, startsOn: '2025-01-01', endsOn: '2025-08-31' };
    given(collaborative, [launched], { ...ctx, meetings: { 'meeting-m1': meeting('scheduled', '2025-09-02T15:00:00Z') } })
      .when({ type: 'CorrectCollaborativeDates', data: shorter })
      .thenFails('record_outside_dates', 'unprocessable', 'endsOn');
    given(collaborative, [launched], { ...ctx, visits: { 'sitevisit-v1': { status: 'completed', visitId: 'v1', collaborativeId: C1, agencyId: X1, scheduledAt: '2025-01-10T14:00:00Z' } } })
      .when({ type: 'CorrectCollaborativeDates', data: { ...shorter, startsOn: '2025-02-01' } })
      .thenFails('record_outside_dates', 'unprocessable', 'startsOn');
  });
  it('a cancelled meeting, and one late in the last day somewhere, do not hold the dates', () =>
    given(collaborative, [launched], { ...ctx, meetings: { 'meeting-m1': meeting('cancelled', '2025-09-02T15:00:00Z'), 'meeting-m2': meeting('scheduled', '2025-09-01T06:00:00Z') } })
      .when({ type: 'CorrectCollaborativeDates', data: { ...dates, startsOn: '2025-01-01', endsOn: '2025-08-31' } })
      .then([{ type: 'CollaborativeDatesCorrected', data: { ...dates, startsOn: '2025-01-01', endsOn: '2025-08-31' } }]));
  it('finds the meetings and visits by a query of the store', () =>
    expect(collaborative.commands.CorrectCollaborativeDates.discover!(dates, launched as never).map((q) => [q.key, q.eventType])).toEqual([
      ['meetings', 'MeetingScheduled'], ['visits', 'SiteVisitScheduled'],
    ]));
  it('nothing is corrected in a closed collaborative', () =>
    given(collaborative, [launched, closed], ctx).when({ type: 'CorrectCollaborativeDates', data: dates }).thenFails('collaborative_closed', 'conflict'));
});

describe('issue 16: ChangeMeetingCadence', () => {
  it('changes to the new quarterly cadence', () => {
    const data = { collaborativeId: C1, meetingCadence: 'quarterly' as const, reason: 'Fewer, longer sessions' };
    given(collaborative, [launched], ctx).when({ type: 'ChangeMeetingCadence', data }).then([{ type: 'MeetingCadenceChanged', data }]);
  });
  it('the earlier cadences still launch (and read) as before', () => {
    for (const meetingCadence of ['weekly', 'biweekly', 'monthly', 'quarterly']) expect(LaunchCollaborative.safeParse({ ...launchData, meetingCadence }).success).toBe(true);
  });
});

describe('issue 16: RemoveSystemRole', () => {
  const removal = { collaborativeId: C1, role: 'coach' as const, personId: COACH, reason: 'Left the program' };
  it('removes a holder; a removed coach is no longer a coach', () => {
    given(collaborative, [launched, coachAppointed], ctx).when({ type: 'RemoveSystemRole', data: removal }).then([{ type: 'SystemRoleRemoved', data: removal }]);
    given(collaborative, [launched, coachAppointed, { type: 'SystemRoleRemoved', data: removal }], ctx)
      .when({ type: 'RemoveSystemRole', data: removal })
      .thenFails('role_holder_not_found', 'not_found');
  });
  it('reassigns: removal and appointment of the successor in one decision', () =>
    given(collaborative, [launched, coachAppointed], ctx)
      .when({ type: 'RemoveSystemRole', data: { ...removal, successor: person(X1) } })
      .then([{ type: 'SystemRoleRemoved', data: removal }, { type: 'SystemRoleAppointed', data: { collaborativeId: C1, role: 'coach', person: person(X1) } }]));
  it('refuses a person who does not hold that role', () =>
    given(collaborative, [launched, coachAppointed], ctx).when({ type: 'RemoveSystemRole', data: { ...removal, role: 'data_coordinator' } }).thenFails('role_holder_not_found'));
  it('refuses the holder as own successor', () =>
    given(collaborative, [launched, coachAppointed], ctx)
      .when({ type: 'RemoveSystemRole', data: { ...removal, successor: person(COACH) } })
      .thenFails('successor_is_holder', 'unprocessable', 'successor.personId'));
});

describe('issue 16: expenditures and budgets', () => {
  const correction = { ...expenditure, amountCents: 120000, category: 'travel' as const, reason };
  it('corrects a recorded expenditure', () =>
    given(collaborative, [launched, recorded], ctx).when({ type: 'CorrectExpenditure', data: correction }).then([{ type: 'ExpenditureCorrected', data: correction }]));
  it('corrects only a recorded expenditure', () =>
    given(collaborative, [launched], ctx).when({ type: 'CorrectExpenditure', data: correction }).thenFails('expenditure_not_found', 'not_found'));
  it('voids once; a voided expenditure is not corrected', () => {
    const voided: CollaborativeEvent = { type: 'ExpenditureVoided', data: { collaborativeId: C1, expenditureId: X1, reason } };
    given(collaborative, [launched, recorded], ctx).when({ type: 'VoidExpenditure', data: voided.data as never }).then([voided]);
    given(collaborative, [launched, recorded, voided], ctx).when({ type: 'VoidExpenditure', data: voided.data as never }).thenFails('expenditure_voided', 'conflict');
    given(collaborative, [launched, recorded, voided], ctx).when({ type: 'CorrectExpenditure', data: correction }).thenFails('expenditure_voided', 'conflict');
  });
  it('sets a budget per category', () => {
    const data = { collaborativeId: C1, category: 'coaching' as const, amountCents: 5_000_000 };
    given(collaborative, [launched], ctx).when({ type: 'SetBudget', data }).then([{ type: 'BudgetSet', data }]);
    given(collaborative, [launched, closed], ctx).when({ type: 'SetBudget', data }).thenFails('collaborative_closed');
  });
});
