// Adopting a plan entry schedules its meeting or site visit through the meeting's and the site
// visit's own decisions (ScheduleMeeting, ScheduleSiteVisit), so every rule of scheduling holds
// for an adopted entry too. The meeting or visit takes the entry's id, and the decision appends to
// its stream at the version read (none): a retried adoption cannot schedule twice.
import type { CollaborativeState } from '../collaborative/state';
import { decideMeeting } from '../meeting/decide';
import { ScheduleMeeting } from '../meeting/commands';
import type { MeetingState } from '../meeting/state';
import type { ParticipationState } from '../participation/state';
import { decideSiteVisit } from '../site-visit/decide';
import { ScheduleSiteVisit } from '../site-visit/commands';
import type { SiteVisitState } from '../site-visit/state';
import { DomainError, unprocessable } from '../shared/errors';
import { streamIds } from '../shared/ids';
import type { BaseContext, DomainEvent } from '../shared/types';
import type { PlanEvent } from './events';
import type { PlanEntryState, PlanScope } from './state';
import { isMeetingKind } from './templates';

export interface PlanContext extends BaseContext {
  collaborative?: CollaborativeState;
  /** Participations of the agencies a decision invites or visits, by agencyId. */
  participations?: Record<string, ParticipationState>;
  /** The meeting and site-visit streams of the entries being adopted, by entryId. */
  meetings?: Record<string, MeetingState>;
  visits?: Record<string, SiteVisitState>;
}

export interface Adoption {
  invitedAgencyIds?: string[] | undefined;
  coachId?: string | undefined;
}
export interface Adopted {
  event: PlanEvent;
  also?: { streamId: string; events: DomainEvent[] };
}

const isBefore = (a: string, b: string) => Date.parse(a) < Date.parse(b);
const agendaOf = (e: PlanEntryState) => [e.title, ...(e.preparation.length > 0 ? [`Due before it:\n${e.preparation.map((p) => `- ${p}`).join('\n')}`] : [])].join('\n\n');
const participating = (p: ParticipationState | undefined) => p?.status === 'applied' || p?.status === 'admitted';

/** A refusal of the meeting's or visit's own decision, said of the entry (its field kept when the adoption named it). */
const asEntryError = (e: PlanEntryState, fields: string[], run: () => DomainEvent[]): DomainEvent[] => {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const field = error.field && fields.some((f) => error.field === f || error.field!.startsWith(`${f}.`)) ? error.field : 'entryId';
    throw new DomainError(error.kind, error.code, `Entry ${e.step} (${e.title}): ${error.message}`, field, error.details);
  }
};

const scheduleMeeting = (collaborativeId: string, e: PlanEntryState, scope: PlanScope, a: Adoption, ctx: PlanContext) => {
  // By default the scope's agencies that still take part; a list the convener gives is checked as given.
  const invited = a.invitedAgencyIds ?? scope.agencyIds.filter((id) => participating(ctx.participations?.[id]));
  const modality = e.modality ?? 'video';
  const data = {
    meetingId: e.entryId, collaborativeId, kind: e.kind, modality, startsAt: e.startsAt, durationMinutes: e.durationMinutes ?? 60,
    ...(modality === 'in_person' ? { location: scope.location } : { callIn: scope.callIn }), agenda: agendaOf(e), invitedAgencyIds: invited,
  };
  const parsed = ScheduleMeeting.safeParse(data);
  if (!parsed.success) return unprocessable('plan_entry_not_schedulable', `Entry ${e.step} cannot be scheduled: ${parsed.error.issues[0]?.message}`, 'entryId');
  const events = asEntryError(e, ['invitedAgencyIds'], () =>
    decideMeeting({ type: 'ScheduleMeeting', data: parsed.data }, ctx.meetings?.[e.entryId] ?? { status: 'none' }, { now: ctx.now, collaborative: ctx.collaborative, participations: ctx.participations ?? {} }),
  );
  return { streamId: streamIds.meeting(e.entryId), events };
};

const scheduleVisit = (collaborativeId: string, e: PlanEntryState, a: Adoption, ctx: PlanContext) => {
  const agencyId = e.agencyId!;
  const participation = ctx.participations?.[agencyId];
  const coachId = a.coachId ?? (participation && 'coachId' in participation ? participation.coachId : null);
  if (!coachId) return unprocessable('coach_not_assigned', `Entry ${e.step}: the agency has no coach assigned; assign one or name coachId`, 'coachId');
  const parsed = ScheduleSiteVisit.safeParse({ visitId: e.entryId, collaborativeId, agencyId, coachId, scheduledAt: e.startsAt, agenda: agendaOf(e) });
  if (!parsed.success) return unprocessable('plan_entry_not_schedulable', `Entry ${e.step} cannot be scheduled: ${parsed.error.issues[0]?.message}`, 'entryId');
  const events = asEntryError(e, ['coachId'], () =>
    decideSiteVisit({ type: 'ScheduleSiteVisit', data: parsed.data }, ctx.visits?.[e.entryId] ?? { status: 'none' }, { now: ctx.now, collaborative: ctx.collaborative, participation }),
  );
  return { streamId: streamIds.siteVisit(e.entryId), events };
};

/** The adoption of one tentative entry: its event, and the scheduling of its meeting or visit. */
export function adoptEntry(collaborativeId: string, e: PlanEntryState, scope: PlanScope, a: Adoption, ctx: PlanContext): Adopted {
  const dates = { date: e.date, ...(e.startsAt ? { startsAt: e.startsAt } : {}), ...(e.endsOn ? { endsOn: e.endsOn } : {}) };
  const base = { collaborativeId, entryId: e.entryId, ...dates };
  if (!isMeetingKind(e.kind) && e.kind !== 'site_visit') return { event: { type: 'PlanEntryAdopted', data: base } };
  // Scheduling is for what is still ahead (docs/design.md "Business dates"): said of the entry.
  if (!e.startsAt || isBefore(e.startsAt, ctx.now))
    return unprocessable('plan_entry_in_past', `Entry ${e.step} (${e.title}) starts at ${e.startsAt}, before now (${ctx.now}): move it (MovePlanEntry) or drop it; record a meeting that took place as held`, 'entryId');
  if (e.kind === 'site_visit') return { event: { type: 'PlanEntryAdopted', data: { ...base, visitId: e.entryId } }, also: scheduleVisit(collaborativeId, e, a, ctx) };
  return { event: { type: 'PlanEntryAdopted', data: { ...base, meetingId: e.entryId } }, also: scheduleMeeting(collaborativeId, e, scope, a, ctx) };
}
