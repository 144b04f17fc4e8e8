import { describe, it, expect } from '@jest/globals';
import { collaborativeMonths, dataDueDate, latestDueMonth, latestDueQuarter, owedMonths, owedQuarters, owesMonth, quarterDataDueDate, quarterIndex, quarterOf } from './data-due';

const span = { startsOn: '2025-02-01', endsOn: '2025-12-31' };

describe('data-due rules (one source for the worker, the calendar and progress; issue 14)', () => {
  it('issue 14: a month is due on the due day of the following month, across a year end', () => {
    expect(dataDueDate('2025-03', 10)).toBe('2025-04-10');
    expect(dataDueDate('2025-12', 5)).toBe('2026-01-05');
  });

  it('issue 14: an agency owes the months after its baseline, within the collaborative', () => {
    expect(owedMonths(span, '2025-01-31', '2025-05')).toEqual(['2025-02', '2025-03', '2025-04', '2025-05']);
    expect(owedMonths(span, '2024-10-31', '2025-03')).toEqual(['2025-02', '2025-03']); // not before the collaborative
    expect(owedMonths(span, '2025-04-30', '2026-03')).toEqual(['2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12']);
    expect(owedMonths(span, null, '2025-05')).toEqual([]);
    expect([owesMonth(span, '2025-03-31', '2025-03'), owesMonth(span, '2025-03-31', '2025-04'), owesMonth(span, '2025-03-31', '2026-01')]).toEqual([false, true, false]);
    expect(collaborativeMonths(span)).toHaveLength(11);
  });

  it('issue 14: the latest due month waits for the due day and stops at the collaborative\'s end', () => {
    expect(latestDueMonth(span, 10, new Date('2025-04-09T23:59:59Z'))).toBe('2025-02');
    expect(latestDueMonth(span, 10, new Date('2025-04-10T00:00:00Z'))).toBe('2025-03');
    expect(latestDueMonth(span, 10, new Date('2025-03-09T00:00:00Z'))).toBeNull();
    expect(latestDueMonth(span, 10, new Date('2026-06-20T00:00:00Z'))).toBe('2025-12');
  });

  it('issue 15: a quarter is due on the due day of the month after its last month, across a year end', () => {
    expect(quarterDataDueDate('2025-Q1', 10)).toBe('2025-04-10');
    expect(quarterDataDueDate('2025-Q4', 5)).toBe('2026-01-05');
    expect(quarterOf(quarterIndex('2026-Q3'))).toBe('2026-Q3');
  });

  it('issue 15: an agency owes the quarters after the one holding its baseline end, within the collaborative', () => {
    expect(owedQuarters(span, '2025-03-31', '2025-Q4')).toEqual(['2025-Q2', '2025-Q3', '2025-Q4']);
    expect(owedQuarters(span, '2025-02-15', '2025-Q3')).toEqual(['2025-Q2', '2025-Q3']); // the baseline's own quarter is not owed
    expect(owedQuarters(span, '2024-09-30', '2025-Q2')).toEqual(['2025-Q1', '2025-Q2']); // from the collaborative's first quarter
    expect(owedQuarters(span, '2025-06-30', '2026-Q4')).toEqual(['2025-Q3', '2025-Q4']); // not past its last
    expect(owedQuarters(span, null, '2025-Q4')).toEqual([]);
  });

  it('issue 15: the latest due quarter waits for the due day and stops at the collaborative\'s end', () => {
    expect(latestDueQuarter(span, 10, new Date('2025-07-09T23:59:59Z'))).toBe('2025-Q1');
    expect(latestDueQuarter(span, 10, new Date('2025-07-10T00:00:00Z'))).toBe('2025-Q2');
    expect(latestDueQuarter(span, 10, new Date('2025-04-09T00:00:00Z'))).toBeNull();
    expect(latestDueQuarter(span, 10, new Date('2025-04-10T00:00:00Z'))).toBe('2025-Q1');
    expect(latestDueQuarter(span, 10, new Date('2027-03-01T00:00:00Z'))).toBe('2025-Q4');
  });
});
