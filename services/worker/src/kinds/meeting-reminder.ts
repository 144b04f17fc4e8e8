import { deliveryKeys, offsetLabel } from '../keys';
import { plannable, reminderDueTimes } from '../planner-rows';
import { kindName, meetingIcs, registrationUrl, render, when, whereLines, whyLine } from './render';
import { meetingDetails } from './subjects';
import { addressee, fanOutRows, invitedAgencies, invitesOthers, planPeopleRow } from './meeting-people';
import type { MeetingDetails } from './subjects';
import type { AgencyLeaders, CollabName, MessageKind, PlanContext, Rendered } from './types';

// A reminder of a meeting to each invited agency's Change Leader and Executive Sponsor, and (issue
// 16) to the people and audiences it invites (meeting-people.ts), at each offset of the collaborative's settings; re-planned when the meeting moves, dropped when cancelled.

const NAME = 'meeting-reminder';

async function plan(ctx: PlanContext): Promise<void> {
  const d = ctx.event.data as Record<string, any>;
  if (ctx.event.type === 'MeetingCancelled') return ctx.cancel(d.meetingId, NAME);
  if (['MeetingInviteesAdded', 'RegisteredForMeeting', 'MeetingProgrammeSet'].includes(ctx.event.type)) return planPeopleAgain(ctx, d);
  if (ctx.event.type === 'MeetingRescheduled') await ctx.cancel(d.meetingId, NAME);
  if (!plannable(d.startsAt)) return; // stored before the date bounds (DATE_MIN..DATE_MAX): never due
  const invited: string[] =
    ctx.event.type === 'MeetingScheduled'
      ? (d.invitedAgencyIds ?? [])
      : await invitedAgencies(ctx.db, d.meetingId);
  const s = await ctx.settings(d.collaborativeId);
  const due = reminderDueTimes(d.startsAt, s.meetingReminderOffsetsMinutes, ctx.now);
  await ctx.insert(
    due.flatMap(({ offset, dueAt }) =>
      invited.map((agencyId) => ({
        key: deliveryKeys.meetingReminder(d.meetingId, offset, d.startsAt, agencyId),
        kind: NAME,
        collaborativeId: d.collaborativeId,
        subjectId: d.meetingId,
        dueAt,
        payload: { meetingId: d.meetingId, agencyId, offsetMinutes: offset, startsAt: d.startsAt },
      })),
    ),
  );
  await planPeople(ctx, d.meetingId, d.collaborativeId, d.startsAt, due, ctx.event.type === 'MeetingScheduled' ? invitesOthers(d) : undefined);
}

/** Issue 16: one people row per offset beside the agencies' (meeting-people.ts). */
async function planPeople(ctx: PlanContext, meetingId: string, collaborativeId: string, startsAt: string, due: { offset: number; dueAt: Date }[], others?: boolean) {
  for (const { offset, dueAt } of due)
    await planPeopleRow(ctx, meetingId, {
      base: deliveryKeys.meetingReminder(meetingId, offset, startsAt, 'all').replace(/-all$/, ''),
      kind: NAME,
      collaborativeId,
      subjectId: meetingId,
      dueAt,
      payload: { meetingId, offsetMinutes: offset, startsAt },
    }, others);
}

/** People or audiences added, someone registered: the people rows of the reminders still to come (none planned twice). */
async function planPeopleAgain(ctx: PlanContext, d: Record<string, any>) {
  const { rows } = await ctx.db.query<{ starts_at: Date; status: string; collaborative_id: string }>('SELECT starts_at, status, collaborative_id FROM worker_meetings WHERE meeting_id = $1', [d.meetingId]);
  const m = rows[0];
  if (!m || m.status === 'cancelled') return;
  const startsAt = m.starts_at.toISOString();
  const s = await ctx.settings(m.collaborative_id);
  await planPeople(ctx, d.meetingId, m.collaborative_id, startsAt, reminderDueTimes(startsAt, s.meetingReminderOffsetsMinutes, ctx.now));
}

/** The reminder carries the agenda and the registration link (issue 18). */
export function meetingReminderMessage(collab: CollabName, agency: AgencyLeaders, m: MeetingDetails, offsetMinutes: number, register: string): Rendered {
  const at = when(m.startsAt, collab.timeZone);
  const subject = `Reminder (${offsetLabel(offsetMinutes)}): ${collab.name} ${kindName(m.kind).toLowerCase()} on ${at}`;
  const body = render(
    subject,
    [
      agency.dear ?? `Dear ${agency.agencyName} team,`,
      `This is a reminder of the ${kindName(m.kind).toLowerCase()} of ${collab.name} on ${at} (${m.durationMinutes} minutes).`,
      ...whereLines(m),
      `Agenda:\n${m.agenda}`,
      `Register: ${register}`,
    ],
    agency.why ?? whyLine(agency.leaders, collab.name),
  );
  return { subject, ...body, ics: meetingIcs(collab.name, m), recipients: agency.leaders };
}

export const meetingReminderKind: MessageKind = {
  name: NAME,
  recordedAs: 'ReminderSent',
  plansOn: ['MeetingScheduled', 'MeetingRescheduled', 'MeetingCancelled', 'MeetingInviteesAdded', 'RegisteredForMeeting', 'MeetingProgrammeSet'],
  plan,
  async fanOut(ctx, row) {
    const m = await meetingDetails(ctx.store, row.payload.meetingId);
    if (!m || m.status !== 'scheduled' || Date.parse(m.startsAt) !== Date.parse(row.payload.startsAt)) return null;
    if (ctx.clock().getTime() >= Date.parse(m.startsAt)) return null; // too late to remind anyone
    return fanOutRows(ctx, row, m);
  },
  async compose(ctx, row) {
    const p = row.payload;
    const m = await meetingDetails(ctx.store, p.meetingId);
    // The plan is for one start time; a reschedule or cancel not yet planned must not send it.
    if (!m || m.status !== 'scheduled' || Date.parse(m.startsAt) !== Date.parse(p.startsAt)) return null;
    if (ctx.clock().getTime() >= Date.parse(m.startsAt)) return null; // too late to remind
    const collab = await ctx.directory.collaborative(row.collaborative_id);
    const agency = await addressee(ctx, row, m);
    if (!agency) return null;
    return { ...meetingReminderMessage(collab, agency, m, p.offsetMinutes, registrationUrl(ctx.publicBaseUrl, m.meetingId)), extra: { meetingId: m.meetingId } };
  },
};
