import { ERASED_EMAIL, streamIds, type AnnouncementRecipient } from '@convene/domain';
import { eventTime } from '../planner-rows';
import { roleLabel } from './read-models';
import { render, when, whyLine } from './render';
import type { CollabName, MessageKind, Recipient, Rendered } from './types';

// An announcement (issue 18): the recipients were resolved from the read models when it was sent
// and are recorded in AnnouncementSent; each gets one e-mail of their own (no one sees the others'
// addresses), keyed by the announcement and the recipient's place in that list.

const NAME = 'announcement';

export const announcementKey = (announcementId: string, index: number) => `announcement-${announcementId}-${index}`;

interface Announcement {
  announcementId: string;
  subject: string;
  body: string;
  recipients: AnnouncementRecipient[];
  sentAt: string;
}

export const asRecipient = (r: AnnouncementRecipient): Recipient => ({
  ...(r.personId ? { personId: r.personId } : {}),
  name: r.name,
  email: r.email,
  role: r.role,
  as: r.organisation ? `${roleLabel(r.role)} of ${r.organisation}` : roleLabel(r.role),
});

export function announcementMessage(collab: CollabName, a: Announcement, to: Recipient): Rendered {
  const subject = `${collab.name}: ${a.subject}`;
  const body = render(subject, [`Dear ${to.name || 'colleague'},`, a.body, `Sent ${when(a.sentAt, collab.timeZone)}.`], whyLine([to], collab.name));
  return { subject, ...body, recipients: [to] };
}

export const announcementKind: MessageKind = {
  name: NAME,
  recordedAs: 'MessageSent',
  plansOn: ['AnnouncementSent'],
  async plan(ctx) {
    const d = ctx.event.data as { announcementId: string; collaborativeId: string; recipients: { agencyId?: string }[] };
    await ctx.insert(
      d.recipients.map((r, index) => ({
        key: announcementKey(d.announcementId, index),
        kind: NAME,
        collaborativeId: d.collaborativeId,
        subjectId: d.announcementId,
        dueAt: ctx.now,
        payload: { announcementId: d.announcementId, index, ...(r.agencyId ? { agencyId: r.agencyId } : {}) },
      })),
    );
  },
  async compose(ctx, row) {
    const { events } = await ctx.store.readStream(streamIds.announcement(row.payload.announcementId));
    const sent = events.find((e) => e.type === 'AnnouncementSent');
    if (!sent) return null;
    const d = sent.data as Omit<Announcement, 'sentAt'>;
    const recipient = d.recipients[row.payload.index as number];
    // Erased since it was sent: nothing to send to (the placeholder is no address).
    if (!recipient || recipient.email === ERASED_EMAIL) return null;
    const collab = await ctx.directory.collaborative(row.collaborative_id);
    return { ...announcementMessage(collab, { ...d, sentAt: eventTime(sent).toISOString() }, asRecipient(recipient)), extra: { announcementId: d.announcementId } };
  },
};
