// The cohort's aggregate page (in every agency packet) and the aggregate packet for the meeting's
// presentation: pooled figures only. No agency is named, nor told apart: the counts of agencies
// improved and reporting are all a reader learns about the others.
import { chartInput, renderChart, type MeasureSeriesReport } from '@convene/projections';
import { chart, heading, newDocument, paragraph, table, type Doc } from './pdf';
import { formatCounts, formatFigure, meetingTitle, type PacketContext } from './types';

const change = (r: MeasureSeriesReport) =>
  r.change ? `${r.change.absolute >= 0 ? '+' : ''}${formatFigure(r.measure, r.change.absolute)}` : '-';

/** One row per focus measure: pooled baseline, latest period, change, agencies improved / not / no data. */
export function aggregatePage(doc: Doc, ctx: PacketContext): void {
  doc.addPage();
  heading(doc, `${ctx.poolName}: all agencies pooled`);
  paragraph(doc, 'Each figure pools the raw counts of every agency reporting (sum of numerators over sum of denominators). Other agencies are not named in this packet.');
  doc.moveDown(0.5);
  table(
    doc,
    ['Measure', 'Baseline', 'Latest', 'Change', 'Improved / not / no data', 'Agencies in latest'],
    ctx.measures.map((r) => [
      r.measure.name,
      formatFigure(r.measure, r.baseline.value),
      r.latest ? `${formatFigure(r.measure, r.latest.value)} (${r.latest.period})` : '-',
      change(r),
      `${r.agencies.improved} / ${r.agencies.notImproved} / ${r.agencies.noData}`,
      r.latest ? String(r.latest.n) : '0',
    ]),
    [3, 1.2, 1.8, 1.2, 2, 1.3],
  );
}

/** The pooled chart (control chart of the type, or run chart) without any agency's PDSA markers. */
export async function pooledChart(doc: Doc, r: MeasureSeriesReport, poolName: string, pdsa: MeasureSeriesReport['pdsa']): Promise<void> {
  const input = chartInput({ ...r, pdsa }, { kind: r.chart ? 'control' : 'run' });
  chart(doc, await renderChart({ ...input, title: `${r.measure.name}: ${poolName} pooled` }));
}

export function pooledTable(doc: Doc, r: MeasureSeriesReport): void {
  table(
    doc,
    ['Period', 'Pooled', 'Counts', 'Agencies', 'Signal'],
    r.points.map((p) => [p.period, formatFigure(r.measure, p.value), formatCounts(r.measure, p), String(p.agencies), p.signal ? 'yes' : '']),
  );
}

export function titlePage(doc: Doc, ctx: PacketContext, lines: string[]): void {
  doc.font('Helvetica-Bold').fontSize(22).text('Change Leader meeting packet').moveDown(0.5);
  doc.font('Helvetica').fontSize(14).text(ctx.collaborativeName).moveDown(0.3);
  doc.fontSize(12).text(meetingTitle(ctx.meeting)).moveDown(1);
  for (const l of lines) doc.fontSize(12).text(l).moveDown(0.3);
  doc.moveDown(1).fontSize(9).fillColor('#555').text(`Requested ${ctx.generatedAt.slice(0, 16).replace('T', ' ')} UTC; the figures are those submitted when it was prepared.`).fillColor('black');
}

/** The presentation's packet: pooled charts and figures of each focus measure, then the aggregate page. */
export async function renderAggregatePacket(ctx: PacketContext): Promise<Buffer> {
  const { doc, bytes } = newDocument({ title: `${ctx.collaborativeName}: meeting packet (${ctx.poolName})`, subject: meetingTitle(ctx.meeting), createdAt: ctx.generatedAt });
  titlePage(doc, ctx, [`Aggregate packet: ${ctx.poolName}`, `Focus measures: ${ctx.measures.map((m) => m.measure.name).join(', ') || 'none'}`]);
  for (const r of ctx.measures) {
    doc.addPage();
    heading(doc, r.measure.name);
    paragraph(doc, `Pooled baseline ${formatFigure(r.measure, r.baseline.value)}; latest ${r.latest ? `${formatFigure(r.measure, r.latest.value)} (${r.latest.period})` : '-'}; change ${change(r)}.`);
    // PDSA markers are left out: on a pooled chart they would tell the agencies' cycles apart.
    await pooledChart(doc, r, ctx.poolName, []);
    pooledTable(doc, r);
  }
  aggregatePage(doc, ctx);
  doc.end();
  return bytes;
}
