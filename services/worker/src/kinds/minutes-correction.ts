import { deliveryKeys } from '../keys';
import { kindName, render, when, whyLine } from './render';
import { meetingDetails, type MeetingDetails } from './subjects';
import { addressee, fanOutRows, invitedAgencies, planPeopleRow } from './meeting-people';
import type { AgencyLeaders, CollabName, ComposeContext, DeliveryRow, MessageKind, PlanContext, PlannedRow, Rendered } from './types';

// Corrected minutes go out again, as a correction (issue 18), to every invited agency and person.
// They wait `minutesCorrectionDelayMinutes` (delivery settings, default 15): a coach who fixes
// three typos in ten minutes sends one correction, not three. A correction still waiting is
// replaced by the next one, whose message carries the latest minutes and every reason since the
// last correction that went out (issue 13 found a hundred messages planned per correction).

const NAME = 'minutes-correction';

type Correction = MeetingDetails['corrections'][number];

export function minutesCorrectionMessage(collab: CollabName, agency: AgencyLeaders, m: MeetingDetails, corrections: Correction[]): Rendered {
  const latest = corrections.at(-1)!;
  const at = when(m.startsAt, collab.timeZone);
  const subject = `Correction: minutes of ${collab.name} ${kindName(m.kind).toLowerCase()} of ${at}`;
  const reasons =
    corrections.length === 1
      ? `Reason for the correction: ${latest.reason}`
      : `Reasons for the corrections:\n${corrections.map((c) => `- ${c.reason}`).join('\n')}`;
  const body = render(
    subject,
    [
      agency.dear ?? `Dear ${agency.agencyName} team,`,
      `The minutes of the meeting of ${at} have been corrected; they replace the minutes sent before.`,
      reasons,
      `The corrected minutes:\n${latest.minutes}`,
    ],
    agency.why ?? whyLine(agency.leaders, collab.name),
  );
  return { subject, ...body, recipients: agency.leaders };
}

/**
 * Cancels this meeting's corrections still waiting to go out; returns the first correction (stream
 * version) they covered, so that the replacing message gives its reason too. Rows already handed to
 * the queue go out as they are. (A waiting correction is one agencies row and maybe one people row;
 * rows planned per agency before those existed are cancelled the same way.)
 */
async function supersedeWaiting(ctx: PlanContext, meetingId: string, version: number): Promise<number> {
  const { rows } = await ctx.db.query<{ since: string | null }>(
    `UPDATE scheduled_deliveries SET status = 'cancelled', finished_at = now()
      WHERE subject_id = $1 AND kind = $2 AND status = 'pending'
      RETURNING coalesce(payload->>'sinceVersion', payload->>'version') AS since`,
    [meetingId, NAME],
  );
  return Math.min(version, ...rows.map((r) => Number(r.since ?? version)).filter(Number.isFinite));
}

/** What an agencies row's payload says in `fanOut` (a people row says `true`). */
const AGENCIES = 'agencies';

/** An agencies row's rows: one per agency the meeting invites, due now, keyed per correction and agency. */
async function agencyRows(ctx: ComposeContext, row: DeliveryRow): Promise<PlannedRow[]> {
  const { meetingId, version, sinceVersion } = row.payload as { meetingId: string; version: number; sinceVersion: number };
  return (await invitedAgencies(ctx.pool, meetingId)).map((agencyId) => ({
    key: deliveryKeys.minutesCorrection(meetingId, version, agencyId),
    kind: NAME,
    collaborativeId: row.collaborative_id,
    subjectId: meetingId,
    dueAt: ctx.clock(),
    payload: { meetingId, agencyId, version, sinceVersion },
  }));
}

export const minutesCorrectionKind: MessageKind = {
  name: NAME,
  recordedAs: 'MinutesSent',
  plansOn: ['MinutesCorrected'],
  async plan(ctx) {
    const d = ctx.event.data as Record<string, any>;
    const version = ctx.event.streamVersion;
    const sinceVersion = await supersedeWaiting(ctx, d.meetingId, version);
    const { minutesCorrectionDelayMinutes } = await ctx.settings(d.collaborativeId);
    const dueAt = new Date(ctx.now.getTime() + minutesCorrectionDelayMinutes * 60_000);
    const base = `meeting-${d.meetingId}-minutes-correction-v${version}`;
    const payload = { meetingId: d.meetingId, version, sinceVersion };
    // One row for the invited agencies, fanned out to a row per agency only when it is due (issue
    // 13): a correction replaced within the delay costs one row, not one per agency written and
    // then cancelled.
    await ctx.insert([{ key: `${base}-agencies`, kind: NAME, collaborativeId: d.collaborativeId, subjectId: d.meetingId, dueAt, payload: { ...payload, fanOut: AGENCIES } }]);
    // Issue 16: the people and audiences invited (meeting-people.ts).
    await planPeopleRow(ctx, d.meetingId, { base, kind: NAME, collaborativeId: d.collaborativeId, subjectId: d.meetingId, dueAt, payload });
  },
  async fanOut(ctx, row) {
    if (row.payload.fanOut === AGENCIES) return agencyRows(ctx, row);
    const m = await meetingDetails(ctx.store, row.payload.meetingId);
    return m?.corrections.some((c) => c.version === row.payload.version) ? fanOutRows(ctx, row, m) : null;
  },
  async compose(ctx, row) {
    const m = await meetingDetails(ctx.store, row.payload.meetingId);
    const version = Number(row.payload.version);
    const since = Number(row.payload.sinceVersion ?? version);
    const corrections = m?.corrections.filter((c) => c.version >= since && c.version <= version) ?? [];
    if (!m || corrections.at(-1)?.version !== version) return null;
    const collab = await ctx.directory.collaborative(row.collaborative_id);
    const agency = await addressee(ctx, row, m);
    if (!agency) return null;
    return { ...minutesCorrectionMessage(collab, agency, m, corrections), extra: { meetingId: m.meetingId, correction: version } };
  },
};
