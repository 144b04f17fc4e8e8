import { describe, expect, it } from '@jest/globals';
import { catalogueSchema, measureDefinition, type CatalogueEntry } from './catalogue';
import { countsToValues, valuesToCounts } from './niatx';
import { periodBounds, periodsBetween, periodsInSpan } from './periods';
import { catalogueFromTemplate, measureTemplates } from './templates';
import { validateValues } from './values';

const niatx = catalogueFromTemplate('niatx', ['waiting_time', 'continuation_30']);
const custom: CatalogueEntry[] = [
  { id: 'no_shows_per_100', name: 'No-shows per 100 visits', definition: 'd', type: 'rate', unit: 'per 100 visits', perUnits: 100, direction: 'lower', period: 'monthly', required: false },
  {
    id: 'referral_source', name: 'Referral source', definition: 'd', type: 'categorical', unit: 'clients', period: 'monthly', required: false,
    categories: ['self', 'court', 'hospital'],
  },
  {
    id: 'same_day', name: 'Same-day starts', definition: 'd', type: 'proportion', unit: 'clients', direction: 'higher', period: 'monthly', required: false,
    stratification: [{ dimension: 'payer', name: 'Payer', categories: ['medicaid', 'private', 'none'] }],
  },
  { id: 'barriers', name: 'Barriers', definition: 'd', type: 'text', unit: 'notes', period: 'monthly', required: false },
];
const cat = [...niatx, ...custom];
const monthly = { period: 'monthly' as const, complete: false };
const paths = (v: unknown, o = monthly) => validateValues(cat, v as never, o).map((i) => i.path);

describe('issue 15.1: templates and measure definitions', () => {
  it('the templates are valid catalogues: niatx (30- and 60-day continuation over one denominator) and pediatric-preventive (quarterly proportions)', () => {
    for (const t of Object.values(measureTemplates)) expect(catalogueSchema.safeParse(t).success).toBe(true);
    expect(measureTemplates.niatx.find((m) => m.id === 'continuation_60')).toMatchObject({ type: 'proportion', sharesDenominatorWith: 'continuation_30', required: false });
    expect(measureTemplates['pediatric-preventive'].map((m) => [m.id, m.type, m.period])).toEqual([
      ['immunisations_24m', 'proportion', 'quarterly'], ['developmental_screening', 'proportion', 'quarterly'],
      ['autism_screening', 'proportion', 'quarterly'], ['lead_screening', 'proportion', 'quarterly'],
    ]);
    expect(niatx.filter((m) => m.required).map((m) => m.id)).toEqual(['waiting_time', 'continuation_30']);
  });
  it('a definition is consistent with its type', () => {
    const bad = (m: object) => measureDefinition.safeParse({ id: 'x', name: 'X', definition: 'd', unit: 'u', period: 'monthly', required: false, ...m }).error?.issues.map((i) => i.path.join('.'));
    expect(bad({ type: 'count' })).toEqual(['direction']);
    expect(bad({ type: 'categorical' })).toEqual(['categories']);
    expect(bad({ type: 'text', direction: 'lower' })).toEqual(['direction']);
    expect(bad({ type: 'count', direction: 'lower', perUnits: 1000 })).toEqual(['perUnits']);
    expect(bad({ type: 'proportion', direction: 'lower', target: 2 })).toEqual(['target']);
    expect(bad({ type: 'rate', direction: 'lower', perUnits: 1000 })).toBeUndefined();
    expect(catalogueSchema.safeParse([...niatx, niatx[0]]).success).toBe(false);
  });
});

describe('issue 15.1: values validated against the catalogue', () => {
  it('accepts each type with its fields', () =>
    expect(paths({
      waiting_time: { total: 40, cases: 4 }, waiting_time_median: { median: 8.5, cases: 4 }, admissions: { count: 3 }, no_shows_per_100: { count: 4, exposure: 120 },
      referral_source: { counts: { self: 2, court: 1 } }, barriers: { text: 'Transport' }, same_day: { numerator: 2, denominator: 5 },
    })).toEqual([]));
  it('numerator never exceeds the denominator; a type takes only its fields', () => {
    expect(paths({ intake_no_show: { numerator: 6, denominator: 5 } })).toEqual(['intake_no_show.numerator']);
    expect(paths({ admissions: { numerator: 1, denominator: 2 } })).toEqual(['admissions.numerator', 'admissions.denominator', 'admissions.count']);
    expect(paths({ waiting_time: { total: 5, cases: 0 } })).toEqual(['waiting_time.total']);
  });
  it('knows its measures and categories', () => {
    expect(paths({ bogus: { count: 1 } })).toEqual(['bogus']);
    expect(paths({ referral_source: { counts: { self: 1, school: 2 } } })).toEqual(['referral_source.counts.school']);
    expect(paths({ same_day: { numerator: 1, denominator: 2, strata: { race: { a: { numerator: 1, denominator: 2 } } } } })).toEqual(['same_day.strata.race']);
    expect(paths({ same_day: { numerator: 1, denominator: 2, strata: { payer: { crypto: { numerator: 1, denominator: 2 } } } } })).toEqual(['same_day.strata.payer.crypto']);
  });
  it('strata sum to the total where both are given', () => {
    const strata = { medicaid: { numerator: 2, denominator: 5 }, private: { numerator: 1, denominator: 3 } };
    expect(paths({ same_day: { numerator: 3, denominator: 8, strata: { payer: strata } } })).toEqual([]);
    expect(paths({ same_day: { numerator: 4, denominator: 8, strata: { payer: strata } } })).toEqual(['same_day.strata.payer']);
    expect(paths({ same_day: { numerator: 2, denominator: 8, strata: { payer: { ...strata, none: { numerator: 3, denominator: 1 } } } } })).toContain('same_day.strata.payer.none.numerator');
  });
  it('issue 15.3: 30-day continuation without a 60-day count is complete; the two share one denominator', () => {
    const complete = { period: 'monthly' as const, complete: true };
    expect(paths({ waiting_time: { total: 4, cases: 1 }, continuation_30: { numerator: 3, denominator: 5 } }, complete)).toEqual([]);
    expect(paths({ waiting_time: { total: 4, cases: 1 } }, complete)).toEqual(['continuation_30']);
    expect(paths({ continuation_30: { numerator: 3, denominator: 5 }, continuation_60: { numerator: 2, denominator: 6 } })).toEqual(['continuation_60.denominator']);
  });
  it('a measure reports in its own period, and a retired measure takes no values', () => {
    const ped = catalogueFromTemplate('pediatric-preventive');
    expect(validateValues(ped, { lead_screening: { numerator: 1, denominator: 2 } }, monthly).map((i) => i.path)).toEqual(['lead_screening']);
    expect(validateValues(ped, { lead_screening: { numerator: 1, denominator: 2 } }, { period: 'quarterly', complete: true }).map((i) => i.path)).toEqual(['immunisations_24m', 'developmental_screening', 'autism_screening']);
    const retired = cat.map((m) => (m.id === 'admissions' ? { ...m, retired: true } : m));
    expect(validateValues(retired, { admissions: { count: 1 } }, monthly).map((i) => i.message)).toEqual(['measure admissions is retired']);
  });
});

describe('issue 15.2: NIATx counts as niatx values', () => {
  it('are exact inverses', () => {
    const c = { admissions: 3, intakeScheduled: 10, intakeNoShows: 2, firstPostAdmissionScheduled: 4, firstPostAdmissionNoShows: 1, admittedInWindow: 5, retained30: 4, retained60: 3, clientsTreated: 4, totalDaysToTreatment: 40, medianDaysToTreatment: 9.5 };
    expect(valuesToCounts(countsToValues(c))).toEqual(c);
    expect(valuesToCounts(countsToValues({ admittedInWindow: 5, retained30: 4 }))).toEqual({ admittedInWindow: 5, retained30: 4 });
  });
});

describe('periods', () => {
  it('months and quarters', () => {
    expect(periodBounds('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodBounds('2025-Q4')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(periodsBetween('2025-02-28', '2025-11-02', 'quarterly')).toEqual(['2025-Q2', '2025-Q3', '2025-Q4']);
    expect(periodsBetween('2025-02-28', '2025-05-01', 'monthly')).toEqual(['2025-03', '2025-04', '2025-05']);
    expect(periodsInSpan('2024-01-01', '2024-02-29', 'monthly')).toBe(2);
  });
});
