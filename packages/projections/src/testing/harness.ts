// Test helpers: a store on a test database, the whole log, and read models compared with a fold.
import type { Kysely } from 'kysely';
import type { EventMetadata, EventStore, RecordedEvent } from '@convene/eventstore';
import { foldProjection } from '../runtime/memory-store';
import { readAllRows } from '../runtime/pg-store';
import type { Projection, Row } from '../runtime/types';
import { run, scenario, type ScenarioOptions } from './scenario';

export async function readLog(store: EventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  let after = 0;
  for (;;) {
    const { events, next } = await store.readAll({ after, limit: 5000 });
    if (events.length === 0) return all;
    all.push(...events);
    after = next;
  }
}

/** Runs a scenario's commands in order (agencies one after the other). */
export async function runScenario(store: EventStore, options: ScenarioOptions): Promise<ReturnType<typeof scenario>> {
  const s = scenario(options);
  for (const c of s.setup) await run(store, c);
  for (const list of s.perAgency) for (const c of list) await run(store, c);
  for (const c of s.meetings) await run(store, c);
  return s;
}

/** The instance's rows and the fold of the whole log, for toEqual. */
export async function compareWithFold(db: Kysely<any>, store: EventStore, projection: Projection, schema: string): Promise<{ actual: Record<string, Row[]>; expected: Record<string, Row[]> }> {
  const expected = foldProjection(projection, await readLog(store));
  const actual = await readAllRows(db, schema, projection.tables);
  return { actual, expected };
}

/**
 * A correction of an agency's month with the given admissions, appended straight to the store as
 * an accepted command would (tests of the projection runtime: poison values, wake-ups).
 */
export function correctAdmissions(store: EventStore, recorded: RecordedEvent, admissions: number, reason: string, metadata: EventMetadata) {
  const data = recorded.data as { values: Record<string, object> };
  const values = { ...data.values, admissions: { count: admissions } };
  return store.appendToStream(recorded.streamId, [{ type: 'MonthlyMeasuresCorrected', schemaVersion: 2, data: { ...data, values, reason } }], { expectedVersion: 'any', metadata });
}
