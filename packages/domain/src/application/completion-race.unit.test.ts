// Issue 16: completion and a new change project decided at the same time. The completion reads
// the agency's projects; a project started after that read bumps the participation stream
// (AgencyChangeProjectOpened), so the completion's append is refused by its expected version and
// decided again, now seeing the project: it is refused, and no project stays active after completion.
import { describe, expect, it } from '@jest/globals';
import { A1, C1, COACH, COHORT1, P1, launchData, person } from '../shared/fixtures';
import { DomainError } from '../shared/errors';
import { streamIds } from '../shared/ids';
import { executeCommand } from './execute';
import { checkHistory } from './invariants';
import { RacingStore } from './racing-store';

const meta = (now: string) => ({ now, actorId: 'u', actorRole: 'admin', correlationId: 'c' });
const ids = { collaborativeId: C1, agencyId: A1 };
const start = {
  projectId: P1, ...ids, title: 't', aim: 'a', measure: 'waiting_time', baselineValue: 10, targetValue: 5, targetDate: '2025-12-31', changeIdea: 'c', levelOfCare: 'outpatient',
  team: [{ name: 'n', role: 'r' }],
};

/** A store where another command lands just before the first completion's append. */
const racingStore = () =>
  new RacingStore('CompleteParticipation', (store) => executeCommand(store, { type: 'StartChangeProject', data: start }, meta('2025-05-01T10:00:00Z'), { cache: false }));

describe('issue 16: completion racing a new change project', () => {
  it('the completion is decided again and refused, naming the project started meanwhile', async () => {
    const store = racingStore();
    const setup: [string, unknown][] = [
      ['LaunchCollaborative', launchData],
      ['AppointSystemRole', { collaborativeId: C1, role: 'coach', person: person(COACH) }],
      ['OpenCohort', { collaborativeId: C1, cohortId: COHORT1, name: 'One', startsOn: '2025-02-01', capacity: 2 }],
      ['SubmitApplication', { ...ids, agencyName: 'A', contact: { name: 'S', email: 's@example.org' }, proposal: 'p' }],
      ['AdmitAgency', { ...ids, cohortId: COHORT1 }],
    ];
    for (const [type, data] of setup) await executeCommand(store, { type, data }, meta('2025-01-10T10:00:00Z'));
    const refused: unknown = await executeCommand(store, { type: 'CompleteParticipation', data: { ...ids, completedOn: '2025-05-01' } }, meta('2025-05-01T10:00:00Z')).catch((e: unknown) => e);
    expect(store.raced).toBe(true);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('change_projects_open');
    expect((refused as DomainError).message).toContain(P1);
    const participation = await store.readStream(streamIds.participation(C1, A1));
    expect(participation.events.map((e) => e.type)).not.toContain('ParticipationCompleted');
    expect(checkHistory(await store.readAll())).toEqual([]);
  });
});
