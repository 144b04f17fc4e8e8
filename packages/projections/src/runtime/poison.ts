// Poison events of a projection instance (issue 11.11): a batch the database or a handler
// refuses is bisected to the event at fault, which parks its stream in this instance (recorded in
// projection_failures, loud in the log) while the other streams go on.
import { sql, type Kysely } from 'kysely';
import type { RecordedEvent } from '@convene/eventstore';
import { PgBatchStore } from './pg-store';
import { pdb } from './instances';
import type { Logger } from './runner';
import type { Projection } from './types';


/**
 * A batch the database refused for its data (class 22 data exception, e.g. a value too big for
 * its column; class 23 integrity): one of its events is poison, found by bisection.
 */
export const isDataError = (error: unknown): boolean => /^2[23]/.test(String((error as { code?: unknown })?.code ?? ''));

class Rollback extends Error {}

/** A handler threw on this event of the batch. */
export class PoisonEvent extends Error {
  constructor(
    readonly index: number,
    readonly event: RecordedEvent,
    readonly original: unknown,
  ) {
    super(original instanceof Error ? original.message : String(original));
  }
}

/** Streams parked by a poison event in this instance, with its position (skipped from there until resumed). */
export async function parkedStreams(db: Kysely<any>, schema: string): Promise<Map<string, number>> {
  return (await parkedStreamsAndKeyGeneration(db, [schema])).parked.get(schema) ?? new Map();
}

/**
 * parkedStreams of several instances, and the personal-data key generation, in one statement: the
 * first of a group's transaction (group-apply.ts), so the rows the runners kept are used only if
 * no erasure came since they were committed (runner.ts, keptRows), and the transaction commits
 * only if none came since.
 */
export async function parkedStreamsAndKeyGeneration(db: Kysely<any>, schemas: string[]): Promise<{ parked: Map<string, Map<string, number>>; generation: number }> {
  const { rows } = await sql<{ generation: string; schema_name: string | null; stream_id: string | null; position: string | null }>`
    SELECT g.generation, f.schema_name, f.stream_id, f.position
      FROM personal_data_key_generation g
      LEFT JOIN projection_failures f ON f.schema_name = ANY(${schemas}::text[]) AND f.resolved_at IS NULL AND f.stream_id IS NOT NULL`.execute(db);
  const parked = new Map<string, Map<string, number>>(schemas.map((s) => [s, new Map()]));
  for (const r of rows) {
    if (r.schema_name === null || r.stream_id === null) continue;
    const streams = parked.get(r.schema_name)!;
    streams.set(r.stream_id, Math.min(Number(r.position), streams.get(r.stream_id) ?? Number.POSITIVE_INFINITY));
  }
  return { parked, generation: Number(rows[0]?.generation ?? 0) };
}

/**
 * The first event whose rows the database refuses: bisects over prefixes of the batch, each
 * tried in a transaction that is rolled back. Undefined when the whole batch now goes through
 * (the error was not the data's): the caller retries as for any error.
 */
export async function findPoison(
  db: Kysely<any>,
  schema: string,
  projection: Projection,
  events: RecordedEvent[],
  original: unknown,
): Promise<{ event: RecordedEvent; original: unknown } | undefined> {
  let failure: unknown;
  const fails = async (n: number): Promise<boolean> => {
    try {
      await db.transaction().execute(async (trx) => {
        const rows = new PgBatchStore(trx, schema, projection);
        const prefix = events.slice(0, n);
        await rows.load(prefix.flatMap((e) => projection.refs(e)));
        for (const e of prefix) {
          try {
            projection.evolve(rows, e);
          } catch (error) {
            failure = error;
            throw new Rollback('evolve threw');
          }
        }
        await rows.flush();
        throw new Rollback();
      });
    } catch (error) {
      if (error instanceof Rollback) return error.message === 'evolve threw';
      if (!isDataError(error)) throw error;
      failure = error;
      return true;
    }
    return false;
  };
  if (!(await fails(events.length))) return undefined;
  let lo = 1;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (await fails(mid)) hi = mid;
    else lo = mid + 1;
  }
  await fails(lo); // the error of exactly this prefix, for the record
  return { event: events[lo - 1]!, original: failure ?? original };
}

/** Records a poison event and parks its stream in this instance; loud in the log. */
export async function park(db: Kysely<any>, schema: string, projection: Projection, logger: Logger, event: RecordedEvent, original: unknown): Promise<void> {
  const message = original instanceof Error ? original.message : String(original);
  // The message on the first line (what status reports), then where it was thrown.
  const detail = original instanceof Error && original.stack ? [message, ...original.stack.split('\n').slice(1)].join('\n') : message;
  await pdb(db)
    .insertInto('projection_failures')
    .values({
      schema_name: schema,
      name: projection.name,
      version: projection.version,
      position: event.globalPosition,
      event_id: event.eventId,
      event_type: event.type,
      stream_id: event.streamId,
      error: detail,
    } as never)
    .execute();
  logger.error(
    { projection: projection.name, schema, position: event.globalPosition, eventType: event.type, eventId: event.eventId, streamId: event.streamId, err: message },
    'projection parked a stream at a poison event; its other streams go on (resume after a fix: npm run projections -- resume <name>)',
  );
}
