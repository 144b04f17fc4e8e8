// Issue 15.6 (Must show): the SVG chart parsed as XML: one point per period, signal points marked,
// PDSA markers at the periods of their dates.
import { describe, expect, it } from '@jest/globals';
import { parseDocument } from 'htmlparser2';
import { catalogueFromTemplate } from '@convene/domain';
import { catalogueMeasureReport, type AgencySubmissions } from '@convene/projections';
import { chartInput, renderChart } from './chart';

type Node = { type: string; name?: string; attribs?: Record<string, string>; children?: Node[] };
const walk = (n: Node, out: Node[] = []): Node[] => {
  out.push(n);
  for (const c of n.children ?? []) walk(c, out);
  return out;
};
const labels = (svg: string) => walk(parseDocument(svg, { xmlMode: true }) as unknown as Node).flatMap((n) => (n.attribs?.['aria-label'] ? [n] : []));

const lead = catalogueFromTemplate('pediatric-preventive').find((m) => m.id === 'lead_screening')!;
const quarters = ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'];
// Two practices; the last quarter jumps far above the p-chart's upper limit (an astronomical point).
const rates = [[30, 100], [31, 100], [29, 100], [32, 100], [30, 100], [28, 100], [31, 100], [80, 100]] as const;
const practice = (id: string): AgencySubmissions => ({
  agencyId: id,
  baseline: { from: '2023-10-01', to: '2023-12-31', values: { lead_screening: { numerator: 30, denominator: 100 } } },
  periods: quarters.map((period, i) => ({ period, values: { lead_screening: { numerator: rates[i]![0], denominator: rates[i]![1] } } })),
});

describe('issue 15.6: the SVG chart', () => {
  it('issue 15.6: one point per period, signal points marked, PDSA markers at their dates', async () => {
    const pdsa = [
      { projectId: 'p1', agencyId: 'a1', cycleNumber: 1, beginsOn: '2025-02-03', endsOn: '2025-02-28', decision: 'adapt' },
      { projectId: 'p1', agencyId: 'a1', cycleNumber: 2, beginsOn: '2025-11-10', endsOn: '2025-11-30', decision: 'adopt' },
    ];
    const report = catalogueMeasureReport(lead, [practice('a1'), practice('a2')], { pdsa });
    expect(report.chart).toBe('p');
    const signalled = report.points.filter((p) => p.signal).map((p) => p.period);
    expect(signalled).toContain('2025-Q4');
    const svg = await renderChart(chartInput(report, { kind: 'control' }));
    expect(svg.startsWith('<svg')).toBe(true);
    const nodes = labels(svg);
    const points = nodes.filter((n) => n.attribs!['aria-label']!.startsWith('point '));
    // One point mark per period, in period order, each with its pooled value.
    expect(points.map((n) => n.attribs!['aria-label']!.split(' ')[1])).toEqual(quarters);
    expect(points[0]!.attribs!['aria-label']).toBe('point 2024-Q1 0.3');
    // Signal points: flagged in the label and drawn in the signal colour.
    const red = points.filter((n) => n.attribs!.fill === '#d62728').map((n) => n.attribs!['aria-label']!.split(' ')[1]);
    expect(red).toEqual(signalled);
    expect(points.filter((n) => n.attribs!['aria-label']!.endsWith(' signal')).map((n) => n.attribs!['aria-label']!.split(' ')[1])).toEqual(signalled);
    // PDSA markers: a rule at the quarter each cycle began, at that quarter's x position.
    const rules = nodes.filter((n) => n.attribs!['aria-label']!.startsWith('pdsa '));
    expect(rules.map((n) => n.attribs!['aria-label'])).toEqual(['pdsa 2025-Q1 2025-02-03 cycle 1 adapt', 'pdsa 2025-Q4 2025-11-10 cycle 2 adopt']);
    const xOf = (n: Node) => Number(/translate\(([\d.]+)/.exec(n.attribs!.transform ?? '')?.[1] ?? /M([\d.]+)/.exec(n.attribs!.d ?? '')?.[1]);
    const pointX = (period: string) => xOf(points.find((n) => n.attribs!['aria-label']!.split(' ')[1] === period)!);
    expect(xOf(rules[0]!)).toBeCloseTo(pointX('2025-Q1'), 0);
    expect(xOf(rules[1]!)).toBeCloseTo(pointX('2025-Q4'), 0);
    // Centre and limits are drawn.
    expect(nodes.some((n) => n.attribs!['aria-label']!.startsWith('upper '))).toBe(true);
  });
});
