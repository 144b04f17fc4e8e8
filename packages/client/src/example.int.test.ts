// issue 17 (a typed client): the example script runs, as a separate `node` process, against an
// API started in the test (on its own database, with the projections running), and what it did is
// in the API afterwards.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { startProjectorRuntime, projections, type RunningProjector } from '@convene/projections';
import { createTestApp, type TestApp } from '../../../services/api/src/test-fixtures/test-app';
import { root } from './generate';

let t: TestApp;
let projector: RunningProjector | undefined;
let baseUrl: string;

beforeAll(async () => {
  t = await createTestApp({ isCaughtUp: async (position) => (projector ? projector.isCaughtUp(position) : false) });
  projector = await startProjectorRuntime({ pool: t.database.pool, db: t.database.db, store: t.eventStore, projections, pollIntervalMs: 20 });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await projector?.stop();
  await t?.close();
});

describe('packages/client/examples/launch-and-read.ts', () => {
  it('issue 17: runs against a live API: launches, opens a cohort, reads it back, gets a typed refusal', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'packages/client/examples/launch-and-read.ts'], {
      cwd: root,
      env: { ...process.env, CONVENE_URL: baseUrl, CONVENE_API_KEY: t.adminKey },
      timeout: 90_000,
    });
    const id = /launched collaborative ([0-9a-f-]{36})/.exec(stdout)?.[1];
    expect(id).toBeDefined();
    expect(stdout).toMatch(/opened cohort [0-9a-f-]{36}/);
    expect(stdout).toMatch(/cohort [0-9a-f-]{36}: Cohort 1, starts \d{4}-02-01/);
    expect(stdout).toMatch(/a cohort of capacity 0: 400 validation_error \(body\.capacity\)/);
    const events = await t.app.inject({ method: 'GET', url: `/v1/collaboratives/${id}/events`, headers: { authorization: `Bearer ${t.adminKey}` } });
    expect((events.json() as { items: { type: string }[] }).items.map((e) => e.type)).toEqual(['CollaborativeLaunched', 'CohortOpened']);
  }, 120_000);
});
