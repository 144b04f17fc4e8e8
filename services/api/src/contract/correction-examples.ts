// Issue 16's commands in the contract's story (examples.ts): corrections, each with its reason,
// and the system-level Change Team's project. Story order is the test's (examples.int.test.ts).
import { EXAMPLE_IDS as I } from './examples';

const person = (personId: string, name: string) => ({ personId, name, email: `${name.toLowerCase().replace(' ', '.')}@example.org` });

/** A function: examples.ts calls it once its ids exist (the two modules import each other). */
export const correctionExamples = () => ({
  CorrectCollaborativeDates: { startsOn: '2025-02-01', endsOn: '2026-01-31', reason: 'The funder extended the year by a month' },
  ChangeMeetingCadence: { meetingCadence: 'quarterly', reason: 'The agencies asked for fewer, longer learning sessions' },
  SetBudget: { amountCents: 1000000, reason: 'The approved budget for learning sessions' },
  CorrectExpenditure: { amountCents: 240000, category: 'meetings', spentOn: '2025-01-30', note: 'Kick-off venue', reason: 'The invoice was 2,400.00, not 2,500.00' },
  CorrectApplicationScore: {
    reviewerId: I.reviewer,
    scores: [{ criterion: 'Leadership commitment', score: 9 }, { criterion: 'Data capacity', score: 8 }],
    notes: 'Strong sponsor; data capacity re-checked',
    reason: 'Data capacity was scored from the old form',
  },
  RemoveAgencyRole: { role: 'change_leader', personId: I.person, reason: 'Moved to another clinic', successor: person(I.person2, 'Robin Leader') },
  CorrectWalkThrough: { walkedThroughOn: '2025-02-06', findings: 'Callers wait for a call back; intake paperwork is duplicated.', reason: 'The walk-through was on the 6th' },
  CorrectBaselinePeriod: { baselinePeriod: { from: '2024-11-01', to: '2025-01-31' }, reason: 'The baseline counts cover three months, not two' },
  StartSystemChangeProject: {
    projectId: I.systemProject,
    title: 'Pay for same-day intake',
    aim: "Pay agencies' same-day intakes within 30 days, down from 75, by September",
    measure: 'waiting_time',
    baselineValue: 75,
    targetValue: 30,
    targetDate: '2025-09-30',
    startedOn: '2025-03-03',
    changeIdea: 'A billing code for walk-in intake, paid on the weekly run',
    customers: 'Agencies billing walk-in intakes',
    levelOfCare: 'other',
    team: [{ name: 'Casey Convener', role: 'Change Leader' }],
  },
  VoidExpenditure: { reason: 'The venue cancelled and refunded the booking' },
  RemoveSystemRole: { role: 'coach', personId: I.coach, reason: 'Moved to another program', successor: person(I.coach2, 'Dana Coach') },
});
