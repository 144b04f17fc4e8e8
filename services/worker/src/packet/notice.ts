// The meeting packet as a message kind (issue 18). Planning: a MeetingPacketRequested becomes one
// generation row (kind meeting-packet), due at once, which the sender hands to the packet job
// (job.ts) instead of composing a message; that job plans this kind's rows, one per agency. This
// kind's message: each Change Leader's notice of their own agency's packet, sent and recorded
// (MessageSent with the document's id) like every delivery, at most once. It names the document to
// download with the agency's key; the PDF stays in the binder, where reads are scoped.
import { PACKET_KIND, PACKET_NOTICE_KIND, packetKeys } from './keys';
import { meetingDetails } from '../kinds/subjects';
import { render, whyLine } from '../kinds/render';
import type { MessageKind } from '../kinds/types';
import { meetingTitle } from './render';

export const packetNoticeKind: MessageKind = {
  name: PACKET_NOTICE_KIND,
  recordedAs: 'MessageSent',
  plansOn: ['MeetingPacketRequested'],
  async plan(ctx) {
    const d = ctx.event.data as { meetingId: string; collaborativeId: string; packetId: string; agencyIds: string[] };
    await ctx.insert([{
      key: packetKeys.generate(d.meetingId, d.packetId),
      kind: PACKET_KIND,
      collaborativeId: d.collaborativeId,
      subjectId: d.meetingId,
      dueAt: ctx.now,
      payload: { meetingId: d.meetingId, packetId: d.packetId, agencyIds: d.agencyIds, requestedAt: ctx.now.toISOString(), position: ctx.event.globalPosition },
    }]);
  },
  async compose(ctx, row) {
    const p = row.payload as { meetingId: string; packetId: string; agencyId: string; documentId: string };
    const m = await meetingDetails(ctx.store, p.meetingId);
    if (!m) return null;
    const collab = await ctx.directory.collaborative(row.collaborative_id);
    const agency = await ctx.directory.agency(row.collaborative_id, p.agencyId);
    // The Change Leader's copy ("give each Change Leader a copy of the data from his agency"); the
    // agency's other leaders (else its application contact) when it has named no Change Leader.
    const changeLeaders = agency.leaders.filter((r) => r.role === 'change_leader');
    const recipients = changeLeaders.length > 0 ? changeLeaders : agency.leaders;
    const title = meetingTitle(m);
    const subject = `${collab.name}: your packet for the meeting of ${title.slice(title.indexOf(',') + 2)}`;
    const body = render(subject, [
      `Dear ${recipients.map((r) => r.name).join(', ') || `${agency.agencyName} team`},`,
      `The meeting packet of ${agency.agencyName} for the ${title} is ready: your agency's figures for each focus measure against the pooled ones, your change projects and PDSA cycles, and the aggregate page.`,
      `It is in the meeting's binder as document ${p.documentId}; download it with your agency's key: GET /v1/documents/${p.documentId}/content`,
    ], whyLine(recipients, collab.name));
    return { subject, ...body, recipients, extra: { meetingId: p.meetingId, documentId: p.documentId } };
  },
};
