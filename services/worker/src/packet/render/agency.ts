// One agency's meeting packet (issue 18: "give each Change Leader a copy of the data from his
// agency"): a title page naming the collaborative, the meeting and the agency; per focus measure
// the agency's series against the pool's (one run chart, drawn by the chart route's Vega-Lite code,
// and a table of both); the agency's change projects with their PDSA cycles; the pool's aggregate page. Only this
// agency is named: other agencies' series are never read from the report.
import { renderComparisonChart, type ChangeProjectResource, type MeasureSeriesReport } from '@convene/projections';
import { aggregatePage, titlePage } from './aggregate';
import { chart, heading, newDocument, paragraph, table, type Doc } from './pdf';
import { formatCounts, formatFigure, meetingTitle, type AgencyPacketInput } from './types';

async function measurePages(doc: Doc, input: AgencyPacketInput, r: MeasureSeriesReport): Promise<void> {
  const { agencyId, name } = input.agency;
  const own = r.agencySeries.find((s) => s.agencyId === agencyId);
  const ownPdsa = r.pdsa.filter((c) => c.agencyId === agencyId);
  doc.addPage();
  heading(doc, r.measure.name);
  paragraph(doc, [
    `${name}: baseline ${formatFigure(r.measure, own?.baseline)}, latest ${formatFigure(r.measure, own?.latest)}.`,
    `${input.poolName} pooled: baseline ${formatFigure(r.measure, r.baseline.value)}, latest ${r.latest ? `${formatFigure(r.measure, r.latest.value)} (${r.latest.period})` : '-'}.`,
    ...(r.measure.target !== undefined && r.measure.target !== null ? [`Target: ${formatFigure(r.measure, r.measure.target)}.`] : []),
  ].join(' '));
  if (!own || own.points.length === 0) paragraph(doc, `${name} has no submitted data for this measure yet.`);
  // One picture: the agency's series against the pool's, with the agency's own PDSA cycles.
  const series = [...(own && own.points.length > 0 ? [{ name, points: own.points }] : []), { name: `${input.poolName} pooled`, points: r.points }];
  chart(doc, await renderComparisonChart({ title: `${r.measure.name}: ${name} and ${input.poolName}`, period: r.measure.period, series, pdsa: ownPdsa }));
  const ownByPeriod = new Map((own?.points ?? []).map((p) => [p.period, p]));
  const periods = [...new Set([...r.points.map((p) => p.period), ...ownByPeriod.keys()])].sort();
  table(
    doc,
    ['Period', name, 'Counts', `${input.poolName} pooled`, 'Counts', 'Agencies'],
    periods.map((period) => {
      const a = ownByPeriod.get(period);
      const p = r.points.find((x) => x.period === period);
      return [period, a ? formatFigure(r.measure, a.value) : '-', a ? formatCounts(r.measure, a) : '-', p ? formatFigure(r.measure, p.value) : '-', p ? formatCounts(r.measure, p) : '-', p ? String(p.agencies) : '0'];
    }),
    [1.2, 2, 1.3, 2, 1.3, 1],
  );
}

function projectPages(doc: Doc, input: AgencyPacketInput, projects: ChangeProjectResource[]): void {
  doc.addPage();
  heading(doc, `${input.agency.name}: change projects`);
  if (projects.length === 0) paragraph(doc, 'No change project recorded yet.');
  for (const p of projects) {
    heading(doc, `${p.title} (${p.status})`, 12);
    paragraph(doc, `Aim: ${p.aim}`);
    paragraph(doc, `Measure: ${p.measure}; from ${p.baselineValue} to ${p.targetValue} by ${p.targetDate}. Change idea: ${p.changeIdea}.`);
    if (p.timeline.length === 0) paragraph(doc, 'No PDSA cycle logged yet.');
    else
      table(
        doc,
        ['Cycle', 'Dates', 'Change tested', 'Result', 'Decision'],
        p.timeline.map((c) => [String(c.cycleNumber), `${c.beginsOn} to ${c.endsOn}`, c.changeTested, c.result, c.decision]),
        [0.6, 1.6, 2.5, 2.5, 1],
      );
    if (p.lessons) paragraph(doc, `Lessons: ${p.lessons}`);
  }
}

export async function renderAgencyPacket(input: AgencyPacketInput): Promise<Buffer> {
  const { doc, bytes } = newDocument({ title: `${input.collaborativeName}: meeting packet for ${input.agency.name}`, subject: meetingTitle(input.meeting), createdAt: input.generatedAt });
  titlePage(doc, input, [`Agency: ${input.agency.name}`, `Compared with: ${input.poolName} (pooled)`, `Focus measures: ${input.measures.map((m) => m.measure.name).join(', ') || 'none'}`]);
  for (const r of input.measures) await measurePages(doc, input, r);
  projectPages(doc, input, input.projects.filter((p) => p.agencyId === input.agency.agencyId));
  aggregatePage(doc, input);
  doc.end();
  return bytes;
}
