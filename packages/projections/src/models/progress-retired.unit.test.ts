// Progress v8: months are owed while the catalogue has a monthly measure in use (catalogueReports):
// retiring the last one ends them, defining one again starts them (the cohort progress and agency
// detail reads list no months missing while none is owed, as the data-due reminders stop).
import { describe, expect, it } from '@jest/globals';
import { catalogueFromTemplate } from '@convene/domain';
import { eventMaker } from '../testing/recorded-events';
import { foldProjection } from '../runtime/memory-store';
import { progressProjection } from './progress';

const C = '00000000-0000-7000-8000-000000000001';
const ev = eventMaker({ streamId: `collaborative-${C}`, streamType: 'collaborative', actorRole: 'convener', data: { collaborativeId: C } });
const launched = (template: 'niatx' | 'pediatric-preventive') =>
  ev('CollaborativeLaunched', {
    name: 'Access', aim: 'a', convener: { organizationName: 'o' }, focusMeasures: [], startsOn: '2025-01-01', endsOn: '2026-12-31', meetingCadence: 'monthly',
    measureTemplate: template, catalogue: catalogueFromTemplate(template),
  });
const retired = (measureId: string) => ev('MeasureRetired', { measureId, reason: 'not collected any more' });
const defined = (id: string, period: 'monthly' | 'quarterly', type = 'count') =>
  ev('MeasureDefined', { measure: { id, name: id, definition: id, type, unit: 'u', direction: 'higher', period, required: false } });
const owes = (events: ReturnType<typeof ev>[]) => foldProjection(progressProjection, events).collaboratives![0]!.monthly_data;

describe('progress: months owed follow the measures in use (v8)', () => {
  const monthly = catalogueFromTemplate('niatx').map((m) => m.id);

  it('a NIATx catalogue owes months until its last monthly measure is retired', () => {
    expect(owes([launched('niatx')])).toBe(true);
    expect(owes([launched('niatx'), ...monthly.slice(1).map(retired)])).toBe(true);
    expect(owes([launched('niatx'), ...monthly.map(retired)])).toBe(false);
  });

  it('a monthly measure defined after the retirements owes months again; a quarterly or text one does not', () => {
    const all = [launched('niatx'), ...monthly.map(retired)];
    expect(owes([...all, defined('peer_contacts', 'quarterly')])).toBe(false);
    expect(owes([...all, defined('story', 'monthly', 'text')])).toBe(false);
    expect(owes([...all, defined('peer_contacts', 'monthly')])).toBe(true);
    expect(owes([...all, defined('peer_contacts', 'monthly'), retired('peer_contacts')])).toBe(false);
  });

  it('a quarterly catalogue owes no months; a monthly measure added to it does', () => {
    expect(owes([launched('pediatric-preventive')])).toBe(false);
    expect(owes([launched('pediatric-preventive'), defined('visits', 'monthly')])).toBe(true);
  });
});
