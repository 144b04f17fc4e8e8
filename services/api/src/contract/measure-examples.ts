// The measures context's commands in the contract's story (examples.ts): the convener's own
// measure, baseline and monthly counts with their corrections, period drafts, the coach's
// assessment and a new chart phase.
import { EXAMPLE_IDS as I, EXAMPLE_MEASURES as M } from './example-ids';

const counts = { clientsTreated: 22, totalDaysToTreatment: 580, medianDaysToTreatment: 26, intakeScheduled: 48, intakeNoShows: 15, admissions: 22 };
/** April's values of the story's required measures (waiting_time: mean; intake_no_show: proportion). */
const april = { waiting_time: { total: 480, cases: 25 }, intake_no_show: { numerator: 11, denominator: 50 } };

export const measureExamples = {
  DefineMeasure: {
    measure: {
      id: M.defined,
      name: 'Same-day intake',
      definition: 'Callers asking for treatment in the month (denominator) who had their intake the day they called (numerator).',
      type: 'proportion',
      unit: 'callers',
      direction: 'higher',
      period: 'monthly',
      target: 0.5,
      required: false,
    },
  },
  RetireMeasure: { reason: 'The agencies book the first appointment after admission at intake: the intake no-show rate covers it' },
  RecordBaseline: { period: { from: '2024-12-01', to: '2025-01-31' }, counts: { ...counts, clientsTreated: 40, totalDaysToTreatment: 1228, medianDaysToTreatment: 31 } },
  RecordMonthlyMeasures: { month: '2025-03', counts },
  CorrectMonthlyMeasures: { month: '2025-03', counts: { ...counts, intakeNoShows: 14 }, reason: 'One no-show was a cancellation' },
  CorrectBaseline: {
    // The whole baseline, as RecordBaseline's counts gave it, with the one value corrected.
    values: {
      waiting_time: { total: 1228, cases: 40 },
      waiting_time_median: { median: 31, cases: 40 },
      intake_no_show: { numerator: 14, denominator: 48 },
      admissions: { count: 22 },
    },
    reason: 'One baseline no-show was a cancellation',
  },
  SaveMeasuresDraft: { period: '2025-04', values: { ...april, admissions: { count: 24 } } },
  SubmitMeasures: { period: '2025-04' },
  CorrectMeasures: { period: '2025-04', values: { ...april, admissions: { count: 25 } }, reason: 'One admission was entered after the draft' },
  AssessProgress: { period: '2025-04', coachId: I.coach, score: 2.5, comment: 'Walk-in intake tested and spreading; waiting time down by a third.' },
  StartChartPhase: {
    startsWith: '2025-04',
    freezeThrough: '2025-06',
    reason: 'Walk-in intake adopted in April: a new phase, its limits set by its first three months',
  },
};
