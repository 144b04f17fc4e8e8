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

/**
 * A pooled cell withheld from the reader (small-cell suppression): the measure and a period or
 * `baseline`; `part` names a stratum (dimension and category) or a categorical measure's category.
 */
export type HiddenCell = (measureId: string, period: string, part?: { dimension?: string; category?: string }) => boolean;

/** What of a pooled report a reader may not see: values in hidden periods left out before pooling, hidden strata points and category counts removed. */
export function withoutHiddenCells(m: CatalogueEntry, agencies: readonly AgencySubmissions[], hidden: HiddenCell): AgencySubmissions[] {
  return withoutHidden(m, agencies, hidden);
}
export function hideParts<R extends Pick<MeasureSeriesReport, 'strata' | 'categories'>>(m: CatalogueEntry, report: R, hidden: HiddenCell): R {
  return {
    ...report,
    strata: report.strata.map((s) => ({ ...s, points: s.points.filter((p) => !hidden(m.id, p.period, { dimension: s.dimension, category: s.category })) })),
    categories: report.categories.map((c) => ({ ...c, counts: Object.fromEntries(Object.entries(c.counts).filter(([category]) => !hidden(m.id, c.period, { category }))) })),
  };
}

/** The agencies' submissions without measure `m`'s values in hidden periods (and baseline), so nothing pooled from them shows. */
function withoutHidden(m: CatalogueEntry, agencies: readonly AgencySubmissions[], hidden: HiddenCell): AgencySubmissions[] {
  const drop = (values: AgencySubmissions['periods'][number]['values']) => Object.fromEntries(Object.entries(values).filter(([id]) => id !== m.id));
  return agencies.map((a) => ({
    ...a,
    baseline: a.baseline && hidden(m.id, 'baseline') ? { ...a.baseline, values: drop(a.baseline.values) } : a.baseline,
    periods: a.periods.map((p) => (hidden(m.id, p.period) ? { ...p, values: drop(p.values) } : p)),
  }));
}

/**
 * One pooled report per measure of the catalogue (text measures have none), in catalogue order.
 * `hidden` (analysts: the cells complementary suppression hides) leaves those cells out before
 * pooling, so the centre lines, limits, baseline and change shown derive from published cells only;
 * `suppressed` lists them.
 */
export function catalogueAggregate(
  catalogue: readonly CatalogueEntry[],
  agencies: readonly AgencySubmissions[],
  range: { from?: string; to?: string } = {},
  hidden?: HiddenCell,
): (PooledMeasureReport & { suppressed: string[] })[] {
  const scoped = withinMonths(agencies, range);
  return catalogue
    .filter((m) => m.type !== 'text')
    .map((m) => {
      const periods = [...new Set(scoped.flatMap((a) => [...(a.baseline?.values[m.id] ? ['baseline'] : []), ...a.periods.filter((p) => p.values[m.id]).map((p) => p.period)]))].sort();
      // A categorical measure's cells are its categories' counts.
      const withheld = (p: string) => (m.type === 'categorical' ? (m.categories ?? []).some((category) => hidden!(m.id, p, { category })) : hidden!(m.id, p));
      const suppressed = hidden ? periods.filter(withheld) : [];
      const report = catalogueMeasureReport(m, suppressed.length > 0 && m.type !== 'categorical' ? withoutHidden(m, scoped, hidden!) : scoped);
      const { agencySeries: _a, strata: _s, pdsa: _p, ...pooled } = hidden ? hideParts(m, report, hidden) : report;
      return { ...pooled, measure: { ...pooled.measure, ...(m.retired ? { retired: true } : {}) }, suppressed };
    });
}
