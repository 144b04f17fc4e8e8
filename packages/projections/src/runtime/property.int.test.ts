import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import fc from 'fast-check';
import { createTestDatabase, type TestDatabase } from '@convene/testkit';
import { EventStore } from '@convene/eventstore';
import { projections } from '../models';
import { compareWithFold } from '../testing/harness';
import { run, scenario } from '../testing/scenario';
import { startProjectorRuntime } from './daemon';
import { liveInstance } from './instances';

let t: TestDatabase;
let store: EventStore;
beforeAll(async () => {
  t = await createTestDatabase();
  store = new EventStore({ pool: t.pool });
});
afterAll(async () => {
  await t.drop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('read models equal a fold of the log', () => {
  it('after concurrent writers and a projector stopped and restarted at random points', async () => {
    let collaborative = 100;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          agencies: fc.integer({ min: 2, max: 5 }),
          months: fc.integer({ min: 1, max: 4 }),
          writers: fc.integer({ min: 2, max: 3 }),
          seed: fc.nat(),
          // projector runs: how long each runs (ms) and the batch size it uses
          runs: fc.array(fc.record({ ms: fc.integer({ min: 0, max: 60 }), batch: fc.integer({ min: 1, max: 40 }) }), { minLength: 1, maxLength: 4 }),
          // shuffled command order across agencies (still each agency's own order)
          shuffle: fc.boolean(),
        }),
        async (p) => {
          const s = scenario({ collaborative: collaborative++, agencies: p.agencies, months: p.months, seed: p.seed });
          for (const c of s.setup) await run(store, c);
          const lanes = Array.from({ length: p.writers }, (_, w) => s.perAgency.filter((_, i) => i % p.writers === w));
          const writing = Promise.all(
            lanes.map(async (lists) => {
              const queue = p.shuffle ? interleave(lists) : lists.flat();
              for (const c of queue) await run(store, c);
            }),
          ).then(async () => {
            for (const c of s.meetings) await run(store, c);
          });
          const projecting = (async () => {
            for (const r of p.runs) {
              const projector = await startProjectorRuntime({ pool: t.pool, db: t.db, store, projections, pollIntervalMs: 10, batchSize: r.batch });
              await sleep(r.ms);
              await projector.stop();
            }
          })();
          await Promise.all([writing, projecting]);
          const last = await startProjectorRuntime({ pool: t.pool, db: t.db, store, projections, pollIntervalMs: 10, batchSize: 500 });
          await last.idle();
          await last.stop();
          for (const projection of projections) {
            const live = (await liveInstance(t.db, projection.name))!;
            const { actual, expected } = await compareWithFold(t.db, store, projection, live.schema_name);
            expect(actual).toEqual(expected);
          }
        },
      ),
      { numRuns: 4 },
    );
  });
});

function interleave<T>(lists: T[][]): T[] {
  const out: T[] = [];
  const max = Math.max(0, ...lists.map((l) => l.length));
  for (let i = 0; i < max; i++) for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}
