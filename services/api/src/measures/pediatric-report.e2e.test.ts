// Issue 15.7 (Must show), the pediatric collaborative (pediatric-story.ts): the pooled measure report
// (p-chart, frozen phase, change against baseline, PDSA marker), who sees which series, and the SVG chart.
import { describe, expect, it } from '@jest/globals';
import { parseDocument } from 'htmlparser2';
import { C, COACH, PRACTICES, PROJECT, get, pooled, story, usePediatricStory } from './pediatric-story';

usePediatricStory();

describe('issue 15.7: the pediatric measure report', () => {
  it('issue 15.7: the pooled report (sum over sum, corrections applied) with a p-chart, change against baseline and the PDSA cycle', async () => {
    const res = await get('coach', '/measures/lead_screening/report');
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.chart).toBe('p');
    expect(r.points.map((p: { period: string }) => p.period)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3']);
    for (const p of r.points) {
      const x = pooled(p.period);
      expect([p.numerator, p.denominator, p.value]).toEqual([x.n, x.d, x.p]);
    }
    // p-chart: centre = Σ numerators / Σ denominators over the frozen span (Q1-Q2); limits p ± 3·sqrt(p(1-p)/n_i) for every point.
    const all = ['2025-Q1', '2025-Q2', '2025-Q3'].map(pooled);
    const pBar = (all[0]!.n + all[1]!.n) / (all[0]!.d + all[1]!.d);
    expect(r.phases).toEqual([expect.objectContaining({ startsWith: '2025-Q1', freezeThrough: '2025-Q2', from: 0 })]);
    for (const [i, p] of r.points.entries()) {
      expect(p.limits.centre).toBeCloseTo(pBar, 12);
      expect(p.limits.upper).toBeCloseTo(pBar + 3 * Math.sqrt((pBar * (1 - pBar)) / all[i]!.d), 12);
    }
    expect(r.baseline.value).toBeCloseTo(pooled('baseline').p, 12);
    expect(r.change.absolute).toBeCloseTo(pooled('2025-Q3').p - pooled('baseline').p, 12);
    expect(r.pdsa).toEqual([expect.objectContaining({ projectId: PROJECT, beginsOn: '2025-05-05', decision: 'adopt' })]);
    // Practice C has not submitted Q3 (it is on the due list): its series stops at Q2.
    const c = r.agencySeries.find((s: { agency: string }) => s.agency === PRACTICES[2]);
    expect(c.points.map((p: { period: string }) => p.period)).toEqual(['2025-Q1', '2025-Q2']);
    expect(c.latest).toBe(12 / 22);
  });

  it('issue 15.7: an agency reads its own series and the pooled one, other practices anonymised; analysts get small cells suppressed', async () => {
    const mine = (await get(0, '/measures/lead_screening/report')).json();
    expect(mine.agencySeries.map((s: { agency: string; own: boolean }) => [s.agency, s.own])).toEqual([[PRACTICES[0], true], ['Agency 1', false], ['Agency 2', false]]);
    expect(JSON.stringify(mine)).not.toContain(PRACTICES[1]);
    const scopedCoach = await story.t.createKey({ name: 'coach of A', role: 'coach', actorId: COACH, collaborativeIds: [C], agencyIds: [PRACTICES[0]!] });
    const coachView = await story.t.app.inject({ method: 'GET', url: `/v1/collaboratives/${C}/measures/lead_screening/report`, headers: { authorization: `Bearer ${scopedCoach}` } });
    expect(coachView.json().agencySeries.map((s: { agency: string }) => s.agency)).toEqual([PRACTICES[0], 'Agency 1', 'Agency 2']);
    const analyst = (await get('analyst', '/measures/lead_screening/report')).json();
    const cells = analyst.agencySeries.flatMap((s: { points: { numerator: number | null; suppressed: boolean }[] }) => s.points);
    expect(cells.some((p: { suppressed: boolean }) => p.suppressed)).toBe(true);
    for (const p of cells) if (p.suppressed) expect(p.numerator).toBeNull();
    // Practice C's numerators (9, 12) are small: never published to an analyst.
    const c = analyst.agencySeries.find((s: { agency: string }) => s.agency === PRACTICES[2]);
    expect(c.points.map((p: { numerator: number | null }) => p.numerator)).toEqual([null, null]);
  });

  it('issue 15.7: the SVG chart of the p-chart: one point per quarter and the PDSA marker', async () => {
    const res = await get(1, '/charts/lead_screening.svg');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    const labels: string[] = [];
    const walk = (n: { attribs?: Record<string, string>; children?: unknown[] }) => {
      if (n.attribs?.['aria-label']) labels.push(n.attribs['aria-label']);
      for (const c of n.children ?? []) walk(c as never);
    };
    walk(parseDocument(res.body, { xmlMode: true }) as never);
    expect(labels.filter((l) => l.startsWith('point ')).map((l) => l.split(' ')[1])).toEqual(['2025-Q1', '2025-Q2', '2025-Q3']);
    expect(labels.filter((l) => l.startsWith('pdsa '))).toEqual(['pdsa 2025-Q2 2025-05-05 cycle 1 adopt']);
    expect(labels.some((l) => l.startsWith('upper '))).toBe(true);
    const other = await get(1, `/charts/lead_screening.svg?agencyId=${PRACTICES[0]}`);
    expect(other.statusCode).toBe(403);
  });
});
