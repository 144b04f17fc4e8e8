// The demo collaborative of `npm run seed` as HTTP commands, dated relative to today: a collaborative
// in the 7th month of its year, two cohorts (the first since month 2, the second since month 5),
// a dozen agencies with walk-throughs, baselines and months of measures, change projects and PDSA
// cycles, coaching notes, a peer mentor, expenditures, meetings and site visits ahead, and one call
// and one visit held today (with attendance, minutes and a summary), and the earlier months' kick-off,
// calls and a visit recorded after the fact (RecordHeldMeeting, RecordHeldSiteVisit: issue 16).
// Today's call and visit are scheduled a few seconds ahead and recorded once their time has come
// (`wait` steps), so the seed also shows the live path: attendance and minutes wait for the start.
import { randomUUID } from 'node:crypto';
import { addDays, at, monthStart, monthsFrom, weekdayOnOrAfter } from './calendar';

export interface Command {
  name: string;
  method: 'POST' | 'PUT';
  url: string;
  /** A function is read when the command is sent (the held call's time is set then). */
  body: Record<string, unknown> | (() => Record<string, unknown>);
}
/** Waits until this instant (the held call and visit need their time to have come). */
export interface Wait {
  name: string;
  until: () => string;
}
export type Step = Command | Wait;
/** Phases run one after the other; the chains of a phase run side by side, each in order. */
export type Plan = Step[][][];

export interface SeedIds {
  collaborativeId: string;
  cohorts: [string, string];
  agencies: { agencyId: string; name: string; cohort: 0 | 1 }[];
  heldMeetingId: string;
  heldVisitId: string;
}

const AGENCIES = [
  'Riverside Recovery', 'Hillside Health', 'Lakeside Clinic', 'Northgate Treatment Center', 'Cedar Valley Counseling', 'Harbor Light Services',
  'Pine Ridge Behavioral Health', 'Meadowbrook Recovery', 'Summit Outpatient', 'Bayview Family Services', 'Oak Street Clinic', 'Prairie Wellness Center',
];
const FIRST = ['Avery', 'Morgan', 'Jordan', 'Riley', 'Casey', 'Taylor', 'Quinn', 'Reese', 'Skyler', 'Drew', 'Rowan', 'Emerson', 'Harper', 'Jamie', 'Sage', 'Parker'];
const LAST = ['Nguyen', 'Okafor', 'García', 'Patel', 'Kowalski', 'Haddad', 'Brooks', 'Lindqvist', 'Moreau', 'Tanaka', 'Adeyemi', 'Reyes', 'Murphy', 'Schmidt', 'Ibrahim', 'Castillo'];
const CHANGES = [
  { title: 'Same-day intake', idea: 'Offer a walk-in intake every morning', measure: 'waiting_time', tests: ['Walk-in intake on Mondays', 'Walk-in intake every morning', 'One-page intake paperwork'] },
  { title: 'Reminder calls', idea: 'Call every client the day before the intake appointment', measure: 'intake_no_show', tests: ['Reminder call the day before', 'Text plus call reminders', 'Reminder by the intake counselor'] },
  { title: 'First-call scheduling', idea: 'Book the assessment during the first phone call', measure: 'waiting_time', tests: ['Open assessment slots for first calls', 'Front desk books directly', 'Hold two slots a day for callers'] },
  { title: 'Transport vouchers', idea: 'Give bus vouchers to clients without transport', measure: 'intake_no_show', tests: ['Vouchers at the first call', 'Ride-share for rural clients'] },
];
const FINDINGS = [
  'Callers wait for a call back; intake paperwork is asked twice.',
  'The phone line goes to voicemail after 3 pm; no one owns the call-back list.',
  'Assessment slots are booked three weeks out; walk-ins are turned away.',
  'Clients are asked for the same history by three staff members.',
];

/** The demo as commands, for `today` (yyyy-mm-dd) and `now` (the instant seeding starts). */
export function seedPlan(today: string, newId: () => string = randomUUID, clock: () => Date = () => new Date()): { plan: Plan; ids: SeedIds; collaborativeName: string } {
  const C = newId();
  const startsOn = monthStart(today, -6); // today is in month 7
  const endsOn = addDays(monthStart(startsOn, 12), -1);
  // Cohorts start in month 2 and month 5: walk-throughs happen in the weeks before, within the collaborative.
  const cohortStarts = [monthStart(startsOn, 1), monthStart(startsOn, 4)] as const;
  const lastMonth = monthStart(today, -1);
  const cohorts: [string, string] = [newId(), newId()];
  const person = (i: number) => {
    const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`;
    return { personId: newId(), name, email: `${name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(' ', '.')}@example.org` };
  };
  const staff = { sponsor: person(0), leader: person(1), data: person(2), coachA: person(3), coachB: person(4), convener: person(5) };
  const reviewers = [newId(), newId()];
  const agencies = AGENCIES.map((name, i) => ({ agencyId: newId(), name, cohort: (i < 7 ? 0 : 1) as 0 | 1 }));
  const pending = { agencyId: newId(), name: 'Granite City Recovery' };
  const declined = { agencyId: newId(), name: 'Willow Creek Services' };
  const base = `/v1/collaboratives/${C}`;
  const A = (agencyId: string) => `${base}/agencies/${agencyId}`;
  const post = (name: string, url: string, body: Command['body']): Command => ({ name, method: 'POST', url, body });
  const put = (name: string, url: string, body: Record<string, unknown>): Command => ({ name, method: 'PUT', url, body });
  const collaborativeName = `Access to Treatment ${startsOn.slice(0, 4)}–${endsOn.slice(0, 4)}`;

  const application = (a: { agencyId: string; name: string }, i: number) => post(`${a.name} applies`, `${base}/applications`, {
    agencyId: a.agencyId, agencyName: a.name,
    contact: { name: `${person(40 + i).name}`, email: `director@${a.name.toLowerCase().replace(/[^a-z]+/g, '')}.example.org`, phone: `555-01${String(10 + i).padStart(2, '0')}` },
    proposal: `${a.name} will cut the days from first contact to treatment and the intake no-shows, starting with ${CHANGES[i % CHANGES.length]!.title.toLowerCase()}.`,
  });
  const score = (a: { agencyId: string; name: string }, i: number, r: number) => post(`reviewer ${r + 1} scores ${a.name}`, `${A(a.agencyId)}/application/scores`, {
    reviewerId: reviewers[r], scores: [
      { criterion: 'Leadership commitment', score: 5 + ((i * 3 + r) % 5) },
      { criterion: 'Data capacity', score: 4 + ((i * 5 + r * 2) % 6) },
      { criterion: 'Readiness to change', score: 6 + ((i + r) % 4) },
    ], ...(r === 0 ? { notes: i % 3 === 0 ? 'Strong executive sponsor' : 'Clear aim; data coordinator named' } : {}),
  });

  /** Monthly counts with a realistic trend: days to treatment and no-shows fall month by month. */
  const counts = (i: number, step: number) => {
    const treated = 18 + ((i * 7) % 15) + step;
    const days = Math.max(6, 32 - (i % 5) * 2 - step * 2.6);
    const scheduled = 40 + ((i * 3) % 20) + step;
    const noShowRate = Math.max(0.12, 0.36 - (i % 4) * 0.02 - step * 0.025);
    return {
      clientsTreated: treated, totalDaysToTreatment: Math.round(days * treated), medianDaysToTreatment: Math.round(days),
      intakeScheduled: scheduled, intakeNoShows: Math.round(scheduled * noShowRate), admissions: treated,
    };
  };

  const agencyChain = (a: (typeof agencies)[number], i: number): Step[] => {
    const cohortStart = cohortStarts[a.cohort];
    const coachId = i % 2 === 0 ? staff.coachA.personId : staff.coachB.personId;
    const months = monthsFrom(cohortStart, lastMonth).filter((_, k, all) => !(i % 4 === 3 && k === all.length - 1)); // some agencies are late with last month
    const change = CHANGES[i % CHANGES.length]!;
    const projectId = newId();
    const cycles = a.cohort === 0 ? change.tests.length : 1;
    const steps: Step[] = [
      post(`${a.name} names its executive sponsor`, `${A(a.agencyId)}/roles`, { role: 'executive_sponsor', person: person(10 + i * 3) }),
      post(`${a.name} names its change leader`, `${A(a.agencyId)}/roles`, { role: 'change_leader', person: person(11 + i * 3) }),
      post(`${a.name} names a change team member`, `${A(a.agencyId)}/roles`, { role: 'change_team_member', person: person(12 + i * 3) }),
      put(`assign a coach to ${a.name}`, `${A(a.agencyId)}/coach`, { coachId }),
      post(`${a.name} submits its walk-through`, `${A(a.agencyId)}/walk-through`, { walkedThroughOn: addDays(cohortStart, -20 + (i % 5)), findings: FINDINGS[i % FINDINGS.length] }),
      post(`${a.name} records its baseline`, `${A(a.agencyId)}/baseline`, { period: { from: monthStart(cohortStart, -3), to: addDays(cohortStart, -1) }, counts: counts(i, -2) }),
      ...months.map((month, k) => post(`${a.name} records ${month}`, `${A(a.agencyId)}/measures`, { month, counts: counts(i, k) })),
      post(`${a.name} starts a change project`, `${A(a.agencyId)}/change-projects`, {
        projectId, title: change.title, aim: `${change.title}: ${change.measure === 'waiting_time' ? 'cut days from first contact to treatment by a third' : 'halve intake no-shows'} by ${endsOn.slice(0, 7)}`,
        measure: change.measure, baselineValue: change.measure === 'waiting_time' ? 30 : 0.34, targetValue: change.measure === 'waiting_time' ? 20 : 0.17, targetDate: endsOn,
        changeIdea: change.idea, customers: 'Adults calling for outpatient treatment', levelOfCare: 'outpatient',
        team: [{ name: person(11 + i * 3).name, role: 'Change leader' }, { name: person(12 + i * 3).name, role: 'Intake counselor' }],
      }),
      ...Array.from({ length: cycles }, (_, k) => {
        const begins = addDays(cohortStart, 21 + k * 28);
        return post(`${a.name} logs PDSA cycle ${k + 1}`, `/v1/change-projects/${projectId}/pdsa-cycles`, {
          cycleNumber: k + 1, beginsOn: begins, endsOn: addDays(begins, 20), changeTested: change.tests[k]!,
          prediction: k === 0 ? 'A third of clients will benefit in the first weeks' : 'Most clients will benefit',
          steps: [{ step: `Try: ${change.tests[k]!.toLowerCase()}`, who: person(11 + i * 3).name }, { step: 'Count results daily', who: person(12 + i * 3).name }],
          result: k === 0 ? 'Fewer than predicted; staff needed a script' : 'The measure moved as predicted', decision: k === cycles - 1 && a.cohort === 0 ? 'adopt' : 'adapt',
        });
      }),
      post(`the coach notes assistance to ${a.name}`, `${A(a.agencyId)}/coaching-notes`, { coachId, coachedOn: addDays(cohortStart, 30), assistance: 'Walked through the run chart; chose the first change to test.' }),
    ];
    if (a.cohort === 0) steps.push(post(`the coach notes assistance to ${a.name} again`, `${A(a.agencyId)}/coaching-notes`, { coachId, coachedOn: addDays(cohortStart, 95), assistance: 'Reviewed PDSA cycle results; planned how to sustain the change.' }));
    if (i === 0) {
      steps.push(post(`${a.name} completes its change project`, `/v1/change-projects/${projectId}/completion`, {
        actualEndOn: addDays(cohortStart, 21 + 2 * 28 + 25), lessons: 'Small tests moved us faster than planning did', impact: 'Days to treatment 30 -> 19', sustainPlan: 'Walk-in intake is policy; monthly review by the change team',
      }));
    }
    return steps;
  };

  // Meetings and visits: one call and one visit held today (scheduled seconds ahead, recorded once
  // their time has come), and the months ahead. The held time is set when the call is scheduled.
  let held: string | null = null;
  const heldAt = () => (held ??= new Date(Math.ceil((clock().getTime() + 8_000) / 1000) * 1000).toISOString());
  const heldMeetingId = newId();
  const heldVisitId = newId();
  const all = agencies.map((a) => a.agencyId);
  const nextCall = weekdayOnOrAfter(monthStart(today, 1));
  // The months behind: the kick-off and the monthly calls, recorded after the fact with attendance
  // and minutes (issue 16), each for the agencies whose cohort had begun.
  const pastMeetings: Step[] = [1, 2, 3, 4, 5].map((k) => {
    const day = weekdayOnOrAfter(k === 1 ? cohortStarts[0] : addDays(monthStart(startsOn, k), 7));
    const invited = agencies.filter((a) => cohortStarts[a.cohort] <= day);
    return post(k === 1 ? 'record the kick-off learning session' : `record the regular call of month ${k + 1}`, `${base}/held-meetings`, {
      meetingId: newId(), kind: k === 1 ? 'kick_off_learning_session' : 'regular_call', modality: k === 1 ? 'in_person' : 'video', heldAt: at(day, k === 1 ? '13:00' : '15:00'),
      durationMinutes: k === 1 ? 300 : 60, ...(k === 1 ? { location: 'State Office Building, Room 4' } : { callIn: 'https://meet.example.org/access-to-treatment' }),
      agenda: k === 1 ? 'NIATx principles; walk-through findings; choosing a first change' : 'Each agency: last month\'s run chart and the next PDSA cycle',
      invitedAgencyIds: invited.map((a) => a.agencyId),
      attendance: invited.map((a, i) => ({ agencyId: a.agencyId, present: (i + k) % 5 !== 0, attendees: (i + k) % 5 !== 0 ? [person(11 + agencies.indexOf(a) * 3).name] : [] })),
      minutes: k === 1 ? 'Agencies chose their first changes to test.' : `Agencies reported month ${k}; next call in four weeks.`,
    });
  });
  const meetings: Step[] = [
    ...pastMeetings,
    post('schedule today\'s regular call', `${base}/meetings`, () => ({
      meetingId: heldMeetingId, kind: 'regular_call', modality: 'video', startsAt: heldAt(), durationMinutes: 60,
      callIn: 'https://meet.example.org/access-to-treatment', agenda: 'Each agency: last month\'s run chart and the next PDSA cycle', invitedAgencyIds: all,
    })),
    post('schedule next month\'s regular call', `${base}/meetings`, {
      meetingId: newId(), kind: 'regular_call', modality: 'video', startsAt: at(nextCall, '15:00'), durationMinutes: 60,
      callIn: 'https://meet.example.org/access-to-treatment', agenda: 'Sustaining changes; second cohort\'s first results', invitedAgencyIds: all,
    }),
    ...(() => {
      const session = newId();
      const day = weekdayOnOrAfter(addDays(today, 40));
      return [
        post('schedule the mid-year learning session', `${base}/meetings`, {
          meetingId: session, kind: 'change_leader_meeting', modality: 'in_person', startsAt: at(weekdayOnOrAfter(addDays(today, 33)), '14:00'), durationMinutes: 300,
          location: 'State Office Building, Room 4', agenda: 'Change leaders present their projects; spreading what worked', invitedAgencyIds: all,
        }),
        put('assign presenters to the learning session', `/v1/meetings/${session}/presenters`, { agencyIds: [all[0]!, all[7]!] }),
        post('move the learning session a week later', `/v1/meetings/${session}/reschedule`, { startsAt: at(day, '14:00'), reason: 'Room booked for a state hearing' }),
      ];
    })(),
    ...(() => {
      const orientation = newId();
      return [
        post('schedule an orientation call', `${base}/meetings`, {
          meetingId: orientation, kind: 'orientation', modality: 'phone', startsAt: at(weekdayOnOrAfter(addDays(today, 10)), '16:00'), durationMinutes: 45,
          callIn: '+1 555 0100, code 4821', agenda: 'Orientation for new change team members', invitedAgencyIds: all.slice(7),
        }),
        post('cancel the orientation call', `/v1/meetings/${orientation}/cancellation`, { reason: 'Merged into next month\'s regular call' }),
      ];
    })(),
    post('schedule the completion conference', `${base}/meetings`, {
      meetingId: newId(), kind: 'completion_conference', modality: 'in_person', startsAt: at(weekdayOnOrAfter(addDays(endsOn, -20)), '13:00'), durationMinutes: 360,
      location: 'Capitol Conference Center', agenda: 'Results of the year; awards; what each agency sustains', invitedAgencyIds: all,
    }),
  ];
  const visits: Step[] = [
    post(`record last month's site visit to ${agencies[1]!.name}`, `${A(all[1]!)}/held-site-visits`, {
      visitId: newId(), coachId: staff.coachB.personId, heldAt: at(weekdayOnOrAfter(monthStart(today, -1)), '10:00'), agenda: 'Review the first PDSA cycle with the change team',
      completedOn: weekdayOnOrAfter(monthStart(today, -1)), summary: 'Reminder calls started; the change team meets weekly.',
    }),
    post(`schedule today's site visit to ${agencies[0]!.name}`, `${A(all[0]!)}/site-visits`, () => ({
      visitId: heldVisitId, coachId: staff.coachA.personId, scheduledAt: heldAt(), agenda: 'Walk the intake process with the change team; review run charts',
    })),
    ...agencies.slice(1, 5).flatMap((a, k) => {
      const visitId = newId();
      const steps: Command[] = [post(`schedule a site visit to ${a.name}`, `${A(a.agencyId)}/site-visits`, {
        visitId, coachId: (k + 1) % 2 === 0 ? staff.coachA.personId : staff.coachB.personId, scheduledAt: at(weekdayOnOrAfter(addDays(today, 7 + k * 6)), '14:00'),
        agenda: 'Walk-through of intake with the change team; review the latest PDSA cycle',
      })];
      if (k === 1) steps.push(post(`move the site visit to ${a.name}`, `/v1/site-visits/${visitId}/reschedule`, { scheduledAt: at(weekdayOnOrAfter(addDays(today, 21)), '10:00'), reason: 'Change leader on leave' }));
      return steps;
    }),
  ];
  const record: Step[] = [
    { name: 'wait for today\'s call and visit to begin', until: heldAt },
    post('record attendance of today\'s call', `/v1/meetings/${heldMeetingId}/attendance`, {
      attendance: agencies.map((a, i) => ({ agencyId: a.agencyId, present: i % 6 !== 5, attendees: i % 6 !== 5 ? [person(11 + i * 3).name, person(12 + i * 3).name] : [] })),
    }),
    post('publish the minutes of today\'s call', `/v1/meetings/${heldMeetingId}/minutes`, {
      minutes: `Ten agencies reported last month's data. ${agencies[0]!.name} adopted walk-in intake; ${agencies[7]!.name} starts reminder calls. Next call on ${nextCall}.`,
    }),
    post('correct the minutes of today\'s call', `/v1/meetings/${heldMeetingId}/minutes/corrections`, {
      minutes: `Ten agencies reported last month's data. ${agencies[0]!.name} adopted walk-in intake; ${agencies[7]!.name} and ${agencies[8]!.name} start reminder calls. Next call on ${nextCall}.`,
      reason: `${agencies[8]!.name} was left out`,
    }),
    post(`complete today's site visit to ${agencies[0]!.name}`, `/v1/site-visits/${heldVisitId}/completion`, {
      completedOn: today, summary: 'Walk-in intake runs every morning; paperwork is down to one page. Next: sustain plan and staff rota.',
    }),
  ];

  const plan: Plan = [
    // The collaborative, its people and cohorts, then every application.
    [[
      post('launch the collaborative', '/v1/collaboratives', {
        collaborativeId: C, name: collaborativeName, aim: 'Cut days from first contact to treatment and intake no-shows across the state\'s outpatient providers',
        convener: { organizationName: 'State Division of Substance Use Services', contact: staff.convener }, focusMeasures: ['waiting_time', 'intake_no_show'],
        startsOn, endsOn, meetingCadence: 'monthly', measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
      }),
      post('appoint the executive sponsor', `${base}/system-roles`, { role: 'executive_sponsor', person: staff.sponsor }),
      post('appoint the change leader', `${base}/system-roles`, { role: 'change_leader', person: staff.leader }),
      post('appoint the data coordinator', `${base}/system-roles`, { role: 'data_coordinator', person: staff.data }),
      post('appoint a coach', `${base}/system-roles`, { role: 'coach', person: staff.coachA }),
      post('appoint a second coach', `${base}/system-roles`, { role: 'coach', person: staff.coachB }),
      post('open the first cohort', `${base}/cohorts`, { cohortId: cohorts[0], name: 'Cohort 1', startsOn: cohortStarts[0], capacity: 8 }),
      post('open the second cohort', `${base}/cohorts`, { cohortId: cohorts[1], name: 'Cohort 2', startsOn: cohortStarts[1], capacity: 8 }),
      ...[
        ['coaching', 240000, 20, 'Coaching contract, first quarter'], ['meetings', 185000, 2, 'Kick-off venue and catering'], ['travel', 18250, 45, 'Coach mileage for site visits'],
        ['stipends', 350000, 60, 'Agency participation stipends'], ['materials', 42000, 95, 'Printed change-team workbooks'], ['data', 120000, 120, 'Data portal licence'],
      ].map(([category, amountCents, day, note]) => post(`record ${note}`, `${base}/expenditures`, { expenditureId: newId(), category, amountCents, spentOn: addDays(startsOn, day as number), note })),
    ]],
    [[...agencies, pending, declined].map((a, i) => application(a, i))],
    [[...agencies, pending, declined].map((a, i) => [score(a, i, 0), score(a, i, 1)]).flat()],
    // Admissions change the collaborative's enrolment: one at a time.
    [[
      ...agencies.map((a) => post(`admit ${a.name}`, `${A(a.agencyId)}/admission`, { cohortId: cohorts[a.cohort] })),
      post(`decline ${declined.name}`, `${A(declined.agencyId)}/application/decline`, { reason: 'No executive sponsor named; invited to apply next year' }),
    ]],
    // Each agency's year, side by side.
    agencies.map((a, i) => agencyChain(a, i)),
    [[put(`${agencies[0]!.name} mentors ${agencies[7]!.name}`, `${A(agencies[7]!.agencyId)}/peer-mentor`, { mentorAgencyId: agencies[0]!.agencyId })], meetings, visits],
    [record],
  ];
  return { plan, ids: { collaborativeId: C, cohorts, agencies, heldMeetingId, heldVisitId }, collaborativeName };
}
