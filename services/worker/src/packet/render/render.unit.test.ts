// Issue 18: a meeting packet's PDF, read back with a PDF text extractor (unpdf, pdf.js), names its
// agency, shows its figures as the report code computed them (catalogueMeasureReport; nothing
// here is a hard-coded result) and names no other agency.
import { describe, expect, it } from '@jest/globals';
import { catalogueFromTemplate } from '@convene/domain';
import { catalogueMeasureReport, type AgencySubmissions, type ChangeProjectResource, type MeasureSeriesReport } from '@convene/projections';
import { extractText, getDocumentProxy } from 'unpdf';
import { formatCounts, formatFigure, renderAgencyPacket, renderAggregatePacket, type PacketContext } from './index';

const A = '0194a000-0000-7000-8000-00000000000a';
const B = '0194a000-0000-7000-8000-00000000000b';
const C = '0194a000-0000-7000-8000-00000000000c';
const names: Record<string, string> = { [A]: 'Riverbend Recovery', [B]: 'Hilltop Health', [C]: 'Lakeside Services' };
const catalogue = catalogueFromTemplate('niatx', ['continuation_30']);
const focus = ['waiting_time', 'continuation_30'].map((id) => catalogue.find((m) => m.id === id)!);

// Distinct counts per agency and month, so that each figure is recognisable in the text.
const agency = (agencyId: string, k: number): AgencySubmissions => ({
  agencyId,
  baseline: { from: '2025-01-01', to: '2025-02-28', values: { waiting_time: { total: 97 * k, cases: 7 + k }, continuation_30: { numerator: 11 + k, denominator: 41 + 3 * k } } },
  periods: ['2025-03', '2025-04', '2025-05'].map((period, i) => ({
    period,
    values: { waiting_time: { total: 83 * k + 13 * i, cases: 9 + k + i }, continuation_30: { numerator: 17 + 2 * k + i, denominator: 43 + 5 * k + i } },
  })),
});
const submissions = [agency(A, 1), agency(B, 2), agency(C, 3)];
const pdsa = [
  { projectId: 'p-a', agencyId: A, cycleNumber: 1, beginsOn: '2025-04-02', endsOn: '2025-04-20', decision: 'adapt' },
  { projectId: 'p-b', agencyId: B, cycleNumber: 1, beginsOn: '2025-03-05', endsOn: '2025-03-25', decision: 'adopt' },
];
const reports: MeasureSeriesReport[] = focus.map((m) => catalogueMeasureReport(m, submissions, { pdsa: pdsa.map((p) => ({ ...p })) }));

const project = (agencyId: string, title: string, changeTested: string): ChangeProjectResource => ({
  projectId: `p-${agencyId}`, collaborativeId: 'c', agencyId, owner: 'agency', title, aim: `${title}: cut the wait to 3 days`, measure: 'waiting_time', baselineValue: 12, targetValue: 3,
  targetDate: '2025-09-30', changeIdea: 'Same-day intake', levelOfCare: 'outpatient', status: 'active', startedAt: '2025-03-01', cycles: 1, lastDecision: 'adapt',
  endedOn: null, lessons: null, impact: null, sustainPlan: null, abandonReason: null, customers: null, team: [],
  timeline: [{ cycleNumber: 1, beginsOn: '2025-04-02', endsOn: '2025-04-20', changeTested: changeTested, prediction: 'Fewer no-shows', steps: [], result: 'Waits fell', decision: 'adapt', loggedAt: '2025-04-21T10:00:00.000Z' }],
});
const projects = [project(A, 'Walk-in Mondays', 'Open walk-in hours'), project(B, 'Hilltop phone triage', 'Phone triage by nurses')];

const ctx: PacketContext = {
  collaborativeName: 'Ohio Access Collaborative',
  meeting: { meetingId: 'm', kind: 'learning_session', startsAt: '2025-06-12T15:00:00.000Z' },
  poolName: 'Cohort 1',
  measures: reports,
  generatedAt: '2025-06-10T08:00:00.000Z',
};

async function textOf(pdf: Buffer): Promise<string> {
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

describe('issue 18: the Change Leader meeting packet', () => {
  it("issue 18: an agency's packet names the agency, the collaborative and the meeting, shows its figures and the pool's as the report computed them, and no other agency's name", async () => {
    const text = await textOf(await renderAgencyPacket({ ...ctx, agency: { agencyId: A, name: names[A]! }, projects }));
    expect(text).toContain('Riverbend Recovery');
    expect(text).toContain('Ohio Access Collaborative');
    expect(text).toContain('Learning session, June 12, 2025');
    for (const r of reports) {
      expect(text).toContain(r.measure.name);
      const own = r.agencySeries.find((s) => s.agencyId === A)!;
      expect(own.points).toHaveLength(3);
      for (const p of own.points) {
        expect(text).toContain(`${p.period} ${formatFigure(r.measure, p.value)} ${formatCounts(r.measure, p)}`);
      }
      expect(text).toContain(`Riverbend Recovery: baseline ${formatFigure(r.measure, own.baseline)}, latest ${formatFigure(r.measure, own.latest)}.`);
      for (const p of r.points) expect(text).toContain(`${formatFigure(r.measure, p.value)} ${formatCounts(r.measure, p)} ${p.agencies}`);
      expect(text).toContain(`Cohort 1 pooled: baseline ${formatFigure(r.measure, r.baseline.value)}`);
    }
    // Its change project and PDSA cycle; not another agency's.
    expect(text).toContain('Walk-in Mondays');
    expect(text).toContain('Open walk-in hours');
    expect(text).not.toContain('Phone triage');
    // No other agency by name or id.
    for (const other of [B, C]) {
      expect(text).not.toContain(names[other]!.split(' ')[0]!);
      expect(text).not.toContain(other);
    }
    expect(text).toContain('Cohort 1: all agencies pooled');
  });

  it("issue 18: another agency's packet holds its own figures, not the first agency's", async () => {
    const text = await textOf(await renderAgencyPacket({ ...ctx, agency: { agencyId: B, name: names[B]! }, projects }));
    expect(text).toContain('Hilltop Health');
    expect(text).not.toContain('Riverbend');
    expect(text).not.toContain('Walk-in Mondays');
    const r = reports[1]!;
    const ownA = r.agencySeries.find((s) => s.agencyId === A)!;
    const ownB = r.agencySeries.find((s) => s.agencyId === B)!;
    expect(text).toContain(`${ownB.points[0]!.period} ${formatFigure(r.measure, ownB.points[0]!.value)} ${formatCounts(r.measure, ownB.points[0]!)}`);
    expect(text).not.toContain(formatCounts(r.measure, ownA.points[0]!));
  });

  it('issue 18: the aggregate packet shows the pooled figures and names no agency', async () => {
    const text = await textOf(await renderAggregatePacket(ctx));
    expect(text).toContain('Aggregate packet: Cohort 1');
    for (const r of reports) for (const p of r.points) expect(text).toContain(`${p.period} ${formatFigure(r.measure, p.value)} ${formatCounts(r.measure, p)} ${p.agencies}`);
    for (const id of [A, B, C]) {
      expect(text).not.toContain(names[id]!.split(' ')[0]!);
      expect(text).not.toContain(id);
    }
  });
});
