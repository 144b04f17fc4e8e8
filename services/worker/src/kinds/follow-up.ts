import { deliveryKeys } from '../keys';
import { kindName, meetingIcs, render, when, whereLines, whyLine } from './render';
import { meetingDetails } from './subjects';
import type { MeetingDetails } from './subjects';
import type { AgencyLeaders, CollabName, MeetingRow, MessageKind, PlannedRow, Rendered } from './types';

// "We missed you": an agency recorded absent from a meeting whose minutes are out gets them once,
// with the next meeting (and its .ics). Planned when the minutes come out (for those absent then)
// and when attendance is recorded after them (for those newly absent).

const NAME = 'follow-up';

const rows = (meetingId: string, collaborativeId: string, absent: string[], now: Date): PlannedRow[] =>
  absent.map((agencyId) => ({ key: deliveryKeys.followUp(meetingId, agencyId), kind: NAME, collaborativeId, subjectId: meetingId, dueAt: now, payload: { meetingId, agencyId } }));

export function followUpMessage(collab: CollabName, agency: AgencyLeaders, m: MeetingDetails, next: MeetingDetails | null): Rendered {
  const at = when(m.startsAt, collab.timeZone);
  const subject = `We missed you: ${collab.name} ${kindName(m.kind).toLowerCase()} of ${at}`;
  const nextLines = next
    ? [`The next meeting: ${kindName(next.kind)} on ${when(next.startsAt, collab.timeZone)}.`, ...whereLines(next), `Agenda:\n${next.agenda}`]
    : ['The next meeting has not been scheduled yet; you will hear from us.'];
  const body = render(
    subject,
    [agency.dear ?? `Dear ${agency.agencyName} team,`, `We missed you at the meeting of ${at}. Here are its minutes, so you can catch up:`, m.minutes ?? '', ...nextLines],
    agency.why ?? whyLine(agency.leaders, collab.name),
  );
  return { subject, ...body, ...(next ? { ics: meetingIcs(collab.name, next) } : {}), recipients: agency.leaders };
}

export const followUpKind: MessageKind = {
  name: NAME,
  recordedAs: 'FollowUpSent',
  plansOn: ['MinutesPublished', 'AttendanceRecorded'],
  async plan(ctx) {
    const d = ctx.event.data as Record<string, any>;
    // As the planner's bookkeeping just left it (it writes the row on both events), else read.
    const m =
      ctx.meeting !== undefined
        ? ctx.meeting
        : (await ctx.db.query<MeetingRow>('SELECT absent, minutes_published FROM worker_meetings WHERE meeting_id = $1', [d.meetingId])).rows[0];
    if (!m) return;
    if (ctx.event.type === 'MinutesPublished') return ctx.insert(rows(d.meetingId, d.collaborativeId, m.absent, ctx.now));
    if (!m.minutes_published) return; // the minutes' own planning covers those absent by then
    const newlyAbsent = (d.attendance as { agencyId: string; present: boolean }[]).filter((a) => !a.present).map((a) => a.agencyId);
    await ctx.insert(rows(d.meetingId, d.collaborativeId, newlyAbsent, ctx.now));
  },
  async compose(ctx, row) {
    const m = await meetingDetails(ctx.store, row.payload.meetingId);
    if (!m?.minutes) return null;
    const { rows: upcoming } = await ctx.pool.query<{ meeting_id: string }>(
      `SELECT meeting_id FROM worker_meetings WHERE collaborative_id = $1 AND status <> 'cancelled'
         AND meeting_id <> $2 AND starts_at > greatest($3::timestamptz, $4::timestamptz) ORDER BY starts_at LIMIT 1`,
      [row.collaborative_id, m.meetingId, m.startsAt, ctx.clock()],
    );
    const next = upcoming[0] ? await meetingDetails(ctx.store, upcoming[0].meeting_id) : null;
    const collab = await ctx.directory.collaborative(row.collaborative_id);
    const agency = await ctx.directory.agency(row.collaborative_id, row.payload.agencyId);
    return { ...followUpMessage(collab, agency, m, next), extra: { meetingId: m.meetingId, ...(next ? { nextMeetingId: next.meetingId } : {}) } };
  },
};
