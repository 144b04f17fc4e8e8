// The fuzz of openapi-fuzz.int.test.ts over every read (GET), on an app whose read models hold the
// seed year: there, with no projector, a read answers 503 before its query runs; here generated
// and hostile path ids, filters, sorts, cursors, limits and dates reach the queries over real rows.
// Each answer passes the same checks (no 5xx, declared status, problem+json with the request id).
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { fuzzOperation, operations } from './test-fixtures/openapi-requests';
import { startSeededFuzz } from './test-fixtures/seeded-fuzz';
import type { TestApp } from './test-fixtures/test-app';

const RUNS = Number(process.env.FUZZ_RUNS ?? 4);
let t: TestApp;
beforeAll(async () => {
  t = await startSeededFuzz();
}, 120_000);
afterAll(async () => t?.close());

const reads = operations.filter((o) => o.method === 'GET');

describe('every read of openapi/openapi.json under generated input, over built read models', () => {
  it.each(reads.map((o) => [o.path, o] as const))('fuzz over the seed year: GET %s', async (_name, o) => {
    await fuzzOperation(t.app, o, RUNS);
  }, 60_000);
});
