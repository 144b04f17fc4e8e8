import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { A1, A2, A3, C1, COACH, COHORT1, COHORT2, M1, P1, V1, X1, launchData, person } from '../shared/fixtures';
import { DomainError } from '../shared/errors';
import { streamTypeOf, type AggregateName } from '../shared/ids';
import { expectEventsParse } from '../shared/testing';
import { aggregates, eventSchemas } from '../registry';
import { evolveStream, executeCommand, loadStream } from './execute';
import { InMemoryEventStore } from './in-memory-port';
import { checkHistory } from './invariants';
import { countsToValues } from '../measures/niatx';
import { entryIdOf } from '../plan/templates';

const P2 = '55555555-5555-4555-8555-555555555552';
const D1 = '77777777-7777-4777-8777-777777777771';
const D2 = '77777777-7777-4777-8777-777777777772';
/** A stored file as the API measured it. */
const file = (fileName: string) => ({ fileName, contentType: 'application/pdf', size: 1024, sha256: 'a'.repeat(64), storageKey: `documents/${fileName}` });
const M2 = '66666666-6666-4666-8666-666666666662';
const agency = fc.constantFrom(A1, A2, A3);
const cohort = fc.constantFrom(COHORT1, COHORT2);
const coach = fc.constantFrom(COACH, X1);
const project = fc.constantFrom(P1, P2);
const meetingId = fc.constantFrom(M1, M2);
const person_ = fc.constantFrom(P1, '55555555-5555-4555-8555-555555555552', COACH);
const audience = [{ type: 'all_executive_sponsors' }, { type: 'cohort', cohortId: COHORT1 }, { type: 'mentors' }, { type: 'cohort', cohortId: '22222222-2222-4222-8222-222222222229' }];
/** A team's slot: sometimes overlapping, sometimes past the meeting's end (refused). */
const slot = fc.record({ agencyId: fc.constantFrom(A1, A2, A3), startOffsetMinutes: fc.constantFrom(0, 15, 30, 100, 110), minutes: fc.constantFrom(15, 20) });
/** Attendance per person: mostly for A1 or no agency, sometimes an agency not invited or longer than the meeting (refused). */
const personAttendance = fc
  .uniqueArray(
    fc.record({ personId: person_, agencyId: fc.constantFrom(undefined, undefined, A1, A1, A2, X1), present: fc.boolean(), minutesAttended: fc.option(fc.nat(125), { nil: undefined }) }),
    { selector: (a) => a.personId, minLength: 1 },
  )
  .map((list) => list.map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined))));
const slots = fc.uniqueArray(slot, { selector: (s) => s.agencyId, maxLength: 3 });
// The last lies after the collaborative's span (launchData ends 2026-06-30): refused (issue 16).
// 2025-09-15 lies after the span CorrectCollaborativeDates may shorten it to (…2025-08-31): refused then (issue 16).
const when = fc.constantFrom('2025-03-04T15:00:00Z', '2025-03-10T15:00:00Z', '2025-04-10T15:00:00Z', '2025-05-20T15:00:00Z', '2025-07-01T15:00:00Z', '2025-09-15T15:00:00Z', '2026-07-03T15:00:00Z');
const month = fc.constantFrom('2025-02', '2025-03', '2025-04', '2025-05', '2025-06');
/** Mostly valid counts; sometimes no-shows above scheduled (refused by the schema). */
const counts = fc
  .record({ s: fc.nat(40), n: fc.nat(40), c: fc.nat(20), d: fc.nat(30), bad: fc.boolean() })
  .map(({ s, n, c, d, bad }) => ({
    intakeScheduled: bad && n > s ? s : s + n,
    intakeNoShows: n,
    clientsTreated: c,
    totalDaysToTreatment: c * d,
  }));
const ids = (a: string) => ({ collaborativeId: C1, agencyId: a });
const planScope = fc.constantFrom<{ cohortId?: string }>({}, { cohortId: COHORT1 });
const planEntry = fc.constantFrom(
  ...['kick-off', 'call-05', 'call-07', 'baseline-window', 'walk-through-due', 'completion-conference', `visit-05/${A1}`, `visit-07/${A1}`, 'data-03'].map((s) => entryIdOf(C1, 'collaborative', s)),
  ...['kick-off', 'orientation', `visit-08/${A1}`].map((s) => entryIdOf(C1, COHORT1, s)),
);
const cmd = (type: string) => (data: unknown) => ({ type, data });
const w = (weight: number, arbitrary: fc.Arbitrary<{ type: string; data: unknown }>) => ({ weight: weight === 0 ? 1 : weight * 5, arbitrary });

const command = fc.oneof(
  w(1, fc.constant(cmd('LaunchCollaborative')(launchData))),
  w(2, fc.record({ cohortId: cohort, capacity: fc.integer({ min: 1, max: 2 }) }).map((c) => cmd('OpenCohort')({ collaborativeId: C1, name: 'Cohort', startsOn: '2025-03-01', ...c }))),
  w(1, coach.map((p) => cmd('AppointSystemRole')({ collaborativeId: C1, role: 'coach', person: person(p) }))),
  w(0, fc.constant(cmd('CloseCollaborative')({ collaborativeId: C1, closedOn: '2025-06-30' }))),
  w(3, agency.map((a) => cmd('SubmitApplication')({ ...ids(a), agencyName: 'Agency', contact: { name: 'Sam', email: 's@example.org' }, proposal: 'p' }))),
  w(1, fc.tuple(agency, coach).map(([a, r]) => cmd('ScoreApplication')({ ...ids(a), reviewerId: r, scores: [{ criterion: 'fit', score: 5 }] }))),
  w(4, fc.tuple(agency, cohort).map(([a, c]) => cmd('AdmitAgency')({ ...ids(a), cohortId: c }))),
  w(1, agency.map((a) => cmd('DeclineApplication')({ ...ids(a), reason: 'no' }))),
  w(1, agency.map((a) => cmd('WithdrawAgency')({ ...ids(a), withdrawnOn: '2025-05-01' }))),
  w(1, fc.tuple(agency, coach).map(([a, c]) => cmd('AssignCoach')({ ...ids(a), coachId: c }))),
  w(2, fc.tuple(agency, agency).map(([a, m]) => cmd('AssignPeerMentor')({ ...ids(a), mentorAgencyId: m }))),
  w(1, agency.map((a) => cmd('SubmitWalkThrough')({ ...ids(a), walkedThroughOn: '2025-02-01', findings: 'f' }))),
  w(3, fc.tuple(agency, counts).map(([a, c]) => cmd('RecordBaseline')({ ...ids(a), period: { from: '2025-01-01', to: '2025-02-28' }, counts: c }))),
  w(4, fc.tuple(agency, month, counts).map(([a, m, c]) => cmd('RecordMonthlyMeasures')({ ...ids(a), month: m, counts: c }))),
  w(3, fc.tuple(agency, month, counts).map(([a, m, c]) => cmd('CorrectMonthlyMeasures')({ ...ids(a), month: m, counts: c, reason: 'fix' }))),
  w(1, fc.tuple(agency, coach).map(([a, c]) => cmd('RecordCoachingNote')({ ...ids(a), coachId: c, coachedOn: '2025-03-01', assistance: 'a' }))),
  w(1, agency.map((a) => cmd('CompleteParticipation')({ ...ids(a), completedOn: '2025-06-01' }))),
  w(2, fc.tuple(project, agency).map(([p, a]) =>
    cmd('StartChangeProject')({ projectId: p, ...ids(a), title: 't', aim: 'a', measure: 'waiting_time', baselineValue: 10, targetValue: 5, targetDate: '2025-12-31', ...(p === P2 ? { startedOn: '2025-02-03' } : {}), changeIdea: 'c', levelOfCare: 'outpatient', team: [{ name: 'n', role: 'r' }] }))),
  w(4, fc.tuple(project, fc.integer({ min: 1, max: 3 }), fc.constantFrom('adopt', 'adapt', 'abandon')).map(([p, n, d]) =>
    cmd('LogPDSACycle')({ projectId: p, cycleNumber: n, beginsOn: '2025-03-01', endsOn: '2025-03-14', changeTested: 'c', prediction: 'p', steps: [{ step: 's', who: 'w' }], result: 'r', decision: d }))),
  w(2, project.map((p) => cmd('CompleteChangeProject')({ projectId: p, actualEndOn: '2025-06-01', lessons: 'l', impact: 'i', sustainPlan: 's' }))),
  w(1, project.map((p) => cmd('AbandonChangeProject')({ projectId: p, abandonedOn: '2025-06-01', reason: 'r' }))),
  w(2, fc.tuple(agency, coach, when).map(([a, c, t]) => cmd('ScheduleSiteVisit')({ visitId: V1, ...ids(a), coachId: c, scheduledAt: t, agenda: 'a' }))),
  w(1, when.map((t) => cmd('RescheduleSiteVisit')({ visitId: V1, scheduledAt: t }))),
  w(1, fc.constant(cmd('CancelSiteVisit')({ visitId: V1, reason: 'r' }))),
  // Issue 16 past and present: a visit or meeting recorded as held after the fact.
  w(1, fc.tuple(agency, coach, when, fc.constantFrom('2025-03-04', '2025-04-10', '2025-07-01')).map(([a, c, t, on]) =>
    cmd('RecordHeldSiteVisit')({ visitId: V1, ...ids(a), coachId: c, heldAt: t, agenda: 'a', completedOn: on, summary: 's' }))),
  w(1, fc.tuple(meetingId, when, fc.subarray([A1, A2, A3], { minLength: 1 }), fc.boolean()).map(([m, t, inv, withMinutes]) =>
    cmd('RecordHeldMeeting')({
      meetingId: m, collaborativeId: C1, kind: 'regular_call', modality: 'video', heldAt: t, durationMinutes: 60, callIn: 'link', agenda: 'a', invitedAgencyIds: inv,
      attendance: [{ agencyId: inv[0], present: true, attendees: ['x'] }], ...(withMinutes ? { minutes: 'm' } : {}),
    }))),
  w(1, fc.constant(cmd('CompleteSiteVisit')({ visitId: V1, completedOn: '2025-06-01', summary: 's' }))),
  w(2, fc.tuple(meetingId, when, fc.subarray([A1, A2, A3], { minLength: 2 })).map(([m, t, inv]) =>
    cmd('ScheduleMeeting')({ meetingId: m, collaborativeId: C1, kind: 'regular_call', modality: 'video', startsAt: t, durationMinutes: 60, callIn: 'link', agenda: 'a', invitedAgencyIds: inv }))),
  w(1, fc.tuple(meetingId, when).map(([m, t]) => cmd('RescheduleMeeting')({ meetingId: m, startsAt: t }))),
  w(1, meetingId.map((m) => cmd('CancelMeeting')({ meetingId: m, reason: 'r' }))),
  w(1, fc.tuple(meetingId, fc.subarray([A1, A2, A3], { minLength: 1, maxLength: 2 })).map(([m, a]) => cmd('AssignPresenters')({ meetingId: m, agencyIds: a }))),
  w(3, fc.tuple(meetingId, fc.subarray([A1, A2, A3], { minLength: 1, maxLength: 1 })).map(([m, a]) =>
    cmd('RecordAttendance')({ meetingId: m, attendance: a.map((agencyId) => ({ agencyId, present: true, attendees: ['x'] })) }))),
  w(1, meetingId.map((m) => cmd('PublishMinutes')({ meetingId: m, minutes: 'm' }))),
  w(1, fc.integer({ min: 1, max: 500000 }).map((amountCents) => cmd('RecordExpenditure')({ collaborativeId: C1, expenditureId: P2, amountCents, category: 'travel', spentOn: '2025-03-01' }))),
  w(1, agency.map((a) => cmd('AssignAgencyRole')({ ...ids(a), role: 'change_leader', person: person(X1) }))),
  // Issue 15: catalogue submissions (values), drafts, corrections, assessments, catalogue changes.
  w(2, fc.tuple(agency, month, counts).map(([a, m, c]) => cmd('SaveMeasuresDraft')({ ...ids(a), period: m, values: countsToValues(c) }))),
  w(3, fc.tuple(agency, month, fc.option(counts)).map(([a, m, c]) => cmd('SubmitMeasures')({ ...ids(a), period: m, ...(c ? { values: countsToValues(c) } : {}) }))),
  w(2, fc.tuple(agency, month, counts).map(([a, m, c]) => cmd('CorrectMeasures')({ ...ids(a), period: m, values: countsToValues(c), reason: 'fix' }))),
  w(2, fc.tuple(agency, counts).map(([a, c]) => cmd('CorrectBaseline')({ ...ids(a), values: countsToValues(c), reason: 'fix' }))),
  w(2, fc.tuple(agency, month, coach, fc.integer({ min: 1, max: 10 })).map(([a, m, c, n]) => cmd('AssessProgress')({ ...ids(a), period: m, coachId: c, score: n / 2, comment: 'ok' }))),
  w(1, fc.constant(cmd('DefineMeasure')({ collaborativeId: C1, measure: { id: 'same_day_starts', name: 'Same-day starts', definition: 'd', type: 'proportion', unit: 'clients', direction: 'higher', period: 'monthly', required: false } }))),
  w(1, fc.tuple(fc.constantFrom('intake_no_show', 'same_day_starts'), month).map(([m, p]) => cmd('StartChartPhase')({ collaborativeId: C1, measureId: m, startsWith: p, reason: 'shift' }))),
  w(1, fc.constantFrom('admissions', 'same_day_starts').map((m) => cmd('RetireMeasure')({ collaborativeId: C1, measureId: m, reason: 'r' }))),
  w(3, meetingId.map((m) => cmd('CorrectMinutes')({ meetingId: m, minutes: 'm2', reason: 'r' }))),
  // Issue 18: the project binder's documents (attached to the collaborative, an agency, a meeting), replaced, removed.
  w(2, fc.tuple(fc.constantFrom(D1, D2), fc.constantFrom<[string, string]>(['collaborative', C1], ['agency', A1], ['agency', A2], ['meeting', M1])).map(([d, [kind, id]]) =>
    cmd('AttachDocument')({ documentId: d, collaborativeId: C1, target: { kind, id }, ...file('agenda.pdf'), uploadedBy: { actorId: 'u', actorRole: 'admin' } }))),
  w(1, fc.constantFrom(D1, D2).map((d) => cmd('ReplaceDocument')({ documentId: d, ...file('agenda-v2.pdf'), replacedBy: { actorId: 'u', actorRole: 'admin' } }))),
  w(1, fc.constantFrom(D1, D2).map((d) => cmd('RemoveDocument')({ documentId: d, reason: 'r' }))),
  // Issue 18: timeline plans (the collaborative's and cohort 1's), adopted whole or by entry, moved, dropped, rebased.
  w(2, fc.tuple(planScope, fc.constantFrom('niatx-year', 'niatx-network-quarterly'), fc.option(fc.constantFrom('2025-01-01', '2025-04-01'))).map(([c, t, on]) =>
    cmd('ProposePlan')({ collaborativeId: C1, ...c, template: t, ...(on ? { startsOn: on } : {}), location: 'Hall', callIn: 'link' }))),
  w(1, planScope.map((c) => cmd('AdoptPlan')({ collaborativeId: C1, ...c }))),
  w(3, fc.tuple(planEntry, fc.option(coach)).map(([e, c]) => cmd('AdoptPlanEntry')({ collaborativeId: C1, entryId: e, ...(c ? { coachId: c } : {}) }))),
  w(2, fc.tuple(planEntry, when, fc.boolean()).map(([e, t, byDate]) => cmd('MovePlanEntry')({ collaborativeId: C1, entryId: e, ...(byDate ? { date: t.slice(0, 10) } : { startsAt: t }) }))),
  w(1, planEntry.map((e) => cmd('DropPlanEntry')({ collaborativeId: C1, entryId: e, reason: 'r' }))),
  w(2, fc.tuple(planScope, fc.constantFrom('2025-01-01', '2025-03-01', '2025-06-01')).map(([c, on]) => cmd('RebasePlan')({ collaborativeId: C1, ...c, startsOn: on }))),
  // Issue 18: a meeting's packet (two ids: asked once each), and a meeting document for one invited agency (the packet's).
  w(2, fc.tuple(meetingId, fc.constantFrom(P1, P2)).map(([m, p]) => cmd('PrepareMeetingPacket')({ meetingId: m, packetId: p }))),
  w(1, fc.tuple(fc.constantFrom(D1, D2), fc.constantFrom(A1, A2)).map(([d, a]) =>
    cmd('AttachDocument')({ documentId: d, collaborativeId: C1, target: { kind: 'meeting', id: M1 }, agencyId: a, ...file('packet.pdf'), uploadedBy: { actorId: 'worker', actorRole: 'system' } }))),
  // Issue 16: corrections, each its own event; completion closing open projects; the system-level Change Team's projects.
  w(2, fc.constantFrom(['2025-01-01', '2026-06-30'], ['2025-02-15', '2026-06-30'], ['2024-10-01', '2025-09-30'], ['2025-01-01', '2025-07-15'], ['2025-01-01', '2025-08-31']).map(([startsOn, endsOn]) =>
    cmd('CorrectCollaborativeDates')({ collaborativeId: C1, startsOn, endsOn, reason: 'r' }))),
  w(1, fc.constantFrom('weekly', 'quarterly').map((c) => cmd('ChangeMeetingCadence')({ collaborativeId: C1, meetingCadence: c, reason: 'r' }))),
  w(1, fc.tuple(coach, fc.option(coach)).map(([c, next]) => cmd('RemoveSystemRole')({ collaborativeId: C1, role: 'coach', personId: c, reason: 'r', ...(next ? { successor: person(next) } : {}) }))),
  w(1, fc.integer({ min: 1, max: 500000 }).map((amountCents) => cmd('CorrectExpenditure')({ collaborativeId: C1, expenditureId: P2, amountCents, category: 'meetings', spentOn: '2025-03-02', reason: 'r' }))),
  w(0, fc.constant(cmd('VoidExpenditure')({ collaborativeId: C1, expenditureId: P2, reason: 'r' }))),
  w(1, fc.integer({ min: 1, max: 900000 }).map((amountCents) => cmd('SetBudget')({ collaborativeId: C1, category: 'travel', amountCents }))),
  w(1, fc.tuple(agency, fc.constantFrom('2024-12-01', '2025-01-15')).map(([a, from]) => cmd('CorrectBaselinePeriod')({ ...ids(a), baselinePeriod: { from, to: '2025-02-28' }, reason: 'r' }))),
  w(1, agency.map((a) => cmd('CorrectWalkThrough')({ ...ids(a), walkedThroughOn: '2025-02-02', findings: 'g', reason: 'r' }))),
  w(1, fc.tuple(agency, coach, fc.nat(10)).map(([a, r, n]) => cmd('CorrectApplicationScore')({ ...ids(a), reviewerId: r, scores: [{ criterion: 'fit', score: n }], reason: 'r' }))),
  w(1, fc.tuple(agency, fc.option(fc.constant(COACH))).map(([a, next]) => cmd('RemoveAgencyRole')({ ...ids(a), role: 'change_leader', personId: X1, reason: 'r', ...(next ? { successor: person(next) } : {}) }))),
  w(1, agency.map((a) => cmd('CompleteParticipation')({ ...ids(a), completedOn: '2025-06-01', closeOpenProjects: true }))),
  w(1, project.map((p) =>
    cmd('StartSystemChangeProject')({ projectId: p, collaborativeId: C1, title: 't', aim: 'a', measure: 'waiting_time', baselineValue: 10, targetValue: 5, targetDate: '2025-12-31', changeIdea: 'c', levelOfCare: 'other', team: [{ name: 'n', role: 'r' }] }))),
);

/** Issue 16: the network's commands (organisations, people, mentoring), mixed into every sequence. */
const networkCommands = [
  w(3, fc.tuple(agency, fc.constantFrom('provider', 'payer', 'association')).map(([a, kind]) => cmd('RegisterOrganisation')({ organisationId: a, kind, name: 'Org' }))),
  w(1, fc.tuple(agency, fc.constantFrom('Org', 'Org 2'), fc.option(fc.constantFrom('provider', 'payer'), { nil: undefined })).map(([a, name, kind]) =>
    cmd('UpdateOrganisation')({ organisationId: a, name, ...(kind ? { kind } : {}) }))),
  w(1, fc.tuple(agency, fc.constantFrom(D1, D2)).map(([a, s]) => cmd('AddSite')({ organisationId: a, siteId: s, name: 'Site', levelsOfCare: ['outpatient'] }))),
  w(3, fc.tuple(coach, fc.option(agency, { nil: undefined })).map(([p, a]) => cmd('RegisterPerson')({ personId: p, ...(a ? { organisationId: a } : {}), name: 'Pat', email: 'p@example.org' }))),
  w(1, coach.map((p) => cmd('ChangePersonContact')({ personId: p, name: 'Pat', email: 'pat@example.org', phone: '555' }))),
  w(3, fc.tuple(coach, fc.option(agency, { nil: null })).map(([p, a]) => cmd('MovePerson')({ personId: p, organisationId: a }))),
  // Mostly A1 (admitted in the first cohort by the prelude), the likeliest mentor.
  // A later cohort's agency mentored by A1 (the prelude's first-cohort agency): mentoring contacts need one.
  w(2, fc.constantFrom(A2, A3).map((a) => cmd('AdmitAgency')({ ...ids(a), cohortId: COHORT2 }))),
  w(2, fc.constantFrom(A2, A3).map((a) => cmd('AssignPeerMentor')({ ...ids(a), mentorAgencyId: A1 }))),
  w(4, fc.tuple(fc.constantFrom(A1, A1, A1, A2), fc.constantFrom(A2, A3, A1), fc.constantFrom(D1, D2), fc.constantFrom('2025-03-01', '2025-03-01', '2026-01-10')).map(([m, a, k, on]) =>
    cmd('LogMentoringContact')({ mentorAgencyId: m, contactId: k, collaborativeId: C1, menteeAgencyId: a, contactedOn: on, mode: 'video', topic: 't', notes: 'n' }))),
  w(1, fc.tuple(agency, agency).map(([m, a]) => cmd('CreditRecruitment')({ mentorAgencyId: m, mentorCollaborativeId: C1, collaborativeId: C1, applicantAgencyId: a }))),
];
/** Issue 16, people at meetings: prospects and people invited, audiences, programme slots, credit hours, registration, attendance per person. */
const meetingPeopleCommands = [
  w(2, fc.tuple(meetingId, when, personAttendance, fc.subarray(audience)).map(([m, t, people, aud]) =>
    cmd('RecordHeldMeeting')({
      meetingId: m, collaborativeId: C1, kind: 'regular_call', modality: 'video', heldAt: t, durationMinutes: 120, callIn: 'link', agenda: 'a', invitedAgencyIds: [A1],
      audiences: aud, personAttendance: people, creditHours: 2,
    }))),
  w(2, fc.tuple(meetingId, when, fc.constantFrom('introductory', 'completion_conference', 'executive_sponsor_call'), fc.subarray([A1, A2, A3, X1]), fc.subarray(audience), slots).map(([m, t, kind, orgs, aud, presenters]) =>
    cmd('ScheduleMeeting')({
      meetingId: m, collaborativeId: C1, kind, modality: 'video', startsAt: t, durationMinutes: 120, callIn: 'link', agenda: 'a',
      invitedOrganisationIds: orgs, invitedPersonIds: [P1, P2], audiences: aud, presenters, creditHours: 1.5,
    }))),
  w(3, fc.tuple(meetingId, fc.subarray([A3, X1]), fc.subarray(audience)).map(([m, orgs, aud]) => cmd('InviteToMeeting')({ meetingId: m, invitees: { invitedOrganisationIds: orgs, audiences: aud } }))),
  w(2, fc.tuple(meetingId, slots).map(([m, presenters]) => cmd('SetMeetingProgramme')({ meetingId: m, facilitators: [{ personId: COACH }], presenters }))),
  w(1, fc.tuple(meetingId, fc.constantFrom(0, 0.5, 2)).map(([m, h]) => cmd('SetMeetingCreditHours')({ meetingId: m, creditHours: h }))),
  w(4, fc.tuple(meetingId, person_).map(([m, p]) => cmd('RegisterForMeeting')({ meetingId: m, personId: p }))),
  w(4, fc.tuple(meetingId, person_).map(([m, p]) => cmd('CancelMeetingRegistration')({ meetingId: m, personId: p }))),
  w(3, fc.tuple(meetingId, personAttendance).map(([m, attendance]) => cmd('RecordPersonAttendance')({ meetingId: m, attendance }))),
];
// The collaboratives' commands weigh 30 to the network's 1 each: at 12, the sequences missed 7–12 collaborative event types in
// about half the runs (the network has its own test below).
const everything = fc.oneof(...[command, ...networkCommands.map((c) => c.arbitrary)].map((arbitrary, i) => ({ arbitrary, weight: i === 0 ? 30 : 1 })));
/** Mostly the network's commands, and what ends a participation or the collaborative. */
const network = fc.oneof(
  ...networkCommands,
  w(1, agency.map((a) => cmd('CompleteParticipation')({ ...ids(a), completedOn: '2025-06-01' }))),
  w(1, agency.map((a) => cmd('WithdrawAgency')({ ...ids(a), withdrawnOn: '2025-05-01' }))),
  w(0, fc.constant(cmd('CloseCollaborative')({ collaborativeId: C1, closedOn: '2025-06-30' }))),
);

/** Sequences start with a launch, a coach and a cohort so that most commands get somewhere. */
const prelude = [
  cmd('LaunchCollaborative')(launchData),
  cmd('AppointSystemRole')({ collaborativeId: C1, role: 'coach', person: person(COACH) }),
  cmd('OpenCohort')({ collaborativeId: C1, cohortId: COHORT1, name: 'One', startsOn: '2025-02-01', capacity: 2 }),
  ...[A1, A2, A3].map((a) => cmd('SubmitApplication')({ ...ids(a), agencyName: 'Agency', contact: { name: 'Sam', email: 's@example.org' }, proposal: 'p' })),
  cmd('AdmitAgency')({ ...ids(A1), cohortId: COHORT1 }),
  cmd('OpenCohort')({ collaborativeId: C1, cohortId: COHORT2, name: 'Two', startsOn: '2025-08-01', capacity: 2 }),
];

const DAY = 86_400_000;
const start = Date.parse('2025-03-01T00:00:00Z');
const emitted = new Set<string>();

/** Runs a sequence: each decision's events fold to what the store reloads, a refusal appends nothing, no invariant breaks. */
const run = (first: { type: string; data: unknown }[]) => async (commands: { type: string; data: unknown }[], stepDays: number) => {
        const store = new InMemoryEventStore();
        const seen = new Map<string, unknown>(); // stream -> state as evolved from emitted events
        let i = 0;
        for (const c of [...first, ...commands]) {
          const now = new Date(start + i++ * stepDays * DAY).toISOString();
          const before = (await store.readAll()).length;
          try {
            const r = await executeCommand(store, c, { now, actorId: 'u', actorRole: 'convener', correlationId: `c${i}` });
            for (const part of [{ streamId: r.streamId, events: r.events }, ...r.also]) {
              expectEventsParse(part.events);
              part.events.forEach((e) => emitted.add(e.type));
              const type = streamTypeOf(part.streamId) as AggregateName;
              const previous = seen.get(part.streamId) ?? evolveStream(type, []);
              const folded = foldFrom(type, previous, part.events);
              const reloaded = await loadStream(store, type, part.streamId);
              expect(folded).toEqual(reloaded.state);
              seen.set(part.streamId, folded);
            }
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            expect((await store.readAll()).length).toBe(before);
          }
        }
        expect(checkHistory(await store.readAll())).toEqual([]);
};
const networkAggregates = ['organisation', 'person', 'mentoring'];
const MEETING_PEOPLE_EVENTS = ['MeetingInviteesAdded', 'MeetingProgrammeSet', 'MeetingCreditHoursSet', 'RegisteredForMeeting', 'MeetingRegistrationCancelled', 'PersonAttendanceRecorded'];
const isNetworkEvent = (type: string) => networkAggregates.includes(eventSchemas[type]!.aggregate);

describe('property: random command sequences through executeCommand', () => {
  it('keep evolve consistent with the store and never break an invariant', async () => {
    // The coverage asserted below depends on what the random sequences happen to reach: a fixed
    // seed keeps it from failing one CI run in many (a clean-clone run missed a plan event type);
    // FC_SEED=<n> explores another sequence set.
    await fc.assert(fc.asyncProperty(fc.array(everything, { minLength: 20, maxLength: 100 }), fc.integer({ min: 1, max: 3 }), run(prelude)), { numRuns: 250, seed: Number(process.env.FC_SEED ?? 20261201) });
    // the sequences reach most event types of the collaboratives (the network's and people at meetings': next tests)
    // the plan's adoption and rebase among them
    expect([...emitted]).toEqual(expect.arrayContaining(['PlanProposed', 'PlanEntryAdopted', 'PlanRebased', 'PlanEntryMoved', 'PlanEntryDropped']));
    // "Most": with ~75 event types of the collaboratives, a run misses a handful of the rarest (a
    // correction of a correction's target, an announcement); at most a fifth. The scenario test
    // (scenario.unit.test.ts) emits every type deterministically.
    const considered = Object.keys(eventSchemas).filter((t) => !isNetworkEvent(t) && !MEETING_PEOPLE_EVENTS.includes(t));
    const missed = considered.filter((t) => !emitted.has(t));
    expect({ missed: missed.length <= Math.ceil(considered.length / 5) ? 'at most a fifth' : missed }).toEqual({ missed: 'at most a fifth' });
  });

  it('issue 16: people at meetings (invitees, programme, credit hours, registration, attendance per person) fold the same way and reach every event type', async () => {
    emitted.clear();
    // Organisations and people registered, so that invitations and attendance can be decided.
    const known = [
      ...prelude,
      ...[A1, A2, A3, X1].map((o) => cmd('RegisterOrganisation')({ organisationId: o, kind: 'provider', name: 'Org' })),
      cmd('RegisterPerson')({ personId: P1, organisationId: A1, name: 'Pat', email: 'p@example.org' }),
      cmd('RegisterPerson')({ personId: COACH, name: 'Chris', email: 'c@example.org' }),
    ];
    const single = [...meetingPeopleCommands, w(2, meetingId.map((m) => cmd('CancelMeeting')({ meetingId: m, reason: 'r' })))];
    // A registration cancelled right after it is made: random pairs of the two rarely meet before
    // the meeting starts, so a cancellation would seldom be decided at all.
    const registerThenCancel = { weight: 10, arbitrary: fc.tuple(meetingId, person_).map(([m, p]) => [cmd('RegisterForMeeting')({ meetingId: m, personId: p }), cmd('CancelMeetingRegistration')({ meetingId: m, personId: p })]) };
    const steps = fc.oneof(...single.map(({ weight, arbitrary }) => ({ weight, arbitrary: arbitrary.map((c) => [c]) })), registerThenCancel);
    const meetings = fc.array(steps, { minLength: 10, maxLength: 60 }).map((a) => a.flat());
    // A fixed seed, as above: a clean-clone run (2026-12-01) reached no MeetingInviteesAdded in its 250 sequences.
    await fc.assert(fc.asyncProperty(meetings, fc.integer({ min: 1, max: 3 }), run(known)), { numRuns: 250, seed: Number(process.env.FC_SEED ?? 20261201) });
    expect(['MeetingScheduled', ...MEETING_PEOPLE_EVENTS].filter((t) => !emitted.has(t))).toEqual([]);
  });

  it('issue 16: organisations, people and mentoring fold the same way and reach every event type', async () => {
    emitted.clear();
    // A2 in the later cohort, mentored by A1: contacts and credits can be decided.
    const mentored = [...prelude, cmd('AdmitAgency')({ ...ids(A2), cohortId: COHORT2 }), cmd('AssignPeerMentor')({ ...ids(A2), mentorAgencyId: A1 })];
    await fc.assert(fc.asyncProperty(fc.array(network, { minLength: 10, maxLength: 60 }), fc.integer({ min: 1, max: 3 }), run(mentored)), { numRuns: 150, seed: Number(process.env.FC_SEED ?? 20261201) });
    expect(Object.keys(eventSchemas).filter((t) => isNetworkEvent(t) && !emitted.has(t))).toEqual([]);
  });
});

const foldFrom = (type: AggregateName, state: unknown, events: { type: string; data: unknown }[]) =>
  events.reduce((s, e) => (aggregates[type].evolve as (s: unknown, e: unknown) => unknown)(s, e), state);
