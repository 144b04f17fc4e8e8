// What folding a collaborative's stream costs, by its length (issue 13: participation commands
// take the collaborative as context; a cold state cache folds it whole, a warm one folds only new
// events). Per event of a stream of n events: flat if the fold copies nothing that grows with n.
// Run: npx tsx scripts/bench/fold-cost.ts
import { randomUUID } from 'node:crypto';
import { evolveStream } from '@convene/domain';

const launched = {
  type: 'CollaborativeLaunched',
  data: {
    collaborativeId: 'c1', convener: { organizationName: 'Convener' }, startsOn: '2025-01-01', endsOn: '2026-12-31',
    focusMeasures: [], catalogue: [],
  },
};
const history = (n: number) => {
  const events: { type: string; data: unknown }[] = [launched];
  const cohorts = Math.max(1, Math.floor(n / 400));
  for (let c = 0; c < cohorts; c++) events.push({ type: 'CohortOpened', data: { collaborativeId: 'c1', cohortId: `k${c}`, sequence: c + 1, startsOn: '2025-02-01', capacity: 100_000 } });
  for (let i = events.length; i < n; i++) {
    // Half enrolments, half expenditures: the two lists that grow with use.
    events.push(i % 2
      ? { type: 'AgencyEnrolledInCohort', data: { collaborativeId: 'c1', cohortId: `k${i % cohorts}`, agencyId: randomUUID() } }
      : { type: 'ExpenditureRecorded', data: { collaborativeId: 'c1', expenditureId: randomUUID(), amountCents: 100, category: 'travel', spentOn: '2025-04-02' } });
  }
  return events;
};
for (const n of [1_000, 5_000, 20_000]) {
  const events = history(n);
  evolveStream('collaborative', events); // warm
  const started = performance.now();
  evolveStream('collaborative', events);
  const ms = performance.now() - started;
  console.log(`${n} events: ${ms.toFixed(1)} ms whole, ${((ms * 1000) / n).toFixed(2)} µs per event`);
}
