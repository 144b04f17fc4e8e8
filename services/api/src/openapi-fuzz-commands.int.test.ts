// The fuzz of openapi-fuzz.int.test.ts over every command and write (not GET), on an app whose
// event store and read models hold the seed year: there the ids of meetings, projects, visits and
// expenditures name nothing, so few commands reach their deciders; here they decide over a
// collaborative with a year of history (bodies valid more often, so that more get that far).
// Each answer passes the same checks, and stored events change only with a 2xx answer.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { fuzzing, fuzzOperation, operations } from './test-fixtures/openapi-requests';
import { startSeededFuzz } from './test-fixtures/seeded-fuzz';
import type { TestApp } from './test-fixtures/test-app';

const RUNS = Number(process.env.FUZZ_RUNS ?? 4);
fuzzing.validValueWeight = 60;

let t: TestApp;
beforeAll(async () => {
  // No projector runs here: a command that waits for the read models (SendAnnouncement) answers 503 after 50 ms, not 5 s.
  t = await startSeededFuzz({ CONSISTENCY_WAIT_MS: '50' });
}, 120_000);
afterAll(async () => t?.close());

const writes = operations.filter((o) => o.method !== 'GET');

describe('every command and write of openapi/openapi.json under generated input, over a year of history', () => {
  it.each(writes.map((o) => [`${o.method} ${o.path}`, o] as const))('fuzz over the seed year: %s', async (_name, o) => {
    await fuzzOperation(t.app, o, RUNS, t.database.pool);
  }, 60_000);
});
