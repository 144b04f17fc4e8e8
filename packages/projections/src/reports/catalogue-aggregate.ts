// The aggregate report for any catalogue (issue 15: "exports and the aggregate report read the
// catalogue"): every measure of the collaborative's catalogue pooled per period across the
// agencies (of a cohort), with change against the pooled baseline, agencies improved, run-chart
// signals and the control chart of its type. Only pooled figures: no agency's own series, no
// strata (those are per-measure reads with suppression). Pure.
import { periodBounds, type CatalogueEntry } from '@convene/domain';
import { catalogueMeasureReport, type AgencySubmissions, type MeasureSeriesReport } from './measure-report';

export type PooledMeasureReport = Omit<MeasureSeriesReport, 'agencySeries' | 'strata' | 'pdsa'>;

/** Keeps the periods whose months lie within `from`..`to` (YYYY-MM, inclusive; a quarter only when all its months do). */
export function withinMonths(agencies: readonly AgencySubmissions[], range: { from?: string; to?: string }): AgencySubmissions[] {
  if (!range.from && !range.to) return [...agencies];
  const inside = (period: string) => {
    const b = periodBounds(period);
    return (!range.from || b.from.slice(0, 7) >= range.from) && (!range.to || b.to.slice(0, 7) <= range.to);
  };
  return agencies.map((a) => ({ ...a, periods: a.periods.filter((p) => inside(p.period)) }));
}

/** One pooled report per measure of the catalogue (text measures have none), in catalogue order. */
export function catalogueAggregate(catalogue: readonly CatalogueEntry[], agencies: readonly AgencySubmissions[], range: { from?: string; to?: string } = {}): PooledMeasureReport[] {
  const scoped = withinMonths(agencies, range);
  return catalogue
    .filter((m) => m.type !== 'text')
    .map((m) => {
      const { agencySeries: _a, strata: _s, pdsa: _p, ...pooled } = catalogueMeasureReport(m, scoped);
      return { ...pooled, measure: { ...pooled.measure, ...(m.retired ? { retired: true } : {}) } };
    });
}
