import { deliveryKeys, offsetLabel } from '../keys';
import { reminderDueTimes } from '../planner-rows';
import { calendarEvent, render, when, whyLine } from './render';
import { visitDetails } from './subjects';
import type { MessageKind, PlanContext, Recipient } from './types';

// A reminder of a site visit to the agency's Change Leader and Executive Sponsor and the visiting coach.

const NAME = 'sitevisit-reminder';

async function plan(ctx: PlanContext): Promise<void> {
  const d = ctx.event.data as Record<string, any>;
  if (ctx.event.type !== 'SiteVisitScheduled') await ctx.cancel(d.visitId, NAME);
  if (ctx.event.type !== 'SiteVisitScheduled' && ctx.event.type !== 'SiteVisitRescheduled') return;
  const s = await ctx.settings(d.collaborativeId);
  await ctx.insert(
    reminderDueTimes(d.scheduledAt, s.siteVisitReminderOffsetsMinutes, ctx.now).map(({ offset, dueAt }) => ({
      key: deliveryKeys.siteVisitReminder(d.visitId, offset, d.scheduledAt),
      kind: NAME,
      collaborativeId: d.collaborativeId,
      subjectId: d.visitId,
      dueAt,
      payload: { visitId: d.visitId, agencyId: d.agencyId, offsetMinutes: offset, scheduledAt: d.scheduledAt },
    })),
  );
}

export const siteVisitReminderKind: MessageKind = {
  name: NAME,
  recordedAs: 'ReminderSent',
  plansOn: ['SiteVisitScheduled', 'SiteVisitRescheduled', 'SiteVisitCancelled', 'SiteVisitCompleted'],
  plan,
  async compose(ctx, row) {
    const p = row.payload;
    const v = await visitDetails(ctx.store, p.visitId);
    if (!v || v.status !== 'scheduled' || Date.parse(v.scheduledAt) !== Date.parse(p.scheduledAt)) return null;
    if (ctx.clock().getTime() >= Date.parse(v.scheduledAt)) return null;
    const collab = await ctx.directory.collaborative(row.collaborative_id);
    const agency = await ctx.directory.agency(row.collaborative_id, v.agencyId);
    const staff = await ctx.directory.staff(row.collaborative_id, 'coach', v.coachId);
    const coach: Recipient | null = staff ? { ...staff, as: `coach visiting ${agency.agencyName}` } : null;
    const recipients = [...agency.leaders, ...(coach ? [coach] : [])];
    const at = when(v.scheduledAt, collab.timeZone);
    const subject = `Reminder (${offsetLabel(p.offsetMinutes)}): site visit at ${agency.agencyName} on ${at}`;
    const body = render(
      subject,
      [`Dear ${agency.agencyName} team${coach ? ` and ${coach.name}` : ''},`, `The ${collab.name} site visit at ${agency.agencyName} is on ${at}.`, `Agenda:\n${v.agenda}`],
      whyLine(recipients, collab.name),
    );
    const ics = calendarEvent({ uid: `sitevisit-${v.visitId}@convene`, title: `Site visit: ${agency.agencyName}`, startsAt: v.scheduledAt, durationMinutes: 180, description: v.agenda });
    return { subject, ...body, ics, recipients, extra: { visitId: v.visitId } };
  },
};
