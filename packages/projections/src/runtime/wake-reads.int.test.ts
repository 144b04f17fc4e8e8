// Issue 13: a projector woken by a commit reads the feed once. The batch it read was not full and
// no commit was announced since the read began, so it is caught up without an empty read (each a
// convene_read_all call, ~0.4 ms of server time) and without asking which instances are building;
// the projections the batch holds nothing for move their checkpoints in the group's transaction.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestDatabase, recordStatements, type TestDatabase } from '@convene/testkit';
import { EventStore, type RecordedEvent } from '@convene/eventstore';
import { measuresProjection, progressProjection, scheduleProjection } from '../models';
import { correctAdmissions, readLog, runScenario } from '../testing/harness';
import { startProjectorRuntime } from './daemon';

let t: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  t = await createTestDatabase();
  store = new EventStore({ pool: t.pool });
  await runScenario(store, { collaborative: 1, agencies: 3, months: 3, seed: 11 });
});
afterAll(async () => {
  await store.close();
  await t.drop();
});

const meta = { actorId: 'test', actorRole: 'admin', correlationId: 'wake-reads' };

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a projector woken by a commit (issue 13)', () => {
  it('reads the feed once per wake on a quiet system, and still applies every commit', async () => {
    // Polling out of the way: only commit notifications wake it.
    // A correction of a month: progress and measures apply it, schedule only passes it.
    const projections = [progressProjection, measuresProjection, scheduleProjection];
    const projector = await startProjectorRuntime({ pool: t.pool, db: t.db, store, projections, pollIntervalMs: 60_000 });
    try {
      await projector.idle();
      const month = (await readLog(store)).find((e) => e.type === 'MonthlyMeasuresRecorded') as RecordedEvent;
      const recorder = recordStatements(t.pool);
      const wakes = 4;
      let last = 0;
      for (let i = 0; i < wakes; i++) {
        const appended = await correctAdmissions(store, month, 100 + i, 'wake', meta);
        last = appended.lastPosition;
        await until(async () => projector.isCaughtUp(last));
        await new Promise((r) => setTimeout(r, 150)); // an empty re-read would come at once
      }
      recorder.stop();
      const feedReads = recorder.statements.filter((s) => s.includes('convene_read_all'));
      const buildingChecks = recorder.statements.filter((s) => /^select "schema_name" from "projection_instances" where "schema_name" in .* and "role" = \$/is.test(s));
      expect(feedReads).toHaveLength(wakes);
      // The projection with nothing to apply moves with the others, in the group's one checkpoint UPDATE.
      expect(recorder.statements.filter((s) => /^update projection_instances as p/i.test(s.trim()))).toHaveLength(wakes);
      expect(buildingChecks).toHaveLength(0);
    } finally {
      await projector.stop();
    }
  });

  it('looks for new projection instances with one query per poll, not one per projection', async () => {
    const projections = [progressProjection, scheduleProjection, measuresProjection];
    const projector = await startProjectorRuntime({ pool: t.pool, db: t.db, store, projections, pollIntervalMs: 100 });
    try {
      await projector.idle();
      const recorder = recordStatements(t.pool);
      await new Promise((r) => setTimeout(r, 1000)); // ~10 supervisor rounds
      recorder.stop();
      const perProjection = recorder.statements.filter((s) => /from "projection_instances" where "name" = \$1/i.test(s));
      const rounds = recorder.statements.filter((s) => /^select "schema_name", "name", "version", "status" from "projection_instances"/i.test(s));
      expect(rounds.length).toBeGreaterThanOrEqual(3);
      expect(perProjection).toHaveLength(0);
    } finally {
      await projector.stop();
    }
  });

  it('under a steady stream of commits reads every minReadIntervalMs without going back to its scheduler', async () => {
    const projector = await startProjectorRuntime({ pool: t.pool, db: t.db, store, projections: [progressProjection], pollIntervalMs: 60_000 });
    try {
      await projector.idle();
      const month = (await readLog(store)).find((e) => e.type === 'MonthlyMeasuresRecorded') as RecordedEvent;
      const recorder = recordStatements(t.pool);
      const started = Date.now();
      let last = 0;
      for (let i = 0; Date.now() - started < 1200; i++) {
        const appended = await correctAdmissions(store, month, 200 + i, 'steady', meta);
        last = appended.lastPosition;
        await new Promise((r) => setTimeout(r, 10));
      }
      await until(async () => projector.isCaughtUp(last, [progressProjection.name]));
      recorder.stop();
      const scheduled = recorder.statements.filter((s) => /^select "schema_name", "position", "role", "status" from "projection_instances"/i.test(s));
      const feedReads = recorder.statements.filter((s) => s.includes('convene_read_all'));
      expect(feedReads.length).toBeGreaterThanOrEqual(5);
      expect(feedReads.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 50) + 3); // at most one per 50 ms
      expect(scheduled.length).toBeLessThanOrEqual(Math.ceil(feedReads.length / 3));
    } finally {
      await projector.stop();
    }
  });
});
