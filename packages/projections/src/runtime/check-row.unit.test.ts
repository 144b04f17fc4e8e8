import { describe, it, expect } from '@jest/globals';
import { checkRow, ColumnValueError } from './pg-store';
import type { TableSpec } from './types';

const spec: TableSpec = {
  name: 'agencies',
  columns: { name: 'text', tags: 'text[]', detail: 'jsonb', visits: 'integer', total: 'bigint', mean: 'double precision', open: 'boolean' },
};
const clean = { id: 'a', name: 'Riverside', tags: ['x', 'y'], detail: { roles: { lead: [{ name: 'Ann' }] }, n: 3 }, visits: 2, total: 2 ** 40, mean: 1.5, open: true };
const refused = (row: Record<string, unknown>) => {
  try {
    checkRow(spec, { ...clean, ...row });
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ColumnValueError);
    return (error as Error).message;
  }
};

describe('checkRow: a value its column cannot hold is refused as the event is applied', () => {
  it('passes a row every column can hold, and missing or null values', () => {
    expect(refused({})).toBeNull();
    expect(refused({ name: null, detail: undefined, visits: null })).toBeNull();
  });

  it('refuses a NUL in a text, in an element of a text[], and anywhere in a jsonb value or key', () => {
    expect(refused({ name: 'River\u0000side' })).toMatch(/^agencies\.name \(text\) cannot hold .*NUL/);
    expect(refused({ tags: ['x', 'y\u0000'] })).toMatch(/^agencies\.tags \(text\[\]\)/);
    expect(refused({ detail: { roles: { lead: [{ name: 'A\u0000nn' }] } } })).toMatch(/^agencies\.detail \(jsonb\)/);
    expect(refused({ detail: { ['ro\u0000les']: 1 } })).toMatch(/^agencies\.detail \(jsonb\)/);
    expect(refused({ detail: [[1, ['\u0000']]] })).toMatch(/^agencies\.detail/);
  });

  it('refuses numbers out of their column’s range, and non-finite ones anywhere', () => {
    expect(refused({ visits: 2 ** 31 })).toMatch(/out of range for integer/);
    expect(refused({ visits: -(2 ** 31) })).toBeNull();
    expect(refused({ visits: 1.5 })).toMatch(/out of range for integer/);
    expect(refused({ total: 2 ** 53 })).toMatch(/out of range for bigint/);
    expect(refused({ mean: Number.NaN })).toMatch(/not a finite number/);
    expect(refused({ mean: Number.POSITIVE_INFINITY })).toMatch(/not a finite number/);
  });
});
