import { deliveryKeys } from '../keys';
import { kindName, render, when, whyLine } from './render';
import { meetingDetails } from './subjects';
import { addressee, fanOutRows, invitedAgencies, planPeopleRow } from './meeting-people';
import type { MessageKind } from './types';

// The minutes of a meeting, once published, to every invited agency's Change Leader and Executive
// Sponsor, and to the people and audiences it invites (issue 16, meeting-people.ts).

const NAME = 'minutes';

export const minutesKind: MessageKind = {
  name: NAME,
  recordedAs: 'MinutesSent',
  plansOn: ['MinutesPublished'],
  async plan(ctx) {
    const d = ctx.event.data as Record<string, any>;
    await ctx.insert(
      (await invitedAgencies(ctx.db, d.meetingId)).map((agencyId) => ({
        key: deliveryKeys.minutes(d.meetingId, agencyId),
        kind: NAME,
        collaborativeId: d.collaborativeId,
        subjectId: d.meetingId,
        dueAt: ctx.now,
        payload: { meetingId: d.meetingId, agencyId },
      })),
    );
    // Issue 16: the people and audiences invited (meeting-people.ts).
    await planPeopleRow(ctx, d.meetingId, { base: `meeting-${d.meetingId}-minutes`, kind: NAME, collaborativeId: d.collaborativeId, subjectId: d.meetingId, dueAt: ctx.now, payload: { meetingId: d.meetingId } });
  },
  async fanOut(ctx, row) {
    const m = await meetingDetails(ctx.store, row.payload.meetingId);
    return m?.minutes ? fanOutRows(ctx, row, m) : null;
  },
  async compose(ctx, row) {
    const m = await meetingDetails(ctx.store, row.payload.meetingId);
    if (!m?.minutes) return null;
    const collab = await ctx.directory.collaborative(row.collaborative_id);
    const agency = await addressee(ctx, row, m);
    if (!agency) return null;
    const at = when(m.startsAt, collab.timeZone);
    const subject = `Minutes: ${collab.name} ${kindName(m.kind).toLowerCase()} of ${at}`;
    const body = render(subject, [agency.dear ?? `Dear ${agency.agencyName} team,`, `The minutes of the meeting of ${at}:`, m.minutes], agency.why ?? whyLine(agency.leaders, collab.name));
    return { subject, ...body, recipients: agency.leaders, extra: { meetingId: m.meetingId } };
  },
};
