// Each Change Leader's notice of their agency's packet (issue 18), sent through the ordinary
// delivery path (processor.ts: claim, at most once, PacketSent recorded with the key). It names the
// document to download with the agency's key; the PDF itself stays in the binder, where reads are
// scoped (an agency key reads its own agency's packet only).
import escapeHtml from 'escape-html';
import type { EventStore } from '@convene/eventstore';
import { agencyDirectory, meetingDetails } from '../directory';
import type { Composed } from '../messages';
import { meetingTitle } from './render';

export async function composePacketNotice(
  store: EventStore,
  row: { collaborative_id: string; payload: Record<string, any> },
  collaborativeName: string,
): Promise<(Composed & { extra: Record<string, unknown> }) | null> {
  const p = row.payload as { meetingId: string; packetId: string; agencyId: string; documentId: string };
  const [agency, m] = await Promise.all([agencyDirectory(store, row.collaborative_id, p.agencyId), meetingDetails(store, p.meetingId)]);
  if (!m) return null;
  // The Change Leader's copy ("give each Change Leader a copy of the data from his agency"); the
  // agency's other leaders, else its application contact, when it has named no Change Leader.
  const leaders = agency.leaders.filter((r) => r.role === 'change_leader');
  const recipients = leaders.length > 0 ? leaders : agency.leaders;
  const title = meetingTitle(m);
  const subject = `${collaborativeName}: your packet for the ${title.split(',')[0]!.toLowerCase()} of ${title.slice(title.indexOf(',') + 2)}`;
  const paragraphs = [
    `Dear ${recipients.map((r) => r.name).join(', ') || `${agency.agencyName} team`},`,
    `The meeting packet of ${agency.agencyName} is ready: your agency's figures for each focus measure against the pooled ones, your change projects and PDSA cycles, and the aggregate page.`,
    `It is in the meeting's binder as document ${p.documentId}; download it with your agency's key: GET /v1/documents/${p.documentId}/content`,
  ];
  const text = `${paragraphs.join('\n\n')}\n`;
  const html = `<!doctype html><html><body><h1>${escapeHtml(subject)}</h1>${paragraphs.map((x) => `<p>${escapeHtml(x)}</p>`).join('')}</body></html>`;
  return { subject, text, html, recipients, extra: { meetingId: p.meetingId, packetId: p.packetId, documentId: p.documentId } };
}
