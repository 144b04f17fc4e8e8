import { describe, expect, it } from '@jest/globals';
import { catalogueFromTemplate, templateUsesContinuationSettings } from '../measures/templates';
import { LaunchCollaborative } from './commands';
import { C1, COHORT1, NOW, X1, closed, cohortOpened, launchData, launched, person } from '../shared/fixtures';
import { given } from '../shared/testing';
import { collaborative } from './index';

const ctx = { now: NOW };
const cohort = { collaborativeId: C1, cohortId: COHORT1, name: 'Cohort 1', startsOn: '2025-02-01', capacity: 8 };
const expenditure = { collaborativeId: C1, expenditureId: X1, amountCents: 125000, category: 'coaching' as const, spentOn: '2025-03-01' };

describe('collaborative', () => {
  it('launches', () => given(collaborative, [], ctx).when({ type: 'LaunchCollaborative', data: launchData }).then([launched]));
  it('launches once', () =>
    given(collaborative, [launched], ctx).when({ type: 'LaunchCollaborative', data: launchData }).thenFails('collaborative_exists', 'conflict'));

  describe('issue 15: measureSettings only where the template has continuation measures', () => {
    const { measureSettings: _settings, ...withoutSettings } = launchData;
    it('issue 15: a pediatric collaborative launches without measureSettings (command and event schemas accept it)', () => {
      const data = { ...withoutSettings, measureTemplate: 'pediatric-preventive' as const, focusMeasures: ['lead_screening'] };
      expect(LaunchCollaborative.safeParse(data).success).toBe(true);
      const { measureTemplate: _t, ...rest } = data;
      given(collaborative, [], ctx)
        .when({ type: 'LaunchCollaborative', data })
        .then([{ type: 'CollaborativeLaunched', data: { ...rest, measureTemplate: 'pediatric-preventive', catalogue: catalogueFromTemplate('pediatric-preventive', ['lead_screening']) } }]);
    });
    it('issue 15: a niatx collaborative (continuation measures) without measureSettings is refused, naming the field', () => {
      expect(LaunchCollaborative.safeParse(withoutSettings).success).toBe(true);
      given(collaborative, [], ctx).when({ type: 'LaunchCollaborative', data: withoutSettings }).thenFails('measure_settings_required', 'unprocessable', 'measureSettings');
      given(collaborative, [], ctx).when({ type: 'LaunchCollaborative', data: { ...withoutSettings, measureTemplate: 'niatx' } }).thenFails('measure_settings_required', 'unprocessable', 'measureSettings');
    });
    it('issue 15: the rule follows the template data', () => {
      expect(templateUsesContinuationSettings).toEqual({ niatx: true, 'pediatric-preventive': false });
    });
  });

  it('appoints a system role', () => {
    const data = { collaborativeId: C1, role: 'data_coordinator' as const, person: person(X1) };
    given(collaborative, [launched], ctx).when({ type: 'AppointSystemRole', data }).then([{ type: 'SystemRoleAppointed', data }]);
  });
  it('refuses a role in an unknown collaborative', () =>
    given(collaborative, [], ctx)
      .when({ type: 'AppointSystemRole', data: { collaborativeId: C1, role: 'coach', person: person(X1) } })
      .thenFails('collaborative_not_found', 'not_found'));

  it('opens cohorts in sequence', () =>
    given(collaborative, [launched, cohortOpened('22222222-2222-4222-8222-22222222222f', 1)], ctx)
      .when({ type: 'OpenCohort', data: cohort })
      .then([{ type: 'CohortOpened', data: { ...cohort, sequence: 2 } }]));
  it('opens a cohort once', () =>
    given(collaborative, [launched, cohortOpened(COHORT1, 1)], ctx).when({ type: 'OpenCohort', data: cohort }).thenFails('cohort_exists', 'conflict', 'cohortId'));

  it('records an expenditure in cents', () =>
    given(collaborative, [launched], ctx).when({ type: 'RecordExpenditure', data: expenditure }).then([{ type: 'ExpenditureRecorded', data: expenditure }]));
  it('records an expenditure once', () =>
    given(collaborative, [launched, { type: 'ExpenditureRecorded', data: expenditure }], ctx)
      .when({ type: 'RecordExpenditure', data: expenditure })
      .thenFails('expenditure_exists', 'conflict'));

  it('closes', () =>
    given(collaborative, [launched], ctx)
      .when({ type: 'CloseCollaborative', data: { collaborativeId: C1, closedOn: '2025-06-01' } })
      .then([closed]));

  describe('nothing happens in a closed collaborative', () => {
    const cases = [
      { type: 'AppointSystemRole', data: { collaborativeId: C1, role: 'coach', person: person(X1) } },
      { type: 'OpenCohort', data: cohort },
      { type: 'RecordExpenditure', data: expenditure },
      { type: 'CloseCollaborative', data: { collaborativeId: C1, closedOn: '2025-06-02' } },
    ] as const;
    it.each(cases)('$type', (command) => given(collaborative, [launched, closed], ctx).when(command).thenFails('collaborative_closed', 'conflict'));
  });
});
