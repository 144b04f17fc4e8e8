// Issue 15.7 (Must show), the pediatric collaborative (pediatric-story.ts): its catalogue is the
// template plus custom measures, it needs no continuation settings, and it owes quarters, not months
// (agency page, calendar).
import { describe, expect, it } from '@jest/globals';
import { C, COHORT, PRACTICES, get, story, usePediatricStory } from './pediatric-story';

usePediatricStory();

describe('issue 15.7: a pediatric catalogue and what it owes', () => {
  it('issue 15: launched without measureSettings (no continuation measures): the collaborative reads them as null', async () => {
    const res = await story.t.app.inject({ method: 'GET', url: `/v1/collaboratives/${C}?consistentWith=${story.position}`, headers: { authorization: `Bearer ${story.keys.admin}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json().measureSettings).toBeNull();
  });

  it('issue 15: a quarterly catalogue owes no months: the agency page lists no missing month after its baseline', async () => {
    const res = await get('admin', `/agencies/${PRACTICES[1]}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ baselineRecorded: true, monthsMissing: [] });
  });

  it('issue 15: the calendar owes quarters, not months: each quarter due on the due day of the month after it, met per practice', async () => {
    const res = await get('coach', '/calendar?from=2025-01-01T00:00:00Z&to=2025-12-01T00:00:00Z');
    expect(res.statusCode).toBe(200);
    const dues = res.json().items.filter((i: { type: string }) => i.type === 'data_due');
    expect(dues.map((d: { startsAt: string; period: string; month: string | null; title: string; agencies: { agencyId: string; met: boolean }[] }) =>
      [d.startsAt.slice(0, 10), d.period, d.month, d.title, d.agencies.filter((a) => !a.met).map((a) => a.agencyId)])).toEqual([
      ['2025-04-10', '2025-Q1', null, 'Quarterly data due: 2025-Q1', []],
      ['2025-07-10', '2025-Q2', null, 'Quarterly data due: 2025-Q2', []],
      ['2025-10-10', '2025-Q3', null, 'Quarterly data due: 2025-Q3', [PRACTICES[2]]],
    ]);
  });

  it('issue 15.7: the catalogue is the template plus the custom measures', async () => {
    const res = await get(0, '/catalogue');
    expect(res.statusCode).toBe(200);
    expect(res.json().measures.map((m: { id: string; required: boolean; period: string }) => [m.id, m.required, m.period])).toEqual([
      ['immunisations_24m', true, 'quarterly'], ['developmental_screening', true, 'quarterly'], ['autism_screening', true, 'quarterly'],
      ['lead_screening', true, 'quarterly'], ['fluoride_varnish', false, 'quarterly'], ['weight_assessed', false, 'quarterly'], ['bmi_documented', false, 'quarterly'],
    ]);
    expect(res.json().measures.find((m: { id: string }) => m.id === 'bmi_documented').retired).toBe(true);
  });

  it('issue 15: progress lists the catalogue\'s measures (not NIATx\'s), each at the agency\'s baseline and latest quarter', async () => {
    const page = await get('admin', `/agencies/${PRACTICES[2]}`);
    const measures = page.json().measures as { key: string; baseline: number | null; latest: number | null; change: { absolute: number } | null }[];
    expect(measures.map((m) => m.key)).toEqual(['immunisations_24m', 'developmental_screening', 'autism_screening', 'lead_screening', 'fluoride_varnish', 'weight_assessed', 'bmi_documented']);
    // Practice C: lead screening 8/20 at baseline, 12/22 in its latest quarter (Q2; it has not submitted Q3).
    const lead = measures.find((m) => m.key === 'lead_screening')!;
    expect([lead.baseline, lead.latest]).toEqual([8 / 20, 12 / 22]);
    expect(lead.change!.absolute).toBeCloseTo(12 / 22 - 8 / 20, 12);
    expect(measures.find((m) => m.key === 'weight_assessed')).toEqual({ key: 'weight_assessed', baseline: null, latest: null, change: null });
    const progress = (await get('coach', `/cohorts/${COHORT}/progress`)).json().items as { agencyId: string; measures: { key: string; latest: number | null }[] }[];
    expect(progress.find((a) => a.agencyId === PRACTICES[2])!.measures).toEqual(measures);
  });
});
