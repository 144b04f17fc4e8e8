// Invariant checkers over a whole event history (tests only). They replay the global log and check,
// before each event, that the state it lands on allowed it; and after each event, state invariants.
import type { CollaborativeState } from '../collaborative/state';
import type { ChangeProjectState } from '../change-project/state';
import type { MeetingState } from '../meeting/state';
import { agencyInvited, PRESENTER_CAP, type Speaker } from '../meeting/invitees';
import type { ParticipationState } from '../participation/state';
import type { SiteVisitState } from '../site-visit/state';
import { localDates } from '../shared/business-dates';
import { streamIds, streamTypeOf, type AggregateName } from '../shared/ids';
import { evolveStream } from './execute';
import type { RecordedEvent } from './port';

type D = Record<string, any>;

export const checkHistory = (log: readonly RecordedEvent[]): string[] => {
  const problems: string[] = [];
  const byStream = new Map<string, RecordedEvent[]>();
  const state = (id: string) => evolveStream(streamTypeOf(id) as AggregateName, byStream.get(id) ?? []);
  const closedCollaboratives = new Set<string>();
  const fail = (e: RecordedEvent, why: string) => problems.push(`#${e.globalPosition} ${e.type}: ${why}`);

  for (const e of log) {
    const d = e.data as D;
    const now = String(e.metadata.occurredAt);
    if (d.collaborativeId && closedCollaboratives.has(d.collaborativeId)) fail(e, 'after the collaborative closed');
    const before = state(e.streamId) as { status: string } & D;
    // Issue 16: meetings and visits lie within the collaborative's span (compared on local dates).
    const at = d.startsAt ?? d.scheduledAt;
    if (/^(Meeting|SiteVisit)(Scheduled|Rescheduled)$/.test(e.type) && typeof at === 'string') {
      const c = state(streamIds.collaborative(d.collaborativeId)) as CollaborativeState;
      const { earliest, latest } = localDates(at);
      if (c.status === 'none' || latest < c.startsOn || earliest > c.endsOn) fail(e, 'outside the collaborative span');
    }
    switch (e.type) {
      case 'AgencyAdmitted':
      case 'ApplicationDeclined':
      case 'ApplicationScored':
        if (before.status !== 'applied') fail(e, `application was ${before.status}`);
        break;
      case 'WalkThroughSubmitted':
      case 'BaselineRecorded':
      case 'MonthlyMeasuresRecorded':
      case 'MonthlyMeasuresCorrected':
      case 'AgencyWithdrawn':
      case 'CoachAssigned':
      case 'PeerMentorAssigned':
        if (before.status !== 'admitted') fail(e, `agency was ${before.status}`);
        if (e.type === 'MonthlyMeasuresRecorded' && (!before.baseline || before.months.includes(d.month))) fail(e, 'no baseline or month repeated');
        if (e.type === 'PeerMentorAssigned') {
          const mentor = state(streamIds.participation(d.mentorCollaborativeId ?? d.collaborativeId, d.mentorAgencyId)) as ParticipationState;
          if (d.mentorAgencyId === d.agencyId || (mentor.status !== 'admitted' && mentor.status !== 'completed')) fail(e, 'mentor not eligible');
        }
        break;
      case 'ChangeProjectStarted':
      case 'PDSACycleLogged':
      case 'ChangeProjectCompleted': {
        // A system-level project (issue 16, no agencyId) needs no agency.
        const p = d.agencyId ? (state(streamIds.participation(d.collaborativeId, d.agencyId)) as ParticipationState) : null;
        if (p && p.status !== 'admitted') fail(e, `project of an agency ${p.status}`);
        if (e.type === 'PDSACycleLogged' && (before.status !== 'active' || d.cycleNumber !== before.cycles + 1)) fail(e, 'cycle out of order or project not active');
        // Issue 16: cycle n+1 does not begin before cycle n.
        if (e.type === 'PDSACycleLogged' && before.lastCycleBeginsOn && d.beginsOn < before.lastCycleBeginsOn) fail(e, 'cycle begins before the previous one');
        if (e.type === 'ChangeProjectCompleted' && !['adopt', 'abandon'].includes(before.lastDecision)) fail(e, 'completed without adopt/abandon');
        break;
      }
      case 'SiteVisitRescheduled':
      case 'SiteVisitCompleted':
      case 'MeetingRescheduled':
        if (before.status !== 'scheduled') fail(e, `rescheduled/completed when ${before.status}`);
        // Issue 16: a visit's report lies between the visit's own date and the day it is recorded.
        if (e.type === 'SiteVisitCompleted' && (d.completedOn < localDates(before.scheduledAt).earliest || d.completedOn > localDates(now).latest))
          fail(e, 'completed before the visit or after today');
        break;
      case 'AttendanceRecorded':
        if (Date.parse(now) < Date.parse(before.startsAt)) fail(e, 'attendance before the start');
        if (before.status === 'cancelled') fail(e, 'attendance of a cancelled meeting');
        for (const a of d.attendance) if (!before.invited.includes(a.agencyId)) fail(e, 'attendance of an agency not invited');
        break;
      case 'MinutesPublished':
        if (before.minutesPublished) fail(e, 'minutes published twice');
        break;
      // Issue 18: an entry is adopted once, while tentative; a meeting or visit entry schedules its
      // stream (the entry's id) in the same append (same correlation), and an entry is not adopted after its time.
      case 'PlanEntryAdopted': {
        const entry = before.entries?.[d.entryId];
        if (entry?.status !== 'tentative') fail(e, `entry adopted when ${entry?.status}`);
        const scheduled = d.meetingId ? streamIds.meeting(d.meetingId) : d.visitId ? streamIds.siteVisit(d.visitId) : null;
        if (scheduled && !log.some((o) => o.streamId === scheduled && o.metadata.correlationId === e.metadata.correlationId && /Scheduled$/.test(o.type))) fail(e, 'adopted without its meeting or visit scheduled with it');
        if (scheduled && Date.parse(d.startsAt) < Date.parse(now)) fail(e, 'adopted after its time');
        break;
      }
      case 'PlanEntryMoved':
      case 'PlanEntryDropped': {
        const entry = before.entries?.[d.entryId];
        if (!entry || entry.status === 'dropped' || (entry.status === 'adopted' && (entry.kind === 'site_visit' || entry.startsAt))) fail(e, `entry ${entry?.status} moved or dropped`);
        break;
      }
      // Issue 16: registration is before the start, attendance per person after it, for invited agencies.
      case 'RegisteredForMeeting':
      case 'MeetingRegistrationCancelled':
        if (Date.parse(now) >= Date.parse(before.startsAt)) fail(e, 'registration from the start on');
        if (before.status === 'cancelled') fail(e, 'registration of a cancelled meeting');
        if ((d.personId in before.registered) !== (e.type === 'MeetingRegistrationCancelled')) fail(e, 'registered twice, or cancelled unregistered');
        break;
      case 'PersonAttendanceRecorded': {
        if (Date.parse(now) < Date.parse(before.startsAt)) fail(e, 'attendance before the start');
        if (before.status === 'cancelled') fail(e, 'attendance of a cancelled meeting');
        const c = state(streamIds.collaborative(d.collaborativeId)) as CollaborativeState;
        const enrolment = c.status === 'none' ? {} : c.enrolment;
        for (const a of d.attendance) {
          if (a.agencyId && !agencyInvited(a.agencyId, before.invited, before.audiences, enrolment)) fail(e, 'attendance of an agency not invited');
          if (a.minutesAttended !== undefined && a.minutesAttended > before.durationMinutes) fail(e, 'attended longer than the meeting');
        }
        break;
      }
      // Issue 16: organisations, people, mentoring.
      case 'SiteAdded':
        if (before.status !== 'registered' || before.kind !== 'provider') fail(e, 'site of an organisation that is no registered provider');
        break;
      case 'PersonRegistered':
      case 'PersonMoved':
        if (d.organisationId && (state(streamIds.organisation(d.organisationId)) as { status: string }).status !== 'registered') fail(e, 'at an unregistered organisation');
        break;
      case 'MentoringContactLogged': {
        const mentee = state(streamIds.participation(d.collaborativeId, d.menteeAgencyId)) as ParticipationState;
        if (!('peerMentorId' in mentee) || mentee.peerMentorId !== d.mentorAgencyId) fail(e, 'contact by an agency that is not the mentor');
        if (d.contactedOn > localDates(now).latest) fail(e, 'contact in the future');
        if (before.contacts.includes(d.contactId)) fail(e, 'contact logged twice');
        break;
      }
      case 'RecruitmentCredited': {
        const applicant = state(streamIds.participation(d.collaborativeId, d.applicantAgencyId)) as ParticipationState;
        const mentor = state(streamIds.participation(d.mentorCollaborativeId, d.mentorAgencyId)) as ParticipationState;
        if (applicant.status === 'none' || (mentor.status !== 'admitted' && mentor.status !== 'completed')) fail(e, 'credit without application or eligible mentor');
        break;
      }
    }
    if (e.type === 'MeetingScheduled' || e.type === 'MeetingProgrammeSet') {
      const scheduled = (e.type === 'MeetingScheduled' ? d : (byStream.get(e.streamId)?.[0]?.data ?? {})) as D;
      const presenters = (d.presenters ?? []) as Speaker[];
      if (presenters.length > PRESENTER_CAP && scheduled.kind !== 'completion_conference') fail(e, 'more than 10 presenters outside a completion conference');
      const slots = presenters.filter((x) => x.startOffsetMinutes !== undefined).map((x) => [x.startOffsetMinutes!, x.startOffsetMinutes! + x.minutes!] as const).sort((a, b) => a[0] - b[0]);
      if (slots.some(([, end], i) => end > Number(scheduled.durationMinutes) || (i > 0 && slots[i - 1]![1] > slots[i]![0]))) fail(e, 'slots overlap or end after the meeting');
    }
    byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
    if (e.type === 'CollaborativeClosed') closedCollaboratives.add(d.collaborativeId);
  }
  for (const id of byStream.keys()) problems.push(...checkState(id, state(id), state));
  return problems;
};

/** Invariants of one state (with access to the other streams' states). */
export const checkState = (streamId: string, s: unknown, state: (id: string) => unknown): string[] => {
  const out: string[] = [];
  const type = streamTypeOf(streamId);
  if (type === 'collaborative') {
    const c = s as CollaborativeState;
    if (c.status === 'none') return out;
    const all = Object.values(c.cohorts).flatMap((k) => k.members);
    if (new Set(all).size !== all.length) out.push(`${streamId}: an agency in two cohorts`);
    for (const k of Object.values(c.cohorts)) if (k.members.length > k.capacity) out.push(`${streamId}: cohort over capacity`);
    // Issue 16: corrected dates keep every cohort inside the span.
    for (const k of Object.values(c.cohorts)) if (k.startsOn < c.startsOn || k.startsOn > c.endsOn) out.push(`${streamId}: cohort outside the span`);
    if (c.voided.some((x) => !c.expenditures.includes(x))) out.push(`${streamId}: voided an expenditure never recorded`);
  }
  if (type === 'participation') {
    const p = s as ParticipationState;
    if (p.status === 'admitted' || p.status === 'withdrawn' || p.status === 'completed') {
      const c = state(streamIds.collaborative(p.collaborativeId)) as CollaborativeState;
      if (c.status === 'none' || c.enrolment[p.agencyId] !== p.cohortId) out.push(`${streamId}: not enrolled in its cohort`);
      if (p.months.length > 0 && !p.baseline) out.push(`${streamId}: months without baseline`);
      if (new Set(p.months).size !== p.months.length) out.push(`${streamId}: month twice`);
      if (p.peerMentorId && c.status !== 'none') {
        const mine = c.cohorts[p.cohortId];
        const theirs = c.cohorts[c.enrolment[p.peerMentorId] ?? ''];
        // A mentor of another collaborative (issue 16) is not enrolled here: checked when assigned (checkHistory).
        if (p.peerMentorId === p.agencyId || !mine || (theirs && theirs.sequence >= mine.sequence)) out.push(`${streamId}: bad peer mentor`);
      }
    }
  }
  if (type === 'changeproject') {
    const p = s as ChangeProjectState;
    if (p.status === 'completed' && (p.cycles < 1 || p.lastDecision === 'adapt')) out.push(`${streamId}: completed without a final decision`);
    // Issue 16: an agency that completed left no project active.
    if (p.status === 'active' && p.agencyId) {
      const owner = state(streamIds.participation(p.collaborativeId, p.agencyId)) as ParticipationState;
      if (owner.status === 'completed') out.push(`${streamId}: active after its agency completed`);
    }
  }
  // Issue 16: corrected dates keep every meeting and visit not cancelled inside the span.
  if (type === 'meeting' || type === 'sitevisit') {
    const r = s as { status: string; collaborativeId?: string; startsAt?: string; scheduledAt?: string };
    const at = r.startsAt ?? r.scheduledAt;
    const c = r.collaborativeId ? (state(streamIds.collaborative(r.collaborativeId)) as CollaborativeState) : null;
    if (at && c && c.status !== 'none' && r.status !== 'cancelled' && (localDates(at).latest < c.startsOn || localDates(at).earliest > c.endsOn)) out.push(`${streamId}: outside the span`);
  }
  if (type === 'meeting') {
    const m = s as MeetingState;
    if (m.status !== 'none') {
      if (m.presenters.some((a) => !m.invited.includes(a))) out.push(`${streamId}: presenter not invited`);
      const c = state(streamIds.collaborative(m.collaborativeId)) as CollaborativeState;
      const enrolment = c.status === 'none' ? {} : c.enrolment;
      if (m.attendanceRecorded.some((a) => !agencyInvited(a, m.invited, m.audiences, enrolment))) out.push(`${streamId}: attendance of an agency not invited`);
    }
  }
  if (type === 'sitevisit') {
    const v = s as SiteVisitState;
    if (v.status !== 'none' && !v.scheduledAt) out.push(`${streamId}: no time`);
  }
  return out;
};
