// What a meeting packet shows (issue 18), gathered by the packet job (../gather.ts) from the read
// models and rendered here without I/O. Figures are the report code's own (catalogueMeasureReport):
// the renderer formats them, it never recomputes them.
import type { ChangeProjectResource, MeasureSeriesReport } from '@convene/projections';

export interface PacketMeeting {
  meetingId: string;
  kind: string;
  startsAt: string;
}

export interface PacketContext {
  collaborativeName: string;
  meeting: PacketMeeting;
  /** What the pooled series pool over: "Cohort 2", or the collaborative when the invited agencies span cohorts. */
  poolName: string;
  /** One report per focus measure, over the pool, in catalogue order. */
  measures: MeasureSeriesReport[];
  generatedAt: string;
}

export interface AgencyPacketInput extends PacketContext {
  agency: { agencyId: string; name: string };
  /** The agency's own change projects with their PDSA cycles. */
  projects: ChangeProjectResource[];
}

const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** A value as the packet prints it: proportions as percentages, rates and means to two decimals, counts whole. */
export function formatFigure(measure: MeasureSeriesReport['measure'], value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-';
  if (measure.type === 'proportion') return `${round(value * 100, 1)}%`;
  if (measure.type === 'count') return String(round(value, 1));
  return String(round(value, 2));
}

/** Numerator over denominator, as the report keeps them (counts have none). */
export function formatCounts(measure: MeasureSeriesReport['measure'], p: { numerator: number; denominator: number }): string {
  return measure.type === 'count' ? String(p.numerator) : `${round(p.numerator, 2)}/${round(p.denominator, 2)}`;
}

export const meetingTitle = (m: PacketMeeting) => {
  const kind = m.kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
  const when = new Date(m.startsAt).toLocaleString('en-US', { timeZone: 'UTC', dateStyle: 'long', timeStyle: 'short' });
  return `${kind}, ${when} UTC`;
};
