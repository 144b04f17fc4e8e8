import { deliveryKeys } from '../keys';
import { kindName, render, when, whyLine } from './render';
import { meetingDetails, type MeetingDetails } from './subjects';
import { addressee, fanOutRows, planPeopleRow } from './meeting-people';
import type { AgencyLeaders, CollabName, MessageKind, Rendered } from './types';

// Corrected minutes go out again, as a correction (issue 18): to every invited agency, once per
// correction, saying so in the subject and giving the reason.

const NAME = 'minutes-correction';

export function minutesCorrectionMessage(collab: CollabName, agency: AgencyLeaders, m: MeetingDetails, correction: { minutes: string; reason: string }): Rendered {
  const at = when(m.startsAt, collab.timeZone);
  const subject = `Correction: minutes of ${collab.name} ${kindName(m.kind).toLowerCase()} of ${at}`;
  const body = render(
    subject,
    [
      agency.dear ?? `Dear ${agency.agencyName} team,`,
      `The minutes of the meeting of ${at} have been corrected; they replace the minutes sent before.`,
      `Reason for the correction: ${correction.reason}`,
      `The corrected minutes:\n${correction.minutes}`,
    ],
    agency.why ?? whyLine(agency.leaders, collab.name),
  );
  return { subject, ...body, recipients: agency.leaders };
}

export const minutesCorrectionKind: MessageKind = {
  name: NAME,
  recordedAs: 'MinutesSent',
  plansOn: ['MinutesCorrected'],
  async plan(ctx) {
    const d = ctx.event.data as Record<string, any>;
    const { rows } = await ctx.db.query<{ invited: string[] }>('SELECT invited FROM worker_meetings WHERE meeting_id = $1', [d.meetingId]);
    const version = ctx.event.streamVersion;
    await ctx.insert(
      (rows[0]?.invited ?? []).map((agencyId) => ({
        key: deliveryKeys.minutesCorrection(d.meetingId, version, agencyId),
        kind: NAME,
        collaborativeId: d.collaborativeId,
        subjectId: d.meetingId,
        dueAt: ctx.now,
        payload: { meetingId: d.meetingId, agencyId, version },
      })),
    );
    // Issue 16: the people and audiences invited (meeting-people.ts).
    await planPeopleRow(ctx, d.meetingId, { base: `meeting-${d.meetingId}-minutes-correction-v${version}`, kind: NAME, collaborativeId: d.collaborativeId, subjectId: d.meetingId, dueAt: ctx.now, payload: { meetingId: d.meetingId, version } });
  },
  async fanOut(ctx, row) {
    const m = await meetingDetails(ctx.store, row.payload.meetingId);
    return m?.corrections.some((c) => c.version === row.payload.version) ? fanOutRows(ctx, row, m) : null;
  },
  async compose(ctx, row) {
    const m = await meetingDetails(ctx.store, row.payload.meetingId);
    const correction = m?.corrections.find((c) => c.version === row.payload.version);
    if (!m || !correction) return null;
    const collab = await ctx.directory.collaborative(row.collaborative_id);
    const agency = await addressee(ctx, row, m);
    if (!agency) return null;
    return { ...minutesCorrectionMessage(collab, agency, m, correction), extra: { meetingId: m.meetingId, correction: correction.version } };
  },
};
