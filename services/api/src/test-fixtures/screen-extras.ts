// The frontend-screens test's additions to the seed year (issue 14): what the selection screen,
// the expenditures and the coach's agencies need beyond it.
import { SEED_IDS as ID, seedYearSteps, type SeedStep } from './seed-year';

const C = ID.collaborative;
// Beyond the seed year: a second reviewer, an application left undecided and one declined, so the
// selection screen shows every status with several reviewers' scores; the coach also coaches agency 3.
export const EXTRA = {
  reviewer2: '0190a000-0000-7000-8000-000000000036',
  agency4: '0190a000-0000-7000-8000-000000000024',
  agency5: '0190a000-0000-7000-8000-000000000025',
  travel: '0190a000-0000-7000-8000-000000000082',
};
export const at = (day: string) => `${day}T09:00:00.000Z`;
const application = (agencyId: string, agencyName: string) => ({
  agencyId, agencyName, contact: { name: `${agencyName} Director`, email: 'director@example.org', phone: '555-0100' },
  proposal: `${agencyName} will cut days from first contact to treatment and intake no-shows.`,
});
const extraSteps = (): SeedStep[] => {
  const A = (agencyId: string) => `/v1/collaboratives/${C}/agencies/${agencyId}`;
  const s = (name: string, command: SeedStep['command'], day: string, url: string, body: Record<string, unknown>, status: 200 | 201 = 200, method: 'POST' | 'PUT' = 'POST'): SeedStep =>
    ({ name, command, at: at(day), as: 'admin', method, url, body, status });
  return [
    s('agency 4 applies', 'SubmitApplication', '2025-01-17', `/v1/collaboratives/${C}/applications`, application(EXTRA.agency4, 'Mountain View Services'), 201),
    s('agency 5 applies', 'SubmitApplication', '2025-01-17', `/v1/collaboratives/${C}/applications`, application(EXTRA.agency5, 'Valley Care'), 201),
    s('reviewer 2 scores agency 1', 'ScoreApplication', '2025-01-21', `${A(ID.agency1)}/application/scores`, { reviewerId: EXTRA.reviewer2, scores: [{ criterion: 'Leadership commitment', score: 8 }, { criterion: 'Data capacity', score: 8 }] }),
    s('reviewer 1 scores agency 4', 'ScoreApplication', '2025-01-21', `${A(EXTRA.agency4)}/application/scores`, { reviewerId: ID.reviewer, scores: [{ criterion: 'Leadership commitment', score: 6 }, { criterion: 'Data capacity', score: 6 }], notes: 'New director' }),
    s('reviewer 2 scores agency 4', 'ScoreApplication', '2025-01-21', `${A(EXTRA.agency4)}/application/scores`, { reviewerId: EXTRA.reviewer2, scores: [{ criterion: 'Leadership commitment', score: 9 }, { criterion: 'Data capacity', score: 9 }] }),
    s('reviewer 1 scores agency 5', 'ScoreApplication', '2025-01-21', `${A(EXTRA.agency5)}/application/scores`, { reviewerId: ID.reviewer, scores: [{ criterion: 'Leadership commitment', score: 3 }, { criterion: 'Data capacity', score: 4 }] }),
    s('decline agency 5', 'DeclineApplication', '2025-01-24', `${A(EXTRA.agency5)}/application/decline`, { reason: 'No executive sponsor named' }),
    s('record coach travel', 'RecordExpenditure', '2025-04-16', `/v1/collaboratives/${C}/expenditures`, { expenditureId: EXTRA.travel, amountCents: 18250, category: 'travel', spentOn: '2025-04-15', note: 'Mileage to Riverside for the site visit' }, 201),
    s('assign the coach to agency 3', 'AssignCoach', '2025-07-03', `${A(ID.agency3)}/coach`, { coachId: ID.coach }, 200, 'PUT'),
  ];
};
/** The seed year with the extra steps placed by their clock (stable: seed steps first on a tie). */
export const allSteps = (): SeedStep[] => {
  const steps = [...seedYearSteps(), ...extraSteps()].map((step, i) => ({ step, i }));
  return steps.sort((a, b) => a.step.at.localeCompare(b.step.at) || a.i - b.i).map(({ step }) => step);
};
