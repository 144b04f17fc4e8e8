import { describe, expect, it } from '@jest/globals';
import { catalogueReports } from './periods';
import { catalogueFromTemplate } from './templates';

// Which periods a catalogue owes (the data-due reminders, the months a report counts as missing,
// a plan's data-due entries): every reporting measure of that period, unless text or retired.
describe('catalogueReports', () => {
  const niatx = catalogueFromTemplate('niatx');
  const pediatric = catalogueFromTemplate('pediatric-preventive');
  const retire = (catalogue: { id: string }[], ids: string[]) => catalogue.map((m) => (ids.includes(m.id) ? { ...m, retired: true } : m));

  it('owes the periods its measures report in; none without a catalogue but months (events before catalogues)', () => {
    expect([catalogueReports(niatx, 'monthly'), catalogueReports(niatx, 'quarterly')]).toEqual([true, false]);
    expect([catalogueReports(pediatric, 'monthly'), catalogueReports(pediatric, 'quarterly')]).toEqual([false, true]);
    expect([catalogueReports(undefined, 'monthly'), catalogueReports(undefined, 'quarterly')]).toEqual([true, false]);
  });

  it('owes a period while one of its measures is not retired, and no longer once all are', () => {
    const ids = niatx.map((m) => m.id);
    expect(catalogueReports(retire(niatx, ids.slice(1)), 'monthly')).toBe(true);
    expect(catalogueReports(retire(niatx, ids), 'monthly')).toBe(false);
    const mixed = [...retire(niatx, ids), ...pediatric];
    expect([catalogueReports(mixed, 'monthly'), catalogueReports(mixed, 'quarterly')]).toEqual([false, true]);
  });

  it('never owes a period for text measures alone', () => {
    const text = { id: 'story', name: 'Story', definition: 'What changed', type: 'text', period: 'monthly', required: false };
    expect(catalogueReports([text], 'monthly')).toBe(false);
    expect(catalogueReports([text, ...retire(niatx, niatx.map((m) => m.id))], 'monthly')).toBe(false);
  });
});
