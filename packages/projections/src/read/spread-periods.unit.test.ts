import { describe, expect, it } from '@jest/globals';
import { endOf, next, periodOf } from './spread-periods';

describe('spread periods', () => {
  it('puts a date in its month or quarter', () => {
    expect(periodOf('2025-05-10', 'month')).toBe('2025-05');
    expect(periodOf('2025-05-10', 'quarter')).toBe('2025-Q2');
    expect(periodOf('2025-12-31', 'quarter')).toBe('2025-Q4');
    expect(periodOf('2025-01-01', 'quarter')).toBe('2025-Q1');
  });
  it('ends a period on its last day (leap years too)', () => {
    expect(endOf('2024-02')).toBe('2024-02-29');
    expect(endOf('2025-02')).toBe('2025-02-28');
    expect(endOf('2025-Q1')).toBe('2025-03-31');
    expect(endOf('2025-Q4')).toBe('2025-12-31');
  });
  it('steps to the next period across years', () => {
    expect(next('2025-12')).toBe('2026-01');
    expect(next('2025-09')).toBe('2025-10');
    expect(next('2025-Q4')).toBe('2026-Q1');
    expect(next('2025-Q2')).toBe('2025-Q3');
  });
});
