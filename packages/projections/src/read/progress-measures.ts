// The progress read's `measures` for a catalogue that is not NIATx's (issue 15): each measure of the
// catalogue (text and categorical excepted: no single value) at the agency's baseline and its
// latest period of the measure's kind, by the measure's type, from the measures read model. A niatx
// catalogue keeps the NIATx figures the progress model computes from its counts (unchanged to the
// last digit; the stored-history fixtures check it), so this answers null for it.
import type { Kysely } from 'kysely';
import { change } from '../reports/aggregate';
import { catalogueMeasureReport } from '../reports/measure-report';
import { agencySubmissions, getCatalogue } from './measures';

export type ProgressMeasure = { key: string; baseline: number | null; latest: number | null; change: { absolute: number; relative: number | null } | null };

/** Per agency, the catalogue's measures; null for a niatx catalogue (or none yet). */
export async function catalogueProgressMeasures(db: Kysely<any>, collaborativeId: string): Promise<((agencyId: string) => ProgressMeasure[]) | null> {
  const catalogue = await getCatalogue(db, collaborativeId);
  if (!catalogue || catalogue.template === 'niatx') return null;
  const agencies = await agencySubmissions(db, { collaborativeId });
  const measures = catalogue.measures.filter((m) => m.type !== 'text' && m.type !== 'categorical');
  const out = new Map<string, ProgressMeasure[]>();
  for (const a of agencies)
    out.set(a.agencyId, measures.map((m) => {
      const own = catalogueMeasureReport(m, [a]).agencySeries[0]!;
      return { key: m.id, baseline: own.baseline, latest: own.latest, change: change(own.baseline, own.latest) };
    }));
  // Agencies with nothing submitted yet: every measure without data.
  return (agencyId) => out.get(agencyId) ?? measures.map((m) => ({ key: m.id, baseline: null, latest: null, change: null }));
}
