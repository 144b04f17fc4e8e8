// Measures the packet renderer (issue 18): `npx tsx services/worker/src/packet/render/measure.ts`.
// Twelve agencies, three focus measures over twelve months; times and sizes of four agency packets
// and the aggregate one (results in docs/documents.md, "Measured").
import { catalogueFromTemplate } from '@convene/domain';
import { catalogueMeasureReport, type AgencySubmissions } from '@convene/projections';
import { renderAgencyPacket, renderAggregatePacket } from './index';
const catalogue = catalogueFromTemplate('niatx', ['continuation_30']);
const focus = ['waiting_time', 'intake_no_show', 'continuation_30'].map((id) => catalogue.find((m) => m.id === id)!);
const months = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
const agencies: AgencySubmissions[] = Array.from({ length: 12 }, (_, k) => ({
  agencyId: `00000000-0000-7000-8000-0000000000${String(k).padStart(2, '0')}`,
  baseline: { from: '2024-10-01', to: '2024-12-31', values: { waiting_time: { total: 300 + k, cases: 10 }, intake_no_show: { numerator: 10 + k, denominator: 40 }, continuation_30: { numerator: 12, denominator: 30 } } },
  periods: months.map((period, i) => ({ period, values: { waiting_time: { total: 280 - i * 5 + k, cases: 11 }, intake_no_show: { numerator: 9 + (i % 3), denominator: 41 }, continuation_30: { numerator: 13 + (i % 4), denominator: 31 } } })),
}));
const measures = focus.map((m) => catalogueMeasureReport(m, agencies));
const ctx = { collaborativeName: 'Access 2025', meeting: { meetingId: 'm', kind: 'change_leader_meeting', startsAt: '2026-01-10T15:00:00Z' }, poolName: 'Cohort 1', measures, generatedAt: '2026-01-05T00:00:00Z' };
for (let i = 0; i < 4; i++) {
  const t = performance.now();
  const pdf = await renderAgencyPacket({ ...ctx, agency: { agencyId: agencies[i]!.agencyId, name: `Agency ${i}` }, projects: [] });
  console.log(`agency packet ${i}: ${Math.round(performance.now() - t)} ms, ${Math.round(pdf.length / 1024)} KiB`);
}
const t = performance.now();
const agg = await renderAggregatePacket(ctx);
console.log(`aggregate: ${Math.round(performance.now() - t)} ms, ${Math.round(agg.length / 1024)} KiB; rss ${Math.round(process.memoryUsage().rss / 1048576)} MiB`);
