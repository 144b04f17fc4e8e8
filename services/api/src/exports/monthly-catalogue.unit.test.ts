// Issue 15: the monthly report follows the catalogue (pure). A niatx catalogue's rows are the NIATx
// rows unchanged; a measure the catalogue adds (or every monthly measure of another template) gets
// `<id>_numerator`, `<id>_denominator` and `<id>` columns equal to the measures report export's
// cells, suppressed as they are there; quarterly and text measures get none.
import { describe, expect, it } from '@jest/globals';
import { catalogueFromTemplate, type CatalogueEntry } from '@convene/domain';
import { catalogueExportRows, type SubmissionRow } from './catalogue-export';
import { monthlyColumns, monthlyRows } from './monthly-catalogue';
import { EXPORT_COLUMNS, exportRows } from './routes';
import type { AgencyMonthRow } from './report';

const niatx = catalogueFromTemplate('niatx', ['waiting_time']);
const sameDay: CatalogueEntry = { id: 'same_day', name: 'Same-day starts', definition: 'd', type: 'proportion', unit: 'clients', direction: 'higher', period: 'monthly', required: false };
const quarterly: CatalogueEntry = { ...sameDay, id: 'follow_up', period: 'quarterly' };
const notes: CatalogueEntry = { id: 'notes', name: 'Notes', definition: 'd', type: 'text', unit: 'notes', period: 'monthly', required: false };
const months: AgencyMonthRow[] = ['a1', 'a2', 'a3'].flatMap((agency, i) => ['2025-03', '2025-04'].map((month, j) => ({
  collaborative_id: 'c', cohort_id: i < 2 ? 'k1' : 'k2', agency_id: agency, month, admissions: 10 + i + j, intake_scheduled: 40 + i, intake_no_shows: 3 + j, clients_treated: 12 + i, total_days_to_treatment: 200 + 10 * i,
})));
const submissions: SubmissionRow[] = ['a1', 'a2', 'a3'].flatMap((agency, i) => ['2025-03', '2025-04', '2025-05'].map((period, j) => ({
  agency_id: agency, cohort_id: i < 2 ? 'k1' : 'k2', period, period_from: null, period_to: null, status: 'submitted',
  submitted_values: { same_day: { numerator: 4 + i + j, denominator: 30 + 5 * i }, notes: { text: 'x' } },
})));

describe('issue 15: the monthly report follows the catalogue', () => {
  it('issue 15: a niatx catalogue without additions gives the NIATx rows and columns unchanged, for admins and analysts', () => {
    for (const threshold of [null, 11]) {
      const niatxRows = exportRows('c', months, threshold);
      expect(monthlyRows('c', niatxRows, 'niatx', niatx, submissions, threshold)).toEqual(niatxRows);
    }
    expect(monthlyColumns(EXPORT_COLUMNS, 'niatx', niatx)).toEqual([...EXPORT_COLUMNS]);
  });

  it('issue 15: an added monthly measure gets its columns, equal to the measures report export cells (suppressed alike); quarterly and text measures none', () => {
    const catalogue = [...niatx, sameDay, quarterly, notes];
    expect(monthlyColumns(EXPORT_COLUMNS, 'niatx', catalogue)).toEqual([...EXPORT_COLUMNS.filter((c) => c !== 'suppressed'), 'same_day_numerator', 'same_day_denominator', 'same_day', 'suppressed']);
    for (const threshold of [null, 11]) {
      const niatxRows = exportRows('c', months, threshold);
      const rows = monthlyRows('c', niatxRows, 'niatx', catalogue, submissions, threshold);
      const cells = catalogueExportRows('c', [sameDay], submissions, threshold).filter((r) => r.period !== 'baseline');
      // May has no NIATx counts: its cells come from the catalogue alone.
      expect(rows.map((r) => `${r.cohortId}|${r.month}`)).toEqual(['k1', 'k2', 'all'].flatMap((k) => ['2025-03', '2025-04', '2025-05', 'total'].map((m) => `${k}|${m}`)));
      for (const cell of cells) {
        const row = rows.find((r) => r.cohortId === cell.cohortId && r.month === cell.period)!;
        expect([row.same_day_numerator, row.same_day_denominator, row.same_day]).toEqual([cell.numerator, cell.denominator, cell.value]);
        if (cell.suppressed) expect(String(row.suppressed)).toContain('same_day_numerator');
      }
      // The NIATx columns of a NIATx cell are the NIATx rows'.
      for (const n of niatxRows) expect(rows.find((r) => r.cohortId === n.cohortId && r.month === n.month)).toMatchObject({ admissions: n.admissions, intake_no_show_rate: n.intake_no_show_rate });
      if (threshold !== null) expect(cells.some((c) => c.suppressed !== '')).toBe(true);
    }
  });

  it('issue 15: another template has no NIATx columns, only its monthly measures', () => {
    const catalogue = [{ ...sameDay }, notes];
    expect(monthlyColumns(EXPORT_COLUMNS, 'pediatric-preventive', catalogue)).toEqual(['collaborativeId', 'cohortId', 'month', 'agencies', 'same_day_numerator', 'same_day_denominator', 'same_day', 'suppressed']);
    const rows = monthlyRows('c', [], 'pediatric-preventive', catalogue, submissions, null);
    expect(Object.keys(rows[0]!)).toEqual(['collaborativeId', 'cohortId', 'month', 'agencies', 'same_day_numerator', 'same_day_denominator', 'same_day', 'suppressed']);
  });
});
