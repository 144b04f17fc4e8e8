import { describe, expect, it } from '@jest/globals';
import { measureCounts, missingFocusMeasures } from './measures';

const fail = (counts: unknown) => {
  const r = measureCounts.safeParse(counts);
  expect(r.success).toBe(false);
  return r.error?.issues.map((i) => i.path.join('.')) ?? [];
};

describe('measure counts', () => {
  it('accepts raw counts', () =>
    expect(measureCounts.safeParse({ admissions: 3, intakeScheduled: 10, intakeNoShows: 2, admittedInWindow: 5, retained30: 4, retained60: 3, clientsTreated: 4, totalDaysToTreatment: 40, medianDaysToTreatment: 9.5 }).success).toBe(true));
  it('are non-negative integers', () => {
    expect(fail({ admissions: -1 })).toEqual(['admissions']);
    expect(fail({ admissions: 1.5 })).toEqual(['admissions']);
  });
  it('no-shows never exceed appointments scheduled', () => {
    expect(fail({ intakeScheduled: 3, intakeNoShows: 4 })).toEqual(['intakeNoShows']);
    expect(fail({ firstPostAdmissionScheduled: 0, firstPostAdmissionNoShows: 1 })).toEqual(['firstPostAdmissionNoShows']);
  });
  it('retained60 <= retained30 <= admittedInWindow', () => {
    expect(fail({ admittedInWindow: 5, retained30: 4, retained60: 5 })).toEqual(['retained60']);
    expect(fail({ admittedInWindow: 5, retained30: 6, retained60: 1 })).toEqual(['retained30']);
  });
  it('a measure comes with all its counts', () => expect(fail({ intakeScheduled: 3 })).toEqual(['intakeNoShows']));
  it('needs at least one measure and no unknown field', () => {
    expect(fail({})).toEqual(['admissions']);
    expect(fail({ admissions: 1, bogus: 2 })).toEqual(['']);
  });
  it('no clients treated means no days', () => expect(fail({ clientsTreated: 0, totalDaysToTreatment: 3 })).toEqual(['totalDaysToTreatment']));
  it('lists missing focus measures', () => expect(missingFocusMeasures({ admissions: 1 }, ['admissions', 'continuation'])).toEqual(['continuation']));
});
