import { describe, expect, it } from '@jest/globals';
import { A1, A2, C1, COACH, COHORT1, COHORT2, M1, P1, V1, X1, launchData, person } from '../shared/fixtures';
import { expectEventsParse } from '../shared/testing';
import { eventSchemas } from '../registry';
import { executeCommand } from './execute';
import { InMemoryEventStore } from './in-memory-port';
import { checkHistory } from './invariants';
import { entryIdOf } from '../plan/templates';

const D1 = '99999999-9999-4999-8999-999999999991';
const ids = (agencyId: string) => ({ collaborativeId: C1, agencyId });
const counts = { clientsTreated: 8, totalDaysToTreatment: 80, intakeScheduled: 12, intakeNoShows: 3 };

/** A whole collaborative, one command of each kind: every event type is emitted and parses. */
const script: [string, string, unknown][] = [
  ['2025-01-02T09:00:00Z', 'LaunchCollaborative', launchData],
  ['2025-01-02T09:00:00Z', 'AppointSystemRole', { collaborativeId: C1, role: 'coach', person: person(COACH) }],
  ['2025-01-02T09:00:00Z', 'OpenCohort', { collaborativeId: C1, cohortId: COHORT1, name: 'One', startsOn: '2025-01-15', capacity: 8 }],
  ['2025-01-02T09:00:00Z', 'RecordExpenditure', { collaborativeId: C1, expenditureId: X1, amountCents: 50000, category: 'meetings', spentOn: '2025-01-02' }],
  // Issue 16: corrections of the collaborative's records.
  ['2025-01-02T09:00:00Z', 'CorrectExpenditure', { collaborativeId: C1, expenditureId: X1, amountCents: 45000, category: 'meetings', spentOn: '2025-01-02', reason: 'invoice' }],
  ['2025-01-02T09:00:00Z', 'SetBudget', { collaborativeId: C1, category: 'meetings', amountCents: 100000 }],
  ['2025-01-02T09:00:00Z', 'RecordExpenditure', { collaborativeId: C1, expenditureId: P1, amountCents: 100, category: 'travel', spentOn: '2025-01-02' }],
  ['2025-01-02T09:00:00Z', 'VoidExpenditure', { collaborativeId: C1, expenditureId: P1, reason: 'duplicate' }],
  ['2025-01-02T09:00:00Z', 'CorrectCollaborativeDates', { collaborativeId: C1, startsOn: '2025-01-01', endsOn: '2026-12-31', reason: 'extended' }],
  ['2025-01-02T09:00:00Z', 'ChangeMeetingCadence', { collaborativeId: C1, meetingCadence: 'quarterly', reason: 'fewer sessions' }],
  ['2025-01-02T09:00:00Z', 'AppointSystemRole', { collaborativeId: C1, role: 'data_coordinator', person: person(X1) }],
  ['2025-01-02T09:00:00Z', 'RemoveSystemRole', { collaborativeId: C1, role: 'data_coordinator', personId: X1, reason: 'left' }],
  ['2025-01-03T09:00:00Z', 'SubmitApplication', { ...ids(A1), agencyName: 'Riverside', contact: { name: 'Sam', email: 's@example.org' }, proposal: 'p' }],
  ['2025-01-03T09:00:00Z', 'SubmitApplication', { ...ids(A2), agencyName: 'Hilltop', contact: { name: 'Ana', email: 'a@example.org' }, proposal: 'p' }],
  ['2025-01-04T09:00:00Z', 'ScoreApplication', { ...ids(A1), reviewerId: COACH, scores: [{ criterion: 'readiness', score: 9 }] }],
  ['2025-01-04T09:00:00Z', 'CorrectApplicationScore', { ...ids(A1), reviewerId: COACH, scores: [{ criterion: 'readiness', score: 8 }], reason: 'misread' }],
  ['2025-01-05T09:00:00Z', 'AdmitAgency', { ...ids(A1), cohortId: COHORT1 }],
  ['2025-01-05T09:00:00Z', 'DeclineApplication', { ...ids(A2), reason: 'not ready' }],
  ['2025-01-06T09:00:00Z', 'AssignAgencyRole', { ...ids(A1), role: 'executive_sponsor', person: person(X1) }],
  ['2025-01-06T09:00:00Z', 'RemoveAgencyRole', { ...ids(A1), role: 'executive_sponsor', personId: X1, reason: 'retired', successor: person(COACH) }],
  ['2025-01-06T09:00:00Z', 'AssignCoach', { ...ids(A1), coachId: COACH }],
  // Issue 18: the plan of the year, an entry adopted (its meeting scheduled with it), moved, dropped, rebased.
  ['2025-01-07T09:00:00Z', 'ProposePlan', { collaborativeId: C1, template: 'niatx-year', location: 'Capitol', callIn: 'https://meet.example.org/x' }],
  ['2025-01-07T09:00:00Z', 'AdoptPlanEntry', { collaborativeId: C1, entryId: entryIdOf(C1, 'collaborative', 'kick-off') }],
  ['2025-01-07T09:00:00Z', 'MovePlanEntry', { collaborativeId: C1, entryId: entryIdOf(C1, 'collaborative', 'call-05'), startsAt: '2025-05-20T15:00:00Z' }],
  ['2025-01-07T09:00:00Z', 'DropPlanEntry', { collaborativeId: C1, entryId: entryIdOf(C1, 'collaborative', 'call-06'), reason: 'holiday' }],
  ['2025-01-07T09:00:00Z', 'RebasePlan', { collaborativeId: C1, startsOn: '2025-01-13' }],
  ['2025-01-10T09:00:00Z', 'SubmitWalkThrough', { ...ids(A1), walkedThroughOn: '2025-01-09', findings: 'Three forms ask the same questions' }],
  ['2025-01-10T09:00:00Z', 'CorrectWalkThrough', { ...ids(A1), walkedThroughOn: '2025-01-08', findings: 'Three forms', reason: 'date' }],
  ['2025-03-02T09:00:00Z', 'RecordBaseline', { ...ids(A1), period: { from: '2025-01-01', to: '2025-02-28' }, counts }],
  ['2025-03-02T09:00:00Z', 'CorrectBaselinePeriod', { ...ids(A1), baselinePeriod: { from: '2025-01-15', to: '2025-02-28' }, reason: 'span' }],
  ['2025-04-02T09:00:00Z', 'RecordMonthlyMeasures', { ...ids(A1), month: '2025-03', counts }],
  ['2025-04-03T09:00:00Z', 'CorrectMonthlyMeasures', { ...ids(A1), month: '2025-03', counts: { ...counts, intakeNoShows: 2 }, reason: 'late entry' }],
  // Issue 15: a custom measure, a draft then its submission, corrections, an assessment, a retirement.
  ['2025-04-03T09:00:00Z', 'DefineMeasure', { collaborativeId: C1, measure: { id: 'same_day_starts', name: 'Same-day starts', definition: 'Clients starting on the day of first contact', type: 'proportion', unit: 'clients', direction: 'higher', period: 'monthly', required: false } }],
  ['2025-05-02T09:00:00Z', 'SaveMeasuresDraft', { ...ids(A1), period: '2025-04', values: { waiting_time: { total: 70, cases: 8 } } }],
  ['2025-05-03T09:00:00Z', 'SubmitMeasures', { ...ids(A1), period: '2025-04', values: { waiting_time: { total: 64, cases: 8 }, intake_no_show: { numerator: 2, denominator: 12 }, same_day_starts: { numerator: 3, denominator: 8 } } }],
  ['2025-05-04T09:00:00Z', 'CorrectMeasures', { ...ids(A1), period: '2025-04', values: { waiting_time: { total: 60, cases: 8 }, intake_no_show: { numerator: 2, denominator: 12 } }, reason: 'recount' }],
  ['2025-05-04T09:00:00Z', 'CorrectBaseline', { ...ids(A1), values: { waiting_time: { total: 90, cases: 8 }, intake_no_show: { numerator: 4, denominator: 12 } }, reason: 'recount' }],
  ['2025-05-05T09:00:00Z', 'AssessProgress', { ...ids(A1), period: '2025-04', coachId: COACH, score: 2.5, comment: 'Testing changes, modest improvement' }],
  ['2025-05-05T09:00:00Z', 'StartChartPhase', { collaborativeId: C1, measureId: 'intake_no_show', startsWith: '2025-03', freezeThrough: '2025-04', reason: 'New intake process' }],
  ['2025-05-05T09:00:00Z', 'RetireMeasure', { collaborativeId: C1, measureId: 'same_day_starts', reason: 'Merged into intake' }],
  ['2025-04-03T09:00:00Z', 'RecordCoachingNote', { ...ids(A1), coachId: COACH, coachedOn: '2025-04-03', assistance: 'Walk-in hours' }],
  ['2025-04-04T09:00:00Z', 'OpenCohort', { collaborativeId: C1, cohortId: COHORT2, name: 'Two', startsOn: '2025-07-01', capacity: 8 }],
  ['2025-04-04T09:00:00Z', 'SubmitApplication', { ...ids(X1), agencyName: 'Lakeside', contact: { name: 'Lee', email: 'l@example.org' }, proposal: 'p' }],
  ['2025-04-04T09:00:00Z', 'AdmitAgency', { ...ids(X1), cohortId: COHORT2 }],
  ['2025-04-04T09:00:00Z', 'AssignPeerMentor', { ...ids(X1), mentorAgencyId: A1 }],
  // Issue 16: organisations, people, a mentor's contact and recruit.
  ['2025-04-04T09:00:00Z', 'RegisterOrganisation', { organisationId: A1, kind: 'provider', name: 'Riverside' }],
  ['2025-04-04T09:00:00Z', 'UpdateOrganisation', { organisationId: A1, name: 'Riverside Health' }],
  ['2025-04-04T09:00:00Z', 'AddSite', { organisationId: A1, siteId: D1, name: 'Main St', levelsOfCare: ['outpatient'] }],
  ['2025-04-04T09:00:00Z', 'RegisterPerson', { personId: X1, organisationId: A1, name: 'Pat Doe', email: 'pat@example.org' }],
  ['2025-04-04T09:00:00Z', 'ChangePersonContact', { personId: X1, name: 'Pat Doe', email: 'pat@example.org', phone: '555 0101' }],
  ['2025-04-04T09:00:00Z', 'MovePerson', { personId: X1, organisationId: null }],
  ['2025-04-04T09:00:00Z', 'LogMentoringContact', { mentorAgencyId: A1, contactId: D1, collaborativeId: C1, menteeAgencyId: X1, contactedOn: '2025-04-04', mode: 'phone', topic: 'Walk-in hours' }],
  ['2025-04-04T09:00:00Z', 'CreditRecruitment', { mentorAgencyId: A1, mentorCollaborativeId: C1, collaborativeId: C1, applicantAgencyId: A2 }],
  ['2025-04-05T09:00:00Z', 'StartChangeProject', { projectId: P1, ...ids(A1), title: 'Walk-in', aim: 'Cut wait', measure: 'waiting_time', baselineValue: 10, targetValue: 3, targetDate: '2025-08-01', changeIdea: 'Walk-in hours', levelOfCare: 'outpatient', team: [{ name: 'Sam', role: 'Change Leader' }] }],
  ['2025-04-20T09:00:00Z', 'LogPDSACycle', { projectId: P1, cycleNumber: 1, beginsOn: '2025-04-06', endsOn: '2025-04-19', changeTested: 'Tuesdays', prediction: 'half', steps: [{ step: 'post', who: 'desk' }], result: '8/10', decision: 'adopt' }],
  ['2025-04-21T09:00:00Z', 'CompleteChangeProject', { projectId: P1, actualEndOn: '2025-04-21', lessons: 'l', impact: 'i', sustainPlan: 's' }],
  ['2025-04-21T09:00:00Z', 'StartChangeProject', { projectId: X1, ...ids(A1), title: 'Reminders', aim: 'Fewer no-shows', measure: 'intake_no_show', baselineValue: 0.3, targetValue: 0.15, targetDate: '2025-08-01', changeIdea: 'Calls', levelOfCare: 'outpatient', team: [{ name: 'Sam', role: 'Change Leader' }] }],
  ['2025-04-22T09:00:00Z', 'AbandonChangeProject', { projectId: X1, abandonedOn: '2025-04-22', reason: 'staff' }],
  ['2025-04-22T09:00:00Z', 'StartSystemChangeProject', { projectId: A2, collaborativeId: C1, title: 'Pay', aim: 'Pay fast', measure: 'waiting_time', baselineValue: 75, targetValue: 30, targetDate: '2025-09-30', changeIdea: 'Code', levelOfCare: 'other', team: [{ name: 'Casey', role: 'Leader' }] }],
  ['2025-04-22T09:00:00Z', 'StartChangeProject', { projectId: COHORT2, ...ids(A1), title: 'Left open', aim: 'a', measure: 'waiting_time', baselineValue: 10, targetValue: 3, targetDate: '2025-08-01', changeIdea: 'c', levelOfCare: 'outpatient', team: [{ name: 'Sam', role: 'Change Leader' }] }],
  ['2025-04-22T09:00:00Z', 'ScheduleSiteVisit', { visitId: V1, ...ids(A1), coachId: COACH, scheduledAt: '2025-05-01T10:00:00Z', agenda: 'a' }],
  ['2025-04-23T09:00:00Z', 'RescheduleSiteVisit', { visitId: V1, scheduledAt: '2025-05-02T10:00:00Z' }],
  ['2025-05-02T15:00:00Z', 'CompleteSiteVisit', { visitId: V1, completedOn: '2025-05-02', summary: 'Good' }],
  ['2025-05-02T15:00:00Z', 'ScheduleSiteVisit', { visitId: P1, ...ids(A1), coachId: COACH, scheduledAt: '2025-06-01T10:00:00Z', agenda: 'a' }],
  ['2025-05-02T15:00:00Z', 'CancelSiteVisit', { visitId: P1, reason: 'r' }],
  ['2025-05-03T09:00:00Z', 'ScheduleMeeting', { meetingId: M1, collaborativeId: C1, kind: 'regular_call', modality: 'phone', startsAt: '2025-05-10T15:00:00Z', durationMinutes: 60, callIn: '555', agenda: 'a', invitedAgencyIds: [A1, X1] }],
  ['2025-05-04T09:00:00Z', 'RescheduleMeeting', { meetingId: M1, startsAt: '2025-05-11T15:00:00Z' }],
  ['2025-05-04T09:00:00Z', 'AssignPresenters', { meetingId: M1, agencyIds: [A1, X1] }],
  // Issue 16: people at meetings.
  ['2025-05-04T09:00:00Z', 'InviteToMeeting', { meetingId: M1, invitees: { invitedPersonIds: [P1], audiences: [{ type: 'all_change_leaders' }] } }],
  ['2025-05-04T09:00:00Z', 'SetMeetingProgramme', { meetingId: M1, facilitators: [{ personId: P1 }], presenters: [{ agencyId: A1, startOffsetMinutes: 0, minutes: 15 }] }],
  ['2025-05-04T09:00:00Z', 'SetMeetingCreditHours', { meetingId: M1, creditHours: 1 }],
  ['2025-05-05T09:00:00Z', 'RegisterForMeeting', { meetingId: M1, personId: P1, agencyId: A1 }],
  ['2025-05-05T09:00:00Z', 'CancelMeetingRegistration', { meetingId: M1, personId: P1 }],
  ['2025-05-11T16:00:00Z', 'RecordAttendance', { meetingId: M1, attendance: [{ agencyId: A1, present: true, attendees: ['Sam'] }, { agencyId: X1, present: false, attendees: [] }] }],
  ['2025-05-11T16:00:00Z', 'RecordPersonAttendance', { meetingId: M1, attendance: [{ personId: P1, agencyId: A1, present: true, minutesAttended: 30 }] }],
  ['2025-05-12T09:00:00Z', 'PublishMinutes', { meetingId: M1, minutes: 'm' }],
  ['2025-05-12T10:00:00Z', 'CorrectMinutes', { meetingId: M1, minutes: 'm2', reason: 'typo' }],
  ['2025-05-12T11:00:00Z', 'PrepareMeetingPacket', { meetingId: M1, packetId: V1 }],
  ['2025-05-12T10:00:00Z', 'ScheduleMeeting', { meetingId: V1, collaborativeId: C1, kind: 'completion_conference', modality: 'in_person', startsAt: '2025-06-10T15:00:00Z', durationMinutes: 240, location: 'Capitol', agenda: 'a', invitedAgencyIds: [A1] }],
  ['2025-05-12T10:00:00Z', 'CancelMeeting', { meetingId: V1, reason: 'r' }],
  ['2025-05-13T10:00:00Z', 'WithdrawAgency', { ...ids(X1), withdrawnOn: '2025-05-13' }],
  ['2025-06-30T10:00:00Z', 'CompleteParticipation', { ...ids(A1), completedOn: '2025-06-30', closeOpenProjects: true }],
  ['2025-05-14T10:00:00Z', 'AttachDocument', { documentId: D1, collaborativeId: C1, target: { kind: 'site-visit', id: V1 }, fileName: 'report.pdf', contentType: 'application/pdf', size: 10, sha256: 'a'.repeat(64), storageKey: 'd/1', uploadedBy: { actorId: 'u', actorRole: 'coach' } }],
  ['2025-05-14T11:00:00Z', 'ReplaceDocument', { documentId: D1, fileName: 'report v2.pdf', contentType: 'application/pdf', size: 12, sha256: 'b'.repeat(64), storageKey: 'd/2', replacedBy: { actorId: 'u', actorRole: 'coach' } }],
  ['2025-05-14T12:00:00Z', 'RemoveDocument', { documentId: D1, reason: 'wrong visit' }],
  ['2025-05-15T09:00:00Z', 'SendAnnouncement', { announcementId: '99999999-9999-4999-8999-999999999992', collaborativeId: C1, subject: 'Moved', body: 'The call moves', audience: 'change_leaders', cohortId: COHORT1, recipients: [{ personId: X1, name: 'Sam', email: 's@example.org', role: 'change_leader', agencyId: A1, organisation: 'Riverside' }] }],
  ['2025-06-30T10:00:00Z', 'CloseCollaborative', { collaborativeId: C1, closedOn: '2025-06-30' }],
];

describe('a whole collaborative through executeCommand', () => {
  it('emits every event type, each parsing under its schema, and breaks no invariant', async () => {
    const store = new InMemoryEventStore();
    for (const [now, type, data] of script) {
      const r = await executeCommand(store, { type, data }, { now, actorId: 'u', actorRole: 'convener', correlationId: type });
      expectEventsParse(r.events);
    }
    const log = await store.readAll();
    expectEventsParse(log.map((e) => ({ type: e.type, data: e.data })));
    expect(Object.keys(eventSchemas).filter((t) => !log.some((e) => e.type === t))).toEqual([]);
    expect(checkHistory(log)).toEqual([]);
  });
});
