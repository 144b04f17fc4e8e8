import { describe, expect, it } from '@jest/globals';
import { AssessProgress } from './commands';
import { A1, C1, COACH, NOW, admitted, applied, baselineRecorded, collaborativeWith, launched, coachAppointed, cohortOpened, enrolled } from '../shared/fixtures';
import { given } from '../shared/testing';
import { catalogueFromTemplate } from '../measures/templates';
import type { CollaborativeEvent } from '../collaborative/events';
import type { ParticipationEvent } from './events';
import type { ParticipationContext } from './decide';
import { participation } from './index';

const ids = { collaborativeId: C1, agencyId: A1 };
const niatxCtx: ParticipationContext = { now: NOW, collaborative: collaborativeWith(launched, coachAppointed, cohortOpened('22222222-2222-4222-8222-222222222221', 1), enrolled(A1)) };
const pediatricLaunch: CollaborativeEvent = { type: 'CollaborativeLaunched', data: { ...(launched.data as object), focusMeasures: ['immunisations_24m'], measureTemplate: 'pediatric-preventive', catalogue: catalogueFromTemplate('pediatric-preventive') } as never };
const pedCtx: ParticipationContext = { now: NOW, collaborative: collaborativeWith(pediatricLaunch, coachAppointed) };
const active = [applied(A1), admitted(A1)];
const withBaseline = [...active, baselineRecorded(A1)];
const quarter = { immunisations_24m: { numerator: 40, denominator: 50 }, developmental_screening: { numerator: 30, denominator: 60 }, autism_screening: { numerator: 20, denominator: 25 }, lead_screening: { numerator: 35, denominator: 50 } };
const pedBaseline: ParticipationEvent = { type: 'BaselineRecorded', data: { ...ids, period: { from: '2024-10-01', to: '2024-12-31' }, values: quarter } };
const submitted = (period: string): ParticipationEvent => ({ type: 'MeasuresSubmitted', data: { ...ids, period, values: quarter } });

describe('issue 15.3: submissions against the catalogue', () => {
  it('saves a draft, then submits it (values left out: the draft)', () => {
    const draft = { ...ids, period: '2025-Q1', values: { immunisations_24m: { numerator: 40, denominator: 50 } } };
    given(participation, [...active, pedBaseline], pedCtx).when({ type: 'SaveMeasuresDraft', data: draft }).then([{ type: 'MeasuresDraftSaved', data: draft }]);
    // The draft lacks required measures: submitting it as it is names them.
    given(participation, [...active, pedBaseline, { type: 'MeasuresDraftSaved', data: draft }], pedCtx)
      .when({ type: 'SubmitMeasures', data: { ...ids, period: '2025-Q1' } })
      .thenFails('measure_values_invalid', 'unprocessable', 'values.developmental_screening');
    given(participation, [...active, pedBaseline, { type: 'MeasuresDraftSaved', data: { ...draft, values: quarter } }], pedCtx)
      .when({ type: 'SubmitMeasures', data: { ...ids, period: '2025-Q1' } })
      .then([submitted('2025-Q1')]);
  });
  it('submits a baseline with its span, then periods after it, once each', () => {
    given(participation, active, pedCtx)
      .when({ type: 'SubmitMeasures', data: { ...ids, period: 'baseline', baselinePeriod: { from: '2024-10-01', to: '2024-12-31' }, values: quarter } })
      .then([pedBaseline]);
    given(participation, active, pedCtx).when({ type: 'SubmitMeasures', data: { ...ids, period: '2025-Q1', values: quarter } }).thenFails('baseline_required', 'conflict');
    given(participation, [...active, pedBaseline, submitted('2025-Q1')], pedCtx).when({ type: 'SubmitMeasures', data: { ...ids, period: '2025-Q1', values: quarter } }).thenFails('period_already_submitted', 'conflict', 'period');
    given(participation, [...active, pedBaseline], pedCtx).when({ type: 'SubmitMeasures', data: { ...ids, period: '2024-Q4', values: quarter } }).thenFails('period_not_after_baseline');
    given(participation, [...active, pedBaseline], pedCtx).when({ type: 'SubmitMeasures', data: { ...ids, period: '2025-Q3', values: quarter } }).thenFails('period_in_future');
    given(participation, [...active, pedBaseline], pedCtx).when({ type: 'SubmitMeasures', data: { ...ids, period: '2025-03', values: quarter } }).thenFails('measure_values_invalid', 'unprocessable', 'values.immunisations_24m');
  });
  it('refuses a numerator above its denominator, naming the field', () =>
    given(participation, [...active, pedBaseline], pedCtx)
      .when({ type: 'SubmitMeasures', data: { ...ids, period: '2025-Q1', values: { ...quarter, lead_screening: { numerator: 51, denominator: 50 } } } })
      .thenFails('measure_values_invalid', 'unprocessable', 'values.lead_screening.numerator'));
  it('corrects a baseline and a submitted period, each its own event', () => {
    const fixed = { ...quarter, lead_screening: { numerator: 36, denominator: 50 } };
    given(participation, [...active, pedBaseline, submitted('2025-Q1')], pedCtx)
      .when({ type: 'CorrectMeasures', data: { ...ids, period: '2025-Q1', values: fixed, reason: 'Registry re-run' } })
      .then([{ type: 'MeasuresCorrected', data: { ...ids, period: '2025-Q1', values: fixed, reason: 'Registry re-run' } }]);
    given(participation, [...active, pedBaseline], pedCtx).when({ type: 'CorrectMeasures', data: { ...ids, period: '2025-Q1', values: fixed, reason: 'r' } }).thenFails('period_not_submitted');
    given(participation, [...active, pedBaseline, submitted('2025-Q1')], pedCtx)
      .when({ type: 'CorrectBaseline', data: { ...ids, values: fixed, reason: 'Chart audit' } })
      .then([{ type: 'BaselineCorrected', data: { ...ids, period: { from: '2024-10-01', to: '2024-12-31' }, values: fixed, reason: 'Chart audit' } }]);
    given(participation, [...active, pedBaseline, submitted('2025-Q1')], pedCtx)
      .when({ type: 'CorrectBaseline', data: { ...ids, baselinePeriod: { from: '2024-10-01', to: '2025-01-31' }, values: fixed, reason: 'r' } })
      .thenFails('period_not_after_baseline');
  });
  it('30-day continuation without a 60-day count is accepted (NIATx counts and values alike)', () => {
    const counts = { clientsTreated: 10, totalDaysToTreatment: 120, intakeScheduled: 20, intakeNoShows: 5, admittedInWindow: 8, retained30: 6 };
    given(participation, withBaseline, niatxCtx).when({ type: 'RecordMonthlyMeasures', data: { ...ids, month: '2025-03', counts } }).then([{
      type: 'MonthlyMeasuresRecorded',
      data: { ...ids, month: '2025-03', values: { intake_no_show: { numerator: 5, denominator: 20 }, continuation_30: { numerator: 6, denominator: 8 }, waiting_time: { total: 120, cases: 10 } } },
    }]);
    const values = { waiting_time: { total: 120, cases: 10 }, intake_no_show: { numerator: 5, denominator: 20 }, continuation_30: { numerator: 6, denominator: 8 } };
    given(participation, withBaseline, niatxCtx).when({ type: 'SubmitMeasures', data: { ...ids, period: '2025-04', values } }).then([{ type: 'MeasuresSubmitted', data: { ...ids, period: '2025-04', values } }]);
  });
});

describe('issue 15: the NIATx count commands after a measure is retired', () => {
  const retire = (measureId: string): CollaborativeEvent => ({ type: 'MeasureRetired', data: { collaborativeId: C1, measureId, reason: 'No longer collected' } } as never);
  const ctxRetiring = (...measureIds: string[]): ParticipationContext => ({ now: NOW, collaborative: collaborativeWith(launched, coachAppointed, cohortOpened('22222222-2222-4222-8222-222222222221', 1), enrolled(A1), ...measureIds.map(retire)) });
  const counts = { clientsTreated: 10, totalDaysToTreatment: 120, medianDaysToTreatment: 9, intakeScheduled: 20, intakeNoShows: 5, admissions: 7 };
  it('leave out the retired measure\'s counts (a fixed request shape cannot leave them out) and record the rest', () => {
    given(participation, withBaseline, ctxRetiring('admissions', 'waiting_time_median')).when({ type: 'RecordMonthlyMeasures', data: { ...ids, month: '2025-03', counts } }).then([{
      type: 'MonthlyMeasuresRecorded',
      data: { ...ids, month: '2025-03', values: { intake_no_show: { numerator: 5, denominator: 20 }, waiting_time: { total: 120, cases: 10 } } },
    }]);
    given(participation, [...withBaseline, { type: 'MonthlyMeasuresRecorded', data: { ...ids, month: '2025-03', values: {} } }], ctxRetiring('admissions'))
      .when({ type: 'CorrectMonthlyMeasures', data: { ...ids, month: '2025-03', counts, reason: 'Recount' } })
      .then([{ type: 'MonthlyMeasuresCorrected', data: { ...ids, month: '2025-03', reason: 'Recount', values: { intake_no_show: { numerator: 5, denominator: 20 }, waiting_time: { total: 120, cases: 10 }, waiting_time_median: { median: 9, cases: 10 } } } }]);
  });
  it('no longer ask for a retired focus measure; SubmitMeasures, which names measures, still refuses one', () => {
    // Focus: waiting_time and intake_no_show. Retired intake_no_show is no longer required of the counts.
    given(participation, withBaseline, ctxRetiring('intake_no_show')).when({ type: 'RecordMonthlyMeasures', data: { ...ids, month: '2025-03', counts: { clientsTreated: 4, totalDaysToTreatment: 40 } } })
      .then([{ type: 'MonthlyMeasuresRecorded', data: { ...ids, month: '2025-03', values: { waiting_time: { total: 40, cases: 4 } } } }]);
    given(participation, withBaseline, ctxRetiring('waiting_time')).when({ type: 'RecordMonthlyMeasures', data: { ...ids, month: '2025-03', counts: { clientsTreated: 4, totalDaysToTreatment: 40 } } })
      .thenFails('focus_measure_missing', 'unprocessable', 'counts.intakeScheduled');
    given(participation, withBaseline, ctxRetiring('admissions')).when({ type: 'SubmitMeasures', data: { ...ids, period: '2025-03', values: { admissions: { count: 7 }, waiting_time: { total: 40, cases: 4 }, intake_no_show: { numerator: 1, denominator: 4 } } } })
      .thenFails('measure_values_invalid', 'unprocessable', 'values.admissions');
  });
});

describe('issue 15.5: coach assessment', () => {
  it('a coach of the collaborative assesses a submitted period on the IHI scale', () => {
    const data = { ...ids, period: '2025-Q1', coachId: COACH, score: 3.5, comment: 'Improvement across screenings' };
    given(participation, [...active, pedBaseline, submitted('2025-Q1')], pedCtx).when({ type: 'AssessProgress', data }).then([{ type: 'ProgressAssessed', data: { ...data, assessedAt: NOW } }]);
    given(participation, [...active, pedBaseline], pedCtx).when({ type: 'AssessProgress', data }).thenFails('period_not_submitted');
    given(participation, [...active, pedBaseline, submitted('2025-Q1')], pedCtx).when({ type: 'AssessProgress', data: { ...data, coachId: A1 } }).thenFails('not_a_coach', 'unprocessable', 'coachId');
    expect(AssessProgress.safeParse({ ...data, score: 3.3 }).success).toBe(false);
    expect(AssessProgress.safeParse({ ...data, score: 0 }).success).toBe(false);
    expect(AssessProgress.safeParse({ ...data, score: 5 }).success).toBe(true);
  });
});
