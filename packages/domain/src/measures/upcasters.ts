// Upcasters of issue 15: events written with the fixed NIATx counts read as values of the `niatx`
// template. No stored event is rewritten; the event store applies these on every read
// (createEventStore registers them).
import { catalogueFromTemplate } from './templates';
import { countsToValues, requiredFromFocus } from './niatx';
import type { FocusMeasure, MeasureCounts } from '../shared/measures';

export interface DomainUpcaster {
  eventType: string;
  fromVersion: number;
  upcast: (data: any) => unknown;
}

const countsV1ToValues = ({ counts, ...rest }: { counts: MeasureCounts }) => ({ ...rest, values: countsToValues(counts) });

export const domainUpcasters: DomainUpcaster[] = [
  {
    // v1 had no catalogue: the NIATx template, its focus measures required (continuation: the 30-day count).
    eventType: 'CollaborativeLaunched',
    fromVersion: 1,
    upcast: (d: { focusMeasures: FocusMeasure[] }) => ({ ...d, measureTemplate: 'niatx', catalogue: catalogueFromTemplate('niatx', requiredFromFocus(d.focusMeasures)) }),
  },
  { eventType: 'BaselineRecorded', fromVersion: 1, upcast: countsV1ToValues },
  { eventType: 'MonthlyMeasuresRecorded', fromVersion: 1, upcast: countsV1ToValues },
  { eventType: 'MonthlyMeasuresCorrected', fromVersion: 1, upcast: countsV1ToValues },
  {
    // v1 named the NIATx focus measure; `continuation` is the catalogue's continuation_30.
    eventType: 'ChangeProjectStarted',
    fromVersion: 1,
    upcast: (d: { measure: string }) => ({ ...d, measure: d.measure === 'continuation' ? 'continuation_30' : d.measure }),
  },
];
