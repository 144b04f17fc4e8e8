import { deliveryKeys } from '../keys';
import { day, render, whyLine } from './render';
import { visitDetails, type VisitDetails } from './subjects';
import type { AgencyLeaders, CollabName, MessageKind, Rendered } from './types';

// The summary report of a completed site visit goes to the agency's Change Leader and Executive
// Sponsor (issue 18), once, when the visit is recorded completed (live or after the fact).

const NAME = 'sitevisit-summary';

export function siteVisitSummaryMessage(collab: CollabName, agency: AgencyLeaders, v: VisitDetails): Rendered {
  const subject = `Site visit summary: ${agency.agencyName}, ${day(v.completedOn ?? v.scheduledAt.slice(0, 10))}`;
  const body = render(
    subject,
    [`Dear ${agency.agencyName} team,`, `The summary report of the ${collab.name} site visit completed on ${day(v.completedOn ?? v.scheduledAt.slice(0, 10))}:`, v.summary ?? ''],
    whyLine(agency.leaders, collab.name),
  );
  return { subject, ...body, recipients: agency.leaders };
}

export const siteVisitSummaryKind: MessageKind = {
  name: NAME,
  recordedAs: 'MessageSent',
  plansOn: ['SiteVisitCompleted'],
  async plan(ctx) {
    const d = ctx.event.data as Record<string, any>;
    await ctx.insert([
      { key: deliveryKeys.siteVisitSummary(d.visitId), kind: NAME, collaborativeId: d.collaborativeId, subjectId: d.visitId, dueAt: ctx.now, payload: { visitId: d.visitId, agencyId: d.agencyId } },
    ]);
  },
  async compose(ctx, row) {
    const v = await visitDetails(ctx.store, row.payload.visitId);
    if (!v || v.status !== 'completed' || !v.summary) return null;
    const collab = await ctx.directory.collaborative(row.collaborative_id);
    const agency = await ctx.directory.agency(row.collaborative_id, v.agencyId);
    return { ...siteVisitSummaryMessage(collab, agency, v), extra: { visitId: v.visitId } };
  },
};
