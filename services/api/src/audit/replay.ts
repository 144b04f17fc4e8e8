// Replay dry-run: fold every stream through the current evolve and report each event that no
// longer parses under its schema (after upcasting) or makes evolve throw. Writes nothing.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { aggregates, eventSchemas, type AggregateName } from '@convene/domain';
import type { EventStore, RecordedEvent } from '@convene/eventstore';
import { z } from 'zod';
import { requireGlobalAdmin } from '../auth/global';
import { ProblemSchema } from '../http/problem';

export interface ReplayProblem {
  position: number;
  streamId: string;
  streamVersion: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  storedSchemaVersion: number;
  problem: 'unknown_type' | 'schema_mismatch' | 'evolve_failed' | 'wrong_aggregate';
  detail: string;
}

export interface ReplayReport {
  events: number;
  streams: number;
  skipped: number;
  problems: ReplayProblem[];
}

const isAggregate = (t: string): t is AggregateName => Object.hasOwn(aggregates, t);

/** Folds events (in global order) stream by stream; events of non-domain streams are skipped. */
export function createReplay() {
  const states = new Map<string, unknown>();
  const report: ReplayReport = { events: 0, streams: 0, skipped: 0, problems: [] };
  const fail = (e: RecordedEvent, problem: ReplayProblem['problem'], detail: string) =>
    report.problems.push({
      position: e.globalPosition, streamId: e.streamId, streamVersion: e.streamVersion, eventId: e.eventId, type: e.type,
      schemaVersion: e.schemaVersion, storedSchemaVersion: e.metadata.storedSchemaVersion, problem, detail,
    });
  return {
    report,
    apply(e: RecordedEvent) {
      if (!isAggregate(e.streamType)) {
        report.skipped += 1;
        return;
      }
      report.events += 1;
      const def = aggregates[e.streamType] as { initialState: () => unknown; evolve: (s: unknown, ev: { type: string; data: unknown }) => unknown };
      if (!states.has(e.streamId)) {
        states.set(e.streamId, def.initialState());
        report.streams += 1;
      }
      const spec = eventSchemas[e.type];
      if (!spec) return void fail(e, 'unknown_type', `no schema for ${e.type}`);
      if (spec.aggregate !== e.streamType) return void fail(e, 'wrong_aggregate', `${e.type} belongs to ${spec.aggregate}`);
      if (e.schemaVersion !== spec.schemaVersion) {
        fail(e, 'schema_mismatch', `upcast to v${e.schemaVersion}, the schema is v${spec.schemaVersion}`);
      }
      const parsed = spec.schema.safeParse(e.data);
      if (!parsed.success) {
        return void fail(e, 'schema_mismatch', parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
      }
      try {
        states.set(e.streamId, def.evolve(states.get(e.streamId), { type: e.type, data: parsed.data }));
      } catch (error) {
        fail(e, 'evolve_failed', error instanceof Error ? error.message : String(error));
      }
    },
  };
}

/** Reads the whole feed (gap-safe) and replays it. */
export async function replayDryRun(store: EventStore, batch = 1000): Promise<ReplayReport & { position: number }> {
  const replay = createReplay();
  let after = 0;
  for (;;) {
    const { events, next } = await store.readAll({ after, limit: batch });
    if (events.length === 0) break;
    events.forEach((e) => replay.apply(e));
    after = next;
  }
  return { ...replay.report, position: after };
}

export const replayRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/admin/replay/dry-run',
    {
      schema: {
        operationId: 'replayDryRun',
        tags: ['audit'],
        summary: 'Fold every stream through the current evolve; report events that no longer parse or upcast. Writes nothing.',
        description: 'Admin only. A dry run of the replay: run it before deploying a schema change.',
        response: {
          200: z.object({
            position: z.number().int(), events: z.number().int(), streams: z.number().int(), skipped: z.number().int(),
            problems: z.array(z.object({
              position: z.number().int(), streamId: z.string(), streamVersion: z.number().int(), eventId: z.string(), type: z.string(),
              schemaVersion: z.number().int(), storedSchemaVersion: z.number().int(), problem: z.string(), detail: z.string(),
            })),
          }).meta({ id: 'ReplayReport' }),
          401: ProblemSchema, 403: ProblemSchema,
        },
      },
      preHandler: requireGlobalAdmin,
    },
    async () => replayDryRun(app.deps.eventStore),
  );
};
