// Issue 12.2 and 12.3, the read side: events stored before the input bounds (amounts whose sum
// passes 2^53, a cycle number past int4, dates in year 0000 and 9999) still project and read.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { streamIds } from '@convene/domain';
import { projectionStatus, projections, startProjectorRuntime, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';

let t: TestApp;
let projector: RunningProjector;
const C = '0190c000-0000-7000-8000-0000000000e1';
const A = '0190c000-0000-7000-8000-0000000000e2';
const P = '0190c000-0000-7000-8000-0000000000e3';
const meta = { actorId: 'legacy', actorRole: 'admin', correlationId: 'legacy' };
const HUGE = 2 ** 53 - 1;

beforeAll(async () => {
  t = await createTestApp();
  await t.eventStore.appendToStream(streamIds.collaborative(C), [
    {
      // Written before issue 15 (schema version 1: no catalogue; read as the niatx template).
      type: 'CollaborativeLaunched',
      schemaVersion: 1,
      data: {
        collaborativeId: C, name: 'Legacy', aim: 'Stored before the bounds',
        convener: { organizationName: 'State', contact: { personId: '0190c000-0000-7000-8000-0000000000e4', name: 'Casey', email: 'casey@example.org' } },
        focusMeasures: ['admissions'], startsOn: '0000-01-01', endsOn: '9999-12-31', meetingCadence: 'monthly',
        measureSettings: { continuationWindowsDays: [30, 60], continuationUnitThreshold: 4 },
      },
    },
    { type: 'ExpenditureRecorded', data: { collaborativeId: C, expenditureId: '0190c000-0000-7000-8000-0000000000f1', amountCents: HUGE, category: 'travel', spentOn: '0000-01-01' } },
    { type: 'ExpenditureRecorded', data: { collaborativeId: C, expenditureId: '0190c000-0000-7000-8000-0000000000f2', amountCents: HUGE, category: 'travel', spentOn: '9999-12-31' } },
  ], { expectedVersion: 'no_stream', metadata: meta });
  await t.eventStore.appendToStream(streamIds.changeProject(P), [
    {
      type: 'ChangeProjectStarted',
      schemaVersion: 1,
      data: {
        projectId: P, collaborativeId: C, agencyId: A, title: 'Walk-ins', aim: 'Faster', measure: 'admissions', baselineValue: 1e300, targetValue: -1e300,
        targetDate: '9999-12-31', changeIdea: 'Walk-in hours', levelOfCare: 'outpatient', team: [{ name: 'Lee', role: 'lead' }],
      },
    },
    {
      type: 'PDSACycleLogged',
      data: {
        projectId: P, collaborativeId: C, agencyId: A, cycleNumber: 2 ** 31 + 1, beginsOn: '0000-01-01', endsOn: '9999-12-31', changeTested: 'x',
        prediction: 'y', steps: [{ step: 's', who: 'w' }], result: 'r', decision: 'adopt',
      },
    },
  ], { expectedVersion: 'no_stream', metadata: meta });
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  await projector.idle();
});
afterAll(async () => {
  await projector.stop();
  await t.close();
});

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.adminKey}` } });

describe('history stored before the input bounds', () => {
  it('issue 12.2: sums past 2^53 and a cycle number past int4 project without a failure and read with 200', async () => {
    const status = await projectionStatus(t.database.db);
    expect(status.projections.filter((p) => p.failure).map((p) => p.name)).toEqual([]);
    const spent = await get(`/v1/collaboratives/${C}/expenditures`);
    expect(spent.statusCode).toBe(200);
    expect(spent.json().totalCents).toBe(2 * HUGE);
    const timeline = await get(`/v1/collaboratives/${C}/change-projects/${P}`);
    expect(timeline.statusCode).toBe(200);
    expect(timeline.json().timeline[0].cycleNumber).toBe(2 ** 31 + 1);
  });

  it('issue 12.3: dates in year 0000 and 9999 accepted before the bounds still read', async () => {
    const timeline = (await get(`/v1/collaboratives/${C}/change-projects/${P}`)).json();
    expect([timeline.targetDate, timeline.timeline[0].beginsOn, timeline.timeline[0].endsOn]).toEqual(['9999-12-31', '0000-01-01', '9999-12-31']);
    const history = await get(`/v1/collaboratives/${C}/events`);
    expect(history.statusCode).toBe(200);
    // The replay dry-run still parses them with the (lenient) event schemas: no problems reported.
    const replay = await t.app.inject({ method: 'POST', url: '/v1/admin/replay/dry-run', headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(replay.statusCode).toBe(200);
    expect(replay.json().problems).toEqual([]);
  });
});
