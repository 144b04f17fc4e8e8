import { sql, type Kysely } from 'kysely';
import type { EventStore } from '@convene/eventstore';
import { createInstance, dropInstance, lastSettledPosition, liveInstance, swapIn } from './instances';
import { readAllRows } from './pg-store';
import { ProjectionRunner, type StepResult } from './runner';
import type { Projection, Row } from './types';

export interface Progress {
  /** Position reached and the target position (the last settled event when the build started). */
  position: number;
  target: number;
  events: number;
}

export interface RebuildOptions {
  db: Kysely<any>;
  store: EventStore;
  projection: Projection;
  batchSize?: number;
  onProgress?: (p: Progress) => void;
}

async function build(runner: ProjectionRunner, target: number, options: RebuildOptions, until?: number): Promise<StepResult> {
  let events = 0;
  const r = await runner.catchUp({
    until,
    onBatch: (b) => {
      if (b.kind === 'applied') {
        events += b.events;
        options.onProgress?.({ position: b.position, target, events });
      }
    },
  });
  if (r.kind === 'failed') throw new Error(`rebuild stopped at position ${r.position} (${r.event.type}): ${r.error}`);
  return r;
}

/**
 * Rebuilds a projection into fresh tables from position 0 while the live instance keeps
 * serving, then swaps it in. The new instance keeps its own checkpoint across the swap, so
 * events appended during the rebuild are applied too: none is missed.
 */
export async function rebuildProjection(options: RebuildOptions): Promise<{ schema: string; events: number; position: number }> {
  const { db, store, projection } = options;
  const hasLive = !!(await liveInstance(db, projection.name));
  const inst = await createInstance(db, projection, hasLive ? 'building' : 'live');
  const runner = new ProjectionRunner({ db, store, projection, schema: inst.schema_name, batchSize: options.batchSize ?? 5000 });
  const target = await lastSettledPosition(db);
  await build(runner, target, options);
  // Swap, then apply what arrived between the last batch and the swap (the daemon continues after).
  await swapIn(db, inst.schema_name);
  await build(runner, target, options);
  const row = await db.selectFrom('projection_instances' as never).select(['events_applied', 'position'] as never).where('schema_name' as never, '=', inst.schema_name as never).executeTakeFirstOrThrow() as { events_applied: number; position: number };
  return { schema: inst.schema_name, events: Number(row.events_applied), position: Number(row.position) };
}

export interface Difference {
  table: string;
  id: string;
  live: Row | null;
  rebuilt: Row | null;
}

/**
 * Rebuilds into a shadow up to the live instance's checkpoint (read with its rows in one
 * snapshot) and compares the two, row for row. The shadow is dropped afterwards.
 */
export async function verifyProjection(options: RebuildOptions & { maxDifferences?: number }): Promise<{ equal: boolean; position: number; rows: number; differences: Difference[] }> {
  const { db, store, projection } = options;
  const live = await liveInstance(db, projection.name);
  if (!live) throw new Error(`projection ${projection.name} has no live instance`);
  if (live.version !== projection.version) throw new Error(`live ${projection.name} is version ${live.version}, this code has ${projection.version}`);
  const snapshot = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const { rows } = await sql<{ position: number }>`SELECT position FROM projection_instances WHERE schema_name = ${live.schema_name}`.execute(trx);
      return { position: Number(rows[0]!.position), rows: await readAllRows(trx, live.schema_name, projection.tables) };
    });
  const shadow = await createInstance(db, projection, 'shadow');
  try {
    const runner = new ProjectionRunner({ db, store, projection, schema: shadow.schema_name, batchSize: options.batchSize ?? 5000 });
    await build(runner, snapshot.position, options, snapshot.position);
    const rebuilt = await readAllRows(db, shadow.schema_name, projection.tables);
    const differences: Difference[] = [];
    let count = 0;
    for (const t of projection.tables) {
      const a = new Map((snapshot.rows[t.name] ?? []).map((r) => [r.id, r]));
      const b = new Map((rebuilt[t.name] ?? []).map((r) => [r.id, r]));
      count += a.size;
      for (const id of new Set([...a.keys(), ...b.keys()])) {
        const x = a.get(id) ?? null;
        const y = b.get(id) ?? null;
        if (JSON.stringify(canonical(x)) !== JSON.stringify(canonical(y))) differences.push({ table: t.name, id, live: x, rebuilt: y });
      }
    }
    return { equal: differences.length === 0, position: snapshot.position, rows: count, differences: differences.slice(0, options.maxDifferences ?? 50) };
  } finally {
    await dropInstance(db, shadow.schema_name);
  }
}

/** JSON with sorted keys, so jsonb's key order does not count as a difference. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  return value;
}
