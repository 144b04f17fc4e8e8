// Who sees what of a measure report (issue 15): an agency its own series and the pooled one, other
// agencies anonymised (so does a coach of some agencies, for the others); analysts pooled and per-agency series with complementary small-cell
// suppression (a suppressed cell cannot be recomputed from the published cells and the pooled
// totals); coaches, admins and auditors everything. Pure.
import type { MeasureSeriesReport } from '@convene/projections';
import type { Principal } from '../auth/keys';
import { suppress, type Grid } from '../exports/suppression';

export const SMALL_CELL = 11;

export interface AgencyPoint {
  period: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  suppressed: boolean;
}
export interface VisibleSeries {
  /** The agency's id, or an anonymous label (`Agency 2`) for other agencies of an agency key. */
  agency: string;
  own: boolean;
  baseline: number | null;
  latest: number | null;
  points: AgencyPoint[];
}

/** Grid of one field: rows = agencies, columns = periods; last row and column the totals. */
function gridOf(series: MeasureSeriesReport['agencySeries'], periods: string[], field: 'numerator' | 'denominator'): Grid {
  const rows: Grid = series.map((s) => {
    const cells = periods.map((p) => s.points.find((x) => x.period === p)?.[field] ?? null);
    return [...cells, cells.some((c) => c !== null) ? cells.reduce<number>((a, c) => a + (c ?? 0), 0) : null];
  });
  const totals = periods.map((_, c) => (rows.some((r) => r[c] !== null) ? rows.reduce<number>((a, r) => a + (r[c] ?? 0), 0) : null));
  const all = totals.some((t) => t !== null) ? totals.reduce<number>((a, t) => a + (t ?? 0), 0) : null;
  return [...rows, [...totals, all]];
}

/** Per-agency cells to hide: small denominators (or counts), then small numerators, each with complements. */
export function suppressionMasks(series: MeasureSeriesReport['agencySeries'], periods: string[], options: { threshold?: number; countsOnly?: boolean } = {}) {
  const threshold = options.threshold ?? SMALL_CELL;
  const den = gridOf(series, periods, 'denominator');
  const num = gridOf(series, periods, 'numerator');
  // Count measures have no denominator (it is the number of periods): only the counts are cells.
  const denMask = options.countsOnly ? den.map((row) => row.map(() => false)) : suppress(den, { threshold });
  // A numerator whose denominator is hidden is hidden too; complements then protect it in its own grid.
  const numMask = suppress(num, { threshold, initial: denMask });
  return { den, num, denMask, numMask };
}

export function visibleReport(report: MeasureSeriesReport, principal: Principal) {
  const { agencySeries, ...pooled } = report;
  const periods = [...new Set(agencySeries.flatMap((s) => s.points.map((p) => p.period)))].sort();
  const plain = (s: (typeof agencySeries)[number]): AgencyPoint[] =>
    s.points.map((p) => ({ period: p.period, numerator: p.numerator, denominator: p.denominator, value: p.value, suppressed: false }));
  let series: VisibleSeries[];
  // An agency key, and a coach key limited to its assigned agencies: those by id, the others anonymised.
  if (principal.role === 'agency' || (principal.role === 'coach' && principal.agencyIds.length > 0)) {
    let n = 0;
    series = agencySeries.map((s) => {
      const own = principal.agencyIds.includes(s.agencyId);
      return { agency: own ? s.agencyId : `Agency ${++n}`, own, baseline: s.baseline, latest: s.latest, points: plain(s) };
    });
  } else if (principal.role === 'analyst') {
    const { denMask, numMask } = suppressionMasks(agencySeries, periods, { countsOnly: report.measure.type === 'count' });
    series = agencySeries.map((s, r) => ({
      agency: s.agencyId, own: false, baseline: s.baseline, latest: s.latest,
      points: s.points.map((p) => {
        const c = periods.indexOf(p.period);
        const hideDen = denMask[r]![c]!;
        const hideNum = numMask[r]![c]! || hideDen;
        return { period: p.period, numerator: hideNum ? null : p.numerator, denominator: hideDen ? null : p.denominator, value: hideNum || hideDen ? null : p.value, suppressed: hideNum || hideDen };
      }),
    }));
  } else series = agencySeries.map((s) => ({ agency: s.agencyId, own: false, baseline: s.baseline, latest: s.latest, points: plain(s) }));
  return { ...pooled, agencySeries: series };
}
