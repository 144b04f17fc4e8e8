// Issue 16: whom a meeting invites (organisations, people, audiences), who facilitates and presents
// (people or agency teams, with optional time slots) and the credit hours it grants; the schemas
// (shared by commands and events) and the pure rules on time slots.
import { z } from 'zod';
import { unprocessable } from '../shared/errors';
import { uuid } from '../shared/schemas';

/** Groups invited as a whole: who is in them is resolved when a message is sent, not when invited. */
export const audience = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('all_executive_sponsors') }).strict(),
    z.object({ type: z.literal('all_change_leaders') }).strict(),
    z.object({ type: z.literal('cohort'), cohortId: uuid }).strict(),
    z.object({ type: z.literal('stakeholders') }).strict(),
    z.object({ type: z.literal('mentors') }).strict(),
  ])
  .describe('all_executive_sponsors / all_change_leaders (of the admitted agencies, with the system roles), a cohort, the stakeholders, the mentors (agencies that completed, invited back)');
export type Audience = z.infer<typeof audience>;

/** A facilitator or presenter: one person or one agency's team, optionally with a slot (minutes from the start). */
export const speaker = z
  .object({
    personId: uuid.optional(),
    agencyId: uuid.optional().describe("An agency's team"),
    startOffsetMinutes: z.number().int().min(0).max(60 * 24 * 3).optional().describe('Slot start, in minutes after the meeting starts'),
    minutes: z.number().int().min(1).max(60 * 24 * 3).optional().describe('Slot length'),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.personId === undefined) === (s.agencyId === undefined)) ctx.addIssue({ code: 'custom', path: ['personId'], message: 'a speaker is one person (personId) or one agency team (agencyId)' });
    if ((s.startOffsetMinutes === undefined) !== (s.minutes === undefined)) ctx.addIssue({ code: 'custom', path: ['minutes'], message: 'a slot needs both startOffsetMinutes and minutes' });
  });
export type Speaker = z.infer<typeof speaker>;

/** Quarter hours, as continuing-education credits are usually granted. */
export const creditHours = z.number().min(0.25).max(100).multipleOf(0.25).describe('Continuing-education credit hours a full attendee earns (quarter hours)');

/** At most this many presenters, except at a completion conference, where every team may present. */
export const PRESENTER_CAP = 10;

/** Slots fit in the meeting; presenters' slots do not overlap (facilitators run through them). */
export function requireProgramme(kind: string, durationMinutes: number, facilitators: Speaker[], presenters: Speaker[]): void {
  if (presenters.length > PRESENTER_CAP && kind !== 'completion_conference')
    unprocessable('too_many_presenters', `At most ${PRESENTER_CAP} presenters, except at a completion conference`, 'presenters');
  const fits = (list: Speaker[], field: string) =>
    list.forEach((s, i) => {
      if (s.startOffsetMinutes !== undefined && s.startOffsetMinutes + (s.minutes ?? 0) > durationMinutes)
        unprocessable('slot_outside_meeting', `The slot ends after the meeting's ${durationMinutes} minutes`, `${field}.${i}.minutes`);
    });
  fits(facilitators, 'facilitators');
  fits(presenters, 'presenters');
  const slotted = presenters.map((s, i) => ({ s, i })).filter(({ s }) => s.startOffsetMinutes !== undefined);
  slotted.sort((a, b) => a.s.startOffsetMinutes! - b.s.startOffsetMinutes!);
  for (let k = 1; k < slotted.length; k++) {
    const prev = slotted[k - 1]!.s;
    const cur = slotted[k]!;
    if (cur.s.startOffsetMinutes! < prev.startOffsetMinutes! + prev.minutes!)
      unprocessable('slots_overlap', 'Presenter slots must not overlap', `presenters.${cur.i}.startOffsetMinutes`);
  }
  const seen = new Set<string>();
  [...facilitators.map((s, i) => ({ s, f: `facilitators.${i}` })), ...presenters.map((s, i) => ({ s, f: `presenters.${i}` }))].forEach(({ s, f }) => {
    const key = `${f.split('.')[0]}:${s.personId ?? s.agencyId}`;
    if (seen.has(key)) unprocessable('duplicate_speaker', 'Each person or team is listed once', f);
    seen.add(key);
  });
}

/**
 * Credit hours one attendee earns (issue 16). Absent: 0. Present with no minutes recorded: the
 * meeting's hours. Present for fewer minutes: prorated, hours × minutes ÷ duration (minutes capped at
 * the duration), rounded DOWN to a quarter hour, so no one is credited time they did not attend.
 */
export function creditHoursEarned(meetingCreditHours: number | null | undefined, durationMinutes: number, entry: { present: boolean; minutesAttended?: number | null }): number {
  if (!meetingCreditHours || !entry.present) return 0;
  if (entry.minutesAttended === undefined || entry.minutesAttended === null) return meetingCreditHours;
  const share = Math.min(entry.minutesAttended, durationMinutes) / durationMinutes;
  return Math.floor(meetingCreditHours * share * 4 + 1e-9) / 4;
}

/**
 * Whether an agency is among a meeting's invitees: by its own (agency or organisation) id, through a
 * cohort audience it is enrolled in, or as a mentor (the mentors audience: agencies enrolled in the
 * collaborative, invited back after completing).
 */
export function agencyInvited(agencyId: string, invited: string[], audiences: Audience[], enrolment: Record<string, string>): boolean {
  if (invited.includes(agencyId)) return true;
  const cohortId = enrolment[agencyId];
  return audiences.some((a) => (a.type === 'cohort' && a.cohortId === cohortId) || (a.type === 'mentors' && cohortId !== undefined));
}
