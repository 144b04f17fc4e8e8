import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createInstance, ProjectionRunner, scheduleProjection, type Projection } from '@convene/projections';
import { createTestApp, type TestApp } from '../test-fixtures/test-app';
import { createRedis } from '../redis';
import { testRedisUrl } from '@convene/testkit';

let t: TestApp;
let deadLetters = 0;
const redis = createRedis(testRedisUrl());
beforeAll(async () => {
  t = await createTestApp({ redis, deadLetterCount: async () => deadLetters });
  await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
});
afterAll(async () => {
  redis.disconnect();
  await t.close();
});

const health = async () => {
  const res = await t.app.inject({ method: 'GET', url: '/health' });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
};

describe('GET /health', () => {
  it('is ok with the database, Redis, healthy projections and no dead letters', async () => {
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', database: { ok: true }, redis: { ok: true }, projections: { ok: true, failed: [] }, deliveries: { ok: true, deadLetters: 0 } });
  });

  it('is degraded, naming the projection and the event, when a poison event stopped a projection', async () => {
    await t.eventStore.appendToStream(`sitevisit-${randomUUID()}`, [{ type: 'SiteVisitCompleted', data: {} }], {
      expectedVersion: 'no_stream',
      metadata: { actorId: 'a', actorRole: 'admin', correlationId: 'c' },
    });
    const poisoned: Projection = {
      ...scheduleProjection,
      name: 'poisoned_schedule',
      evolve() {
        throw new Error('handler bug');
      },
    };
    const inst = await createInstance(t.database.db, poisoned, 'live');
    const runner = new ProjectionRunner({ db: t.database.db, store: t.eventStore, projection: poisoned, schema: inst.schema_name, batchSize: 100 });
    // The poison event parks its stream; the runner goes on with the others.
    expect((await runner.catchUp()).kind).toBe('idle');

    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.projections.failed).toEqual([expect.objectContaining({ name: 'poisoned_schedule', eventType: 'SiteVisitCompleted', error: 'handler bug', streamId: expect.stringMatching(/^sitevisit-/) })]);
  });

  it('reports dead letters', async () => {
    deadLetters = 2;
    const { body } = await health();
    expect(body.deliveries).toEqual({ ok: false, deadLetters: 2 });
    expect(body.status).toBe('degraded');
  });
});
