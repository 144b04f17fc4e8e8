import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { EventStore, type RecordedEvent } from '@convene/eventstore';
import { progressProjection } from '../models';
import { correctAdmissions, readLog, runScenario } from '../testing/harness';
import { liveInstance, projectionStatus } from './instances';
import { startProjectorRuntime } from './daemon';
import { verifyProjection } from './admin';

let t: TestDatabase;
let store: EventStore;
const logged: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
const logger = {
  info: () => undefined,
  warn: (obj: object, msg?: string) => void logged.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
  error: (obj: object, msg?: string) => void logged.push({ level: 'error', obj: obj as Record<string, unknown>, msg }),
};

beforeAll(async () => {
  t = await createTestDatabase();
  store = new EventStore({ pool: t.pool });
  await runScenario(store, { collaborative: 1, agencies: 3, months: 3, seed: 11 });
});
afterAll(async () => {
  await store.close();
  await t.drop();
});

const meta = { actorId: 'fuzzer', actorRole: 'admin', correlationId: 'poison' };
const correct = (recorded: RecordedEvent, admissions: number) => correctAdmissions(store, recorded, admissions, 'fuzz', meta);


describe('poison events in a projection', () => {
  it('issue 11.11: a count of 2,147,483,648 is held; a value no column can hold parks only its stream, loudly, and the others go on', async () => {
    const monthly = (await readLog(store)).filter((e) => e.type === 'MonthlyMeasuresRecorded');
    const streams = [...new Set(monthly.map((e) => e.streamId))];
    expect(streams.length).toBeGreaterThanOrEqual(3);
    const [big, poison, other] = streams.map((s) => monthly.find((e) => e.streamId === s)!);
    await correct(big!, 2_147_483_648);
    await correct(poison!, 1e20); // beyond bigint: the database refuses the row

    const projector = await startProjectorRuntime({ pool: t.pool, db: t.db, store, projections: [progressProjection], pollIntervalMs: 50, logger });
    try {
      await projector.idle();
      // Events after the poison one, on the parked stream and on another one.
      await correct(poison!, 5);
      await correct(other!, 7);
      await projector.idle();

      const live = (await liveInstance(t.db, 'progress'))!;
      const month = async (e: RecordedEvent) => {
        const d = e.data as { collaborativeId: string; agencyId: string; month: string };
        const { rows } = await t.pool.query(`SELECT admissions, corrected FROM ${live.schema_name}.agency_months WHERE id = $1`, [`${d.collaborativeId}_${d.agencyId}_${d.month}`]);
        return rows[0];
      };
      expect(await month(big!)).toEqual({ admissions: 2_147_483_648, corrected: true });
      expect(await month(other!)).toEqual({ admissions: 7, corrected: true });
      // The parked stream keeps what it had before the poison event (later events skipped too).
      expect((await month(poison!))?.corrected).toBe(false);

      const status = await projectionStatus(t.db);
      expect(status.healthy).toBe(false);
      const mine = status.projections.find((p) => p.schema === live.schema_name)!;
      expect(mine).toMatchObject({ status: 'running', behind: false });
      expect(mine.parked).toEqual([expect.objectContaining({ streamId: poison!.streamId, eventType: 'MonthlyMeasuresCorrected', error: expect.stringMatching(/out of range/) })]);
      expect(logged).toContainEqual(expect.objectContaining({ level: 'error', obj: expect.objectContaining({ projection: 'progress', streamId: poison!.streamId, eventType: 'MonthlyMeasuresCorrected' }) }));
    } finally {
      await projector.stop();
    }
  });

  it('issue 11.11: a rebuild parks the same stream, so the live tables still equal a rebuild', async () => {
    const r = await verifyProjection({ db: t.db, store, projection: progressProjection });
    expect(r.differences).toEqual([]);
    expect(r.equal).toBe(true);
  });
});

describe('a poison event the database refuses', () => {
  it('issue 11.11: is found by bisecting the batch and parks only its stream', async () => {
    const { scheduleProjection } = await import('../models');
    const events = (await readLog(store)).filter((e) => e.type === 'MeetingScheduled');
    expect(events.length).toBeGreaterThan(1);
    const bad = events[0]!;
    // A handler bug the row check lets through (text in an integer column): only PostgreSQL refuses it.
    const buggy = {
      ...scheduleProjection,
      name: 'buggy_schedule',
      evolve(rows: Parameters<typeof scheduleProjection.evolve>[0], event: RecordedEvent) {
        scheduleProjection.evolve(rows, event);
        if (event.eventId === bad.eventId) {
          const id = (event.data as { meetingId: string }).meetingId;
          rows.put('meetings', { ...rows.get('meetings', id)!, duration_minutes: 'ninety' });
        }
      },
    };
    const projector = await startProjectorRuntime({ pool: t.pool, db: t.db, store, projections: [buggy], pollIntervalMs: 50, logger });
    try {
      await projector.idle();
      const status = await projectionStatus(t.db);
      const mine = status.projections.find((p) => p.name === 'buggy_schedule')!;
      expect(mine.parked).toEqual([expect.objectContaining({ streamId: bad.streamId, position: bad.globalPosition, error: expect.stringMatching(/invalid input syntax for type integer/) })]);
      const { rows } = await t.pool.query(`SELECT count(*)::int AS n FROM ${mine.schema}.meetings`);
      expect(rows[0].n).toBe(events.length - 1);
    } finally {
      await projector.stop();
    }
  });
});
